#!/usr/bin/env python3
"""Writes a deterministic leads CSV for the import benchmark: python3 scripts/gen-leads-csv.py ROWS OUT.csv
Realistic HubSpot-style headers and values, ~100 bytes a row (1M rows ≈ 100 MB)."""
import csv
import random
import sys

rows, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(42)
first = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Ana", "Luis", "Sofia", "Yuki", "Priya", "Omar", "Chloé", "Jürgen"]
last = ["Smith", "Johnson", "Brown", "Garcia", "Miller", "Silva", "Tanaka", "Patel", "Khan", "Müller", "Dubois", "O'Brien"]
words = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Tyrell", "Cyberdyne"]
statuses = ["New", "Open", "In Progress", "Qualified", "Closed Won", "Unqualified"]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["First Name", "Last Name", "Email", "Phone Number", "Company Name", "Job Title", "Lead Status", "City"])
    for i in range(rows):
        co = f"{rng.choice(words)} {rng.choice(words)}"
        w.writerow([
            rng.choice(first), rng.choice(last), f"lead{i}@{co.split()[0].lower()}.example",
            f"+1 415 555 {rng.randrange(10000):04d}" if rng.random() < 0.5 else "",
            co, "Head of Operations", rng.choice(statuses), rng.choice(["Boston", "Lisbon", "Osaka", "Pune"]),
        ])
