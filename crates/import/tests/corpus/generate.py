#!/usr/bin/env python3
"""Regenerates the CSV import test corpus and EXPECTED.json, then verifies every
file's bytes independently (decode with the declared encoding, skip to the header
line, parse with the csv module, count records, compare headers and mapping).

Run:  python3 generate.py      (writes into the directory holding this script)
All people, companies and addresses are invented. Email/web domains are
example.com / example.org / *.test only. US phones use 555-01xx, UK phones use
the Ofcom drama range 020 7946 0xxx, French ones the ARCEP fiction ranges.
"""
import csv, gzip, io, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SYN = os.path.join(HERE, "..", "..", "data", "csv-header-synonyms.json")


def rows_to_text(rows, delimiter=",", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL):
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator, quoting=quoting)
    w.writerows(rows)
    return buf.getvalue()


def write(name, data: bytes):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


FILES = {}
EXPECTED = {}

# ---------------------------------------------------------------- 1 hubspot
hubspot_headers = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Job Title",
                   "Company Name", "Contact owner", "Lifecycle Stage", "Lead Status", "Original Source",
                   "Create Date", "City", "State/Region", "Country/Region", "Postal Code"]
hubspot_rows = [
    ["10251", "Maya", "Chen", "maya.chen@brightline.test", "+1 617-555-0143", "VP of Operations", "Brightline Labs, Inc.", "Dana Whitfield", "Sales Qualified Lead", "OPEN_DEAL", "Organic Search", "2024-03-12 09:14", "Boston", "Massachusetts", "United States", "02134"],
    ["10252", "Luis", "Ortega", "lortega@harborview.test", "(617) 555-0188", "Procurement Manager", "Harborview Health", "Dana Whitfield", "Lead", "NEW", "Paid Social", "3/15/2024 2:30 PM", "Amherst", "MA", "United States", "01002"],
    ["10253", "Priya", "Natarajan", "priya@quillmetrics.test", "", "Head of Growth", "Quill Metrics", "Marcus Bell", "Marketing Qualified Lead", "IN_PROGRESS", "Direct Traffic", "2024-04-02 16:47", "Hoboken", "New Jersey", "United States", "07030"],
    ["10254", "Tom", "O'Brien", "tom.obrien@example.com", "617.555.0122", "Owner", "O'Brien Plumbing & Heating", "Marcus Bell", "Subscriber", "", "Offline Sources", "4/9/2024 11:05 AM", "Quincy", "MA", "US", "02169"],
    ["10255", "Aisha", "Bello", "aisha.bello@corvid-analytics.test", "+1 (415) 555-0175", "Data Engineering Lead", "Corvid Analytics", "Dana Whitfield", "Opportunity", "OPEN_DEAL", "Referrals", "2024-05-20 08:00", "San Francisco", "California", "United States", "94107"],
    ["10256", "Kenji", "Watanabe", "", "", "Director, Supply Chain", "Tidewater Freight", "", "Lead", "UNQUALIFIED", "Offline Sources", "5/21/2024 9:45 AM", "Portland", "Maine", "United States", "04101"],
    ["10257", "Claire", "Dubois", "claire.dubois@example.org", "+1 514 555 0160", "Marketing Coordinator", "Maple & Birch Co.", "Marcus Bell", "Lead", "ATTEMPTED_TO_CONTACT", "Email Marketing", "2024-06-03 13:22", "Montréal", "Quebec", "Canada", "H2X 1Y4"],
    ["10258", "Sam", "Greene", "SAM.GREENE@EXAMPLE.COM", "6175550109", "CFO", "Greene Family Farms", "Dana Whitfield", "Customer", "CONNECTED", "Direct Traffic", "12/1/2024 12:00 AM", "Burlington", "Vermont", "United States", "05401"],
    ["10259", "Rosa", "Delgado", "rosa@sunpath.test", "+1 602-555-0133", "Founder", "SunPath Solar", "Marcus Bell", "Sales Qualified Lead", "IN_PROGRESS", "Paid Search", "2025-01-17 10:30", "Phoenix", "Arizona", "United States", "85004"],
    ["10260", "Ben", "Adeyemi", "ben.adeyemi@example.com", "", "Student", "", "", "Other", "NEW", "Organic Search", "1/2/2025 7:05 PM", "Newark", "NJ", "United States", "07102"],
    ["10261", "Hannah", "Lindqvist", "hannah.l@nordlys.test", "+46 8 123 456 78", "Head of Partnerships", "Nordlys AB", "Marcus Bell", "Marketing Qualified Lead", "IN_PROGRESS", "Social Media", "2025-02-28 23:59", "Stockholm", "Stockholm County", "Sweden", "111 22"],
    ["10262", "Jean-Luc", "Perrin", "jl.perrin@example.org", "+1 (802) 555-0190", "IT Manager", "Green Mountain Co-op", "Dana Whitfield", "Lead", "UNQUALIFIED", "Referrals", "10/31/2025 8:15 AM", "Montpelier", "VT", "United States", "05602"],
]
write("hubspot.csv", b"\xef\xbb\xbf" + rows_to_text([hubspot_headers] + hubspot_rows, lineterminator="\r\n").encode("utf-8"))
EXPECTED["hubspot.csv"] = {
    "vendor": "hubspot", "encoding": "UTF-8", "bom": True, "line_endings": "CRLF",
    "delimiter": ",", "header_row": 1, "rows": 12, "headers": hubspot_headers,
    "notes": "UTF-8 BOM must be stripped from the first header ('Record ID', not '\\ufeffRecord ID'). "
             "Create Date mixes '2024-03-12 09:14' (ISO-ish, no seconds, no zone) and US '3/15/2024 2:30 PM' / '12/1/2024 12:00 AM' forms. "
             "Postal Code has leading zeros (02134, 01002, 07030, 02169, 04101, 05401, 07102, 05602) and non-US codes ('H2X 1Y4', '111 22'): keep as text. "
             "Lead Status holds HubSpot enums (NEW, OPEN_DEAL, IN_PROGRESS, UNQUALIFIED, ATTEMPTED_TO_CONTACT, CONNECTED) and is empty on row 4; "
             "Lifecycle Stage is a separate field, not status. Row 6 has no email and no owner; row 8 email is upper-case; row 10 has no company. "
             "Row 1 company 'Brightline Labs, Inc.' and row 6 title 'Director, Supply Chain' are quoted because of the comma. 'Montréal' is non-ASCII UTF-8.",
}

# ---------------------------------------------------------------- 2 salesforce report
sfr_headers = ["First Name", "Last Name", "Title", "Company / Account", "Email", "Phone", "Lead Source", "Lead Status", "Lead Owner"]
sfr_rows = [
    ["Rachel", "Kim", "IT Director", "Summit Ridge Credit Union", "rkim@summitridge.test", "(303) 555-0117", "Web", "Open - Not Contacted", "Priya Raman"],
    ["Marcus", "Oyelaran", "VP Finance", "Oyelaran Holdings, LLC", "marcus@oyelaran.test", "303-555-0161", "Partner Referral", "Working - Contacted", "Priya Raman"],
    ["Siobhan", "O'Connell", "Office Manager", "Lakeside Dental Group", "siobhan.oconnell@example.com", "", "Phone Inquiry", "Open - Not Contacted", "Greg Tanaka"],
    ["Derek", "Hughes", "Director of \"Special Projects\"", "Cobalt Aerospace", "", "(720) 555-0102", "Trade Show", "Working - Contacted", "Greg Tanaka"],
    ["Ming", "Li", "CTO", "Pinecrest Software", "ming.li@pinecrest.test", "+1 720 555 0178", "Web", "Closed - Converted", "Priya Raman"],
    ["Fatima", "Zahra", "Head of People", "Atlas Staffing", "fatima.zahra@example.org", "303.555.0135", "", "Closed - Not Converted", "Greg Tanaka"],
    ["Óscar", "Navarro", "Operations Lead", "Navarro Transportes", "oscar.navarro@example.test", "+52 55 5555 0123", "Purchased List", "Open - Not Contacted", "Priya Raman"],
    ["Jill", "Baxter", "", "Baxter & Sons Hardware", "jill@baxterhardware.test", "(970) 555-0144", "Other", "Working - Contacted", ""],
    ["Ahmed", "Karimi", "Procurement Specialist", "Front Range Utilities", "a.karimi@frontrange.test", "720-555-0199 x204", "Web", "Open - Not Contacted", "Greg Tanaka"],
    ["Laura", "Schultz", "COO", "Schultz Bakery Supply", "LAURA.SCHULTZ@EXAMPLE.COM", "(303) 555-0150", "Employee Referral", "Working - Contacted", "Priya Raman"],
]
write("salesforce_report.csv", rows_to_text([sfr_headers] + sfr_rows, lineterminator="\n", quoting=csv.QUOTE_ALL).encode("utf-8"))
EXPECTED["salesforce_report.csv"] = {
    "vendor": "salesforce_report", "encoding": "UTF-8", "bom": False, "line_endings": "LF",
    "delimiter": ",", "header_row": 1, "rows": 10, "headers": sfr_headers,
    "notes": "Every field is quoted, as Salesforce report exports do. 'Company / Account' (spaces around the slash) maps to company. "
             "Row 4 title has doubled quotes (Director of \"Special Projects\") and no email; row 2 company has a comma; "
             "row 9 phone has an extension 'x204'; row 7 has a Mexican number and non-ASCII 'Óscar'; row 10 email is upper-case; row 8 has empty Title and Lead Owner. "
             "Lead Status values are Salesforce picklist labels ('Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted').",
}

# ---------------------------------------------------------------- 3 salesforce api
sfa_headers = ["Id", "FirstName", "LastName", "Title", "Company", "Email", "Phone", "MobilePhone", "LeadSource", "Status",
               "OwnerId", "Street", "City", "State", "PostalCode", "Country", "Website", "Industry", "NumberOfEmployees", "HasOptedOutOfEmail"]
sfa_rows = [
    ["00Q8c00001Xk3PQEAZ", "Nadia", "Petrova", "Head of Procurement", "Ridgeline Manufacturing", "nadia.petrova@ridgeline.test", "(312) 555-0110", "(312) 555-0183", "Web", "Open - Not Contacted", "0058c000009fAbCAAU", "1200 W Fulton Market\nSuite 400", "Chicago", "IL", "60607", "United States", "www.ridgeline.test", "Manufacturing", "850", "false"],
    ["00Q8c00001Xk3PREAZ", "Owen", "Clarke", "Owner", "Clarke Landscaping", "owen@clarkelandscaping.test", "", "312-555-0127", "Phone Inquiry", "Working - Contacted", "0058c000009fAbCAAU", "44 Elm St", "Evanston", "IL", "60201", "United States", "", "Construction", "12", "true"],
    ["00Q8c00001Xk3PSEAZ", "Valentina", "Rossi", "Marketing Director", "Rossi Foods Inc.", "v.rossi@example.com", "+1 312 555 0139", "", "Partner Referral", "Open - Not Contacted", "0058c00000AqZ9xAAF", "", "Milwaukee", "WI", "53202", "USA", "https://rossifoods.test", "Food & Beverage", "", "false"],
    ["00Q8c00001Xk3PTEAZ", "Kwame", "Mensah", "Software Engineer", "Lakeshore Fintech", "kwame.mensah@example.org", "", "", "Web", "Closed - Not Converted", "0058c00000AqZ9xAAF", "9 Harbor Pl", "Detroit", "MI", "48226", "United States", "http://lakeshore-fintech.test/", "Financial Services", "230", "true"],
    ["00Q8c00001Xk3PUEAZ", "Isabel", "Fuentes", "", "[not provided]", "isabel.fuentes@example.test", "773.555.0166", "", "", "Open - Not Contacted", "0058c000009fAbCAAU", "", "", "", "", "", "", "", "", "false"],
    ["00Q8c00001Xk3PVEAZ", "Grzegorz", "Wiśniewski", "Plant Manager", "Wiśniewski Metal Sp. z o.o.", "g.wisniewski@example.com", "+48 22 555 01 23", "+48 600 000 123", "Trade Show", "Working - Contacted", "0058c00000AqZ9xAAF", "ul. Przemysłowa 7", "Poznań", "", "61-001", "Poland", "wisniewski-metal.test", "Manufacturing", "1,200", "false"],
    ["00Q8c00001Xk3PWEAZ", "Harper", "Lee", "Chief of Staff", "Beacon Hill Ventures", "harper.lee@beaconhill.test", "(617) 555-0171", "(617) 555-0172", "Purchased List", "Closed - Converted", "0058c000009fAbCAAU", "One Beacon St, 15th Floor", "Boston", "MA", "02108", "United States", "https://www.beaconhill.test", "Venture Capital", "45", "false"],
    ["00Q8c00001Xk3PXEAZ", "Tariq", "Haddad", "IT Manager", "Desert Bloom Hotels", "tariq.haddad@example.org", "+1 480 555 0105", "", "Web", "Open - Not Contacted", "0058c00000AqZ9xAAF", "", "Scottsdale", "AZ", "85251", "United States", "desertbloom.test", "Hospitality", "3000", "true"],
]
write("salesforce_api.csv", rows_to_text([sfa_headers] + sfa_rows, lineterminator="\n", quoting=csv.QUOTE_ALL).encode("utf-8"))
EXPECTED["salesforce_api.csv"] = {
    "vendor": "salesforce_api", "encoding": "UTF-8", "bom": False, "line_endings": "LF",
    "delimiter": ",", "header_row": 1, "rows": 8, "headers": sfa_headers,
    "notes": "Data Loader style: API names as headers, every field quoted. Row 1 Street spans two lines ('1200 W Fulton Market\\nSuite 400'), so the file has 10 lines but 8 records. "
             "HasOptedOutOfEmail is true/false and means the person OPTED OUT (true on rows 2, 4, 8) -> email_opt_out / do_not_contact, never consent. "
             "OwnerId holds Salesforce user ids (005...), not names. Id is an 18-char Salesforce id (external_id). "
             "Row 5 company is the Salesforce placeholder '[not provided]' and most fields are empty. NumberOfEmployees is empty on rows 3/5 and '1,200' (thousands separator) on row 6. "
             "Website appears with and without scheme. Row 6 has Polish characters (Wiśniewski, Poznań) and postal code '61-001'. Row 7 postal code '02108' keeps its leading zero.",
}

# ---------------------------------------------------------------- 4 pipedrive (cp1252, ;)
pd_headers = ["Person - ID", "Person - Name", "Person - First name", "Person - Last name", "Person - Email - Work",
              "Person - Email - Home", "Person - Phone - Work", "Person - Phone - Mobile", "Organization - Name",
              "Person - Title", "Person - Label", "Person - City", "Person - Marketing status"]
pd_rows = [
    ["101", "José García", "José", "García", "jose.garcia@olivar.test", "", "+34 91 555 01 23", "+34 600 000 123", "Olivar Distribución S.L.", "Director Comercial", "Hot lead", "Madrid", "Subscribed"],
    ["102", "Jürgen Müller", "Jürgen", "Müller", "j.mueller@brandt-soehne.test", "juergen.mueller@example.com", "+49 30 1234567", "", "Brandt & Söhne GmbH", "Einkaufsleiter", "Warm lead", "Berlin", "No consent"],
    ["103", "Françoise Lefèvre", "Françoise", "Lefèvre", "francoise.lefevre@example.org", "f.lefevre@example.com", "+33 1 99 00 12 34", "+33 6 39 98 12 34", "Cœur de Loire SARL", "Responsable Achats", "Customer", "Nantes", "Subscribed"],
    ["104", "Søren Ødegaard", "Søren", "Ødegaard", "soren@fjordlys.test", "", "+45 32 12 34 56", "", "Fjordlys ApS", "Head of Sales – Nordics", "", "Aarhus", ""],
    ["105", "Zoë Ångström", "Zoë", "Ångström", "", "zoe.angstrom@example.org", "", "+46 70 123 45 67", "Ångström Konsult", "Grundare", "Cold lead", "Göteborg", "Unsubscribed"],
    ["106", "Björn Kühn", "Björn", "Kühn", "b.kuehn@weber-kuehn.test", "", "+49 89 7654321", "", "Weber; Kühn & Partner", "Partner", "Hot lead", "München", "Subscribed"],
    ["107", "Þórunn Ólafsdóttir", "Þórunn", "Ólafsdóttir", "thorunn@example.test", "", "+354 555 0123", "", "Norðurljós ehf.", "CFO", "Enterprise (€100k+)", "Reykjavík", "No consent"],
    ["108", "Anaïs Brontë", "Anaïs", "Brontë", "anais.bronte@example.org", "", "", "+33 6 39 98 45 67", "Société Générale d'Œnologie", "Sommelière", "Warm lead", "Lyon", "Subscribed"],
]
write("pipedrive.csv", rows_to_text([pd_headers] + pd_rows, delimiter=";", lineterminator="\r\n").encode("cp1252"))
EXPECTED["pipedrive.csv"] = {
    "vendor": "pipedrive", "encoding": "windows-1252", "bom": False, "line_endings": "CRLF",
    "delimiter": ";", "header_row": 1, "rows": 8, "headers": pd_headers,
    "notes": "Semicolon-delimited and Windows-1252 encoded, as European Excel re-saves a Pipedrive export (Pipedrive itself writes UTF-8). Not valid UTF-8: 'é' is the single byte 0xE9. "
             "Contains bytes only windows-1252 (not ISO-8859-1) decodes: 'œ' 0x9C (Cœur, row 3), 'Œ' 0x8C (row 8), en dash 0x96 (row 4 title), euro 0x80 (row 7 label). "
             "Row 6 organization 'Weber; Kühn & Partner' is quoted because it contains the delimiter. "
             "Both 'Person - Name' (full_name) and first/last name columns are present: prefer first/last, full_name is redundant. "
             "Row 5 has no work email but a home email (email_secondary) - the importer may promote it. 'Person - Marketing status' is the opt-out: 'Unsubscribed'/'No consent' opt the lead out.",
}

# ---------------------------------------------------------------- 5 apollo (tab)
ap_headers = ["First Name", "Last Name", "Title", "Company", "Company Name for Emails", "Email", "Email Status",
              "Secondary Email", "Seniority", "Departments", "Work Direct Phone", "Mobile Phone", "Company Phone",
              "# Employees", "Industry", "Person Linkedin Url", "Website", "City", "State", "Country", "Apollo Contact Id"]
ap_rows = [
    ["Derek", "Osei", "VP of Sales", "Helixworks Inc.", "Helixworks", "derek.osei@helixworks.test", "Verified", "", "Vp", "Sales", "+1 628-555-0110", "", "+1 628-555-0100", "240", "computer software", "http://www.linkedin.com/in/derek-osei-5f2a91", "http://www.helixworks.test", "San Francisco", "California", "United States", "65f1c0a2b3d4e5f601234567"],
    ["Ingrid", "Hansen", "Director of Marketing", "Northwind Logistics, LLC", "Northwind", "ingrid.hansen@northwind.test", "Verified", "ingrid.h@example.com", "Director", "Marketing", "", "+1 206-555-0181", "+1 206-555-0150", "1,100", "logistics & supply chain", "http://www.linkedin.com/in/ingridhansen", "http://www.northwind.test", "Seattle", "Washington", "United States", "65f1c0a2b3d4e5f601234568"],
    ["Ravi", "Shankar", "Founder & CEO", "", "Tinkerbox", "ravi@tinkerbox.test", "Unverified", "", "Founder", "C-Suite", "", "", "", "8", "consumer electronics", "http://www.linkedin.com/in/ravi-shankar-tb", "", "Austin", "Texas", "United States", "65f1c0a2b3d4e5f601234569"],
    ["Megan", "Doyle", "Senior Account Executive", "Clearwater Analytics Group", "Clearwater Analytics", "", "Unavailable", "", "Senior", "Sales", "+1 512-555-0144", "", "+1 512-555-0140", "520", "information technology & services", "http://www.linkedin.com/in/megan-doyle-0b7c3d", "http://www.clearwater-analytics.test", "Austin", "Texas", "United States", "65f1c0a2b3d4e5f60123456a"],
    ["Chidi", "Eze", "Head of Engineering", "Lagoon Payments Ltd", "Lagoon Payments", "chidi.eze@lagoonpay.test", "Extrapolated", "", "Head", "Engineering & Technical", "", "+234 803 000 0123", "", "75", "financial services", "www.linkedin.com/in/chidi-eze", "lagoonpay.test", "Lagos", "Lagos", "Nigeria", "65f1c0a2b3d4e5f60123456b"],
    ["Sofia", "Marín", "Growth Marketing Manager", "Verdant Home", "Verdant", "sofia.marin@example.com", "Verified", "sofia.marin@example.org", "Manager", "Marketing", "+34 910 000 123", "", "", "33", "retail", "http://www.linkedin.com/in/sofia-marin-verdant", "https://verdanthome.test", "Madrid", "Community of Madrid", "Spain", "65f1c0a2b3d4e5f60123456c"],
    ["Tyler", "Brooks", "IT Director", "Brooks, Hale & Partners", "Brooks Hale", "tbrooks@brookshale.test", "Verified", "", "Director", "Information Technology", "+1 (404) 555-0119", "+1 (404) 555-0120", "+1 (404) 555-0100", "160", "law practice", "http://www.linkedin.com/in/tyler-brooks-bhp", "http://www.brookshale.test", "Atlanta", "Georgia", "United States", "65f1c0a2b3d4e5f60123456d"],
    ["Yuki", "Takahashi", "Product Lead", "Sakura Robotics", "Sakura Robotics", "yuki.takahashi@sakura-robotics.test", "Unverified", "", "Senior", "Product Management", "", "", "+81 3-5555-0123", "2,300", "machinery", "http://www.linkedin.com/in/yuki-takahashi-sr", "http://www.sakura-robotics.test", "Tokyo", "Tokyo", "Japan", "65f1c0a2b3d4e5f60123456e"],
    ["Noah", "Fischer", "Operations Analyst", "Fischer & Co", "Fischer", "noah.fischer@example.test", "Verified", "", "Entry", "Operations", "", "", "", "", "", "", "", "Denver", "Colorado", "United States", "65f1c0a2b3d4e5f60123456f"],
]
write("apollo.csv", rows_to_text([ap_headers] + ap_rows, delimiter="\t", lineterminator="\n").encode("utf-8"))
EXPECTED["apollo.csv"] = {
    "vendor": "apollo", "encoding": "UTF-8", "bom": False, "line_endings": "LF",
    "delimiter": "\t", "header_row": 1, "rows": 9, "headers": ap_headers,
    "notes": "Tab-delimited despite the .csv name; commas inside values ('Northwind Logistics, LLC', 'Brooks, Hale & Partners', '1,100') are NOT delimiters and are not quoted. "
             "Row 3 has empty Company but 'Company Name for Emails' = Tinkerbox: use company_alt only as fallback. "
             "Row 4 has no email (Email Status 'Unavailable'); 'Extrapolated'/'Unverified' are guessed addresses - Email Status is unmapped but worth surfacing. "
             "# Employees has thousands separators ('1,100', '2,300') and is empty on row 9. Work Direct Phone -> phone, Mobile Phone -> mobile, Company Phone unmapped. "
             "Person Linkedin Url uses http:// (row 5 has no scheme). Apollo Contact Id is a 24-hex id (external_id).",
}

# ---------------------------------------------------------------- 6 linkedin connections (preamble)
li_headers = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
li_rows = [
    ["Maya", "Chen", "https://www.linkedin.com/in/maya-chen-7b21a4", "", "Brightline Labs", "VP of Operations", "07 Dec 2025"],
    ["Jordan", "Looper, DipWSET", "www.linkedin.com/in/jordan-looper-dipwset-3c9e", "", "Cellar Door Wines", "Sommelier & Wine Educator", "14 Nov 2025"],
    ["Robert \"Bobby\"", "Fitzgerald", "www.linkedin.com/in/bobby-fitz-91a0", "bobby.fitz@example.com", "Fitzgerald & Daughters", "Partner, Tax Advisory", "02 Oct 2025"],
    ["Anjali", "Mehta 🚀", "www.linkedin.com/in/anjali-mehta-0a5c1e", "", "", "", "19 Sep 2025"],
    ["Tomás", "Ruiz", "www.linkedin.com/in/tomasruiz-b2", "tomas.ruiz@example.org", "Ruiz Consulting", "Founder", "01 Jan 2024"],
    ["Wei", "Zhang", "www.linkedin.com/in/wei-zhang-5550b", "", "Northwind Logistics", "Senior Manager, Partnerships", "28 Feb 2023"],
    ["Grace", "O'Neill", "www.linkedin.com/in/grace-oneill-ux", "", "Harborview Health", "UX Researcher", "15 Aug 2022"],
    ["Samuel", "Okoro, PhD, PMP", "www.linkedin.com/in/samuel-okoro-phd", "", "Lagoon Payments", "Programme Director", "30 Jun 2021"],
    ["Lena", "Vogel", "www.linkedin.com/in/lena-vogel-0c1d", "", "Stealth", "Building something new", "05 Mar 2022"],
    ["Kofi", "Asante", "www.linkedin.com/in/kofiasante", "", "Self-employed", "\"Fractional\" CMO", "11 Nov 2019"],
]
li_preamble = ('Notes:\n'
               '"When exporting your connection data, you may notice that some of the email addresses are missing. '
               'You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email.\n'
               'You can learn more here https://www.linkedin.com/help/linkedin/answer/261"\n'
               '\n')
write("linkedin_connections.csv", (li_preamble + rows_to_text([li_headers] + li_rows, lineterminator="\n")).encode("utf-8"))
EXPECTED["linkedin_connections.csv"] = {
    "vendor": "linkedin_connections", "encoding": "UTF-8", "bom": False, "line_endings": "LF",
    "delimiter": ",", "header_row": 5, "rows": 10, "headers": li_headers,
    "notes": "Preamble: line 1 'Notes:', lines 2-3 one quoted paragraph spanning two lines (it contains commas and periods, so a naive 'first line with commas' header sniffer lands on it), line 4 blank, header on line 5. "
             "Email Address is empty on 8 of 10 rows - these leads must still import (no email is not an error). "
             "Connected On is 'DD Mon YYYY' and is connected_on, not created_at. URL mostly lacks a scheme ('www.linkedin.com/in/...'); row 1 has https://. "
             "Last names with commas are quoted: 'Looper, DipWSET' (row 2), 'Okoro, PhD, PMP' (row 8) - credentials, a name cleaner may strip them. "
             "Row 3 first name has doubled quotes (Robert \"Bobby\"); row 10 position has quotes; row 4 last name has an emoji and no company/position. "
             "Mapping of URL -> linkedin_url follows CSV-HEADERS.md ('URL (only in a LinkedIn Connections file)'); csv-header-synonyms.json omits URL, so a pure JSON-driven mapper leaves it null.",
}

# ---------------------------------------------------------------- 7/8 utf-16
u16_headers = ["First Name", "Last Name", "Email", "Company"]
u16_rows = [
    ["Zoë", "Hartmann", "zoe.hartmann@example.com", "Café Lumière"],
    ["Łukasz", "Kowalczyk", "lukasz.kowalczyk@example.org", "Żubr Logistics Sp. z o.o."],
    ["伟", "陈", "chen.wei@example.test", "深圳明光科技有限公司"],
    ["Siân", "Llewellyn", "sian.llewellyn@example.com", "Tŷ Coffi"],
    ["Αλέξανδρος", "Παπαδόπουλος", "alex.papadopoulos@example.org", "Olympus Foods"],
    ["Amelia", "Frost", "amelia.frost@example.com", "Frost & Ivy 🌿 Studio"],
]
u16_text = rows_to_text([u16_headers] + u16_rows, lineterminator="\r\n")
write("utf16le.csv", b"\xff\xfe" + u16_text.encode("utf-16-le"))
write("utf16be.csv", b"\xfe\xff" + u16_text.encode("utf-16-be"))
u16_notes = ("Lots of NUL bytes: a byte-oriented sniffer that ignores the BOM sees garbage. Non-ASCII: Zoë, Łukasz/Żubr, 陈伟 (First Name 伟, Last Name 陈; CJK company), Welsh ŷ/â, Greek. "
             "Row 6 company contains U+1F33F (a surrogate pair in UTF-16). Same text as the other UTF-16 file; only byte order differs.")
EXPECTED["utf16le.csv"] = {"vendor": None, "encoding": "UTF-16LE", "bom": True, "line_endings": "CRLF", "delimiter": ",", "header_row": 1, "rows": 6, "headers": u16_headers,
                           "notes": "UTF-16 little-endian with BOM FF FE. " + u16_notes}
EXPECTED["utf16be.csv"] = {"vendor": None, "encoding": "UTF-16BE", "bom": True, "line_endings": "CRLF", "delimiter": ",", "header_row": 1, "rows": 6, "headers": u16_headers,
                           "notes": "UTF-16 big-endian with BOM FE FF. " + u16_notes}

# ---------------------------------------------------------------- 9 excel sep=
ex_headers = ["First Name", "Last Name", "Email", "Phone", "Company", "Title"]
ex_rows = [
    ["Oliver", "Grant", "oliver.grant@example.com", "(415) 555-0123", "Grant, Hale & Co", "Managing Partner"],
    ["Priyanka", "Desai", "priyanka.desai@example.org", "+1 415 555 0124", "Desai Imports", "Owner"],
    ["Marco", "Bianchi", "marco.bianchi@example.test", "", "Bianchi Cycles", "Head of Retail, EMEA"],
    ["Elif", "Yılmaz", "elif.yilmaz@example.com", "+90 212 555 01 23", "Boğaziçi Tekstil", "Export Manager"],
    ["Connor", "Walsh", "", "415.555.0125", "Walsh Brewing", "Brewmaster"],
    ["Aroha", "Ngata", "aroha.ngata@example.org", "+64 9 555 0126", "Kauri Studio", "Designer"],
]
write("excel_sep.csv", ("sep=|\r\n" + rows_to_text([ex_headers] + ex_rows, delimiter="|", lineterminator="\r\n")).encode("utf-8"))
EXPECTED["excel_sep.csv"] = {
    "vendor": None, "encoding": "UTF-8", "bom": False, "line_endings": "CRLF",
    "delimiter": "|", "header_row": 2, "rows": 6, "headers": ex_headers,
    "notes": "Line 1 is Excel's 'sep=|' directive: it names the delimiter and is not the header and not data. "
             "Commas inside values ('Grant, Hale & Co', 'Head of Retail, EMEA') are plain text, unquoted - a comma-first sniffer would see 2 columns. "
             "Row 5 has no email. Row 4 has Turkish dotless ı and ğ.",
}

# ---------------------------------------------------------------- 10 quoting
q_headers = ["First Name", "Last Name", "Email", "Company", "Notes"]
q_text = (
    'First Name,Last Name,Email,Company,Notes\n'                                                      # LF
    'Alice,Nguyen,alice.nguyen@example.com,Nguyen Design,Plain row\r\n'                               # CRLF
    'Brian,Osei,brian.osei@example.org,Osei Logistics,"Met at trade show.\nWants a demo in Q2"\r'      # embedded LF, CR
    'Chloé,Martin,chloe.martin@example.test,"Martin, Fils & Cie","Said ""call me after 3pm"""\n'      # delimiter + doubled quotes, LF
    '\n'                                                                                              # blank line
    'Dmitri,Volkov,dmitri.volkov@example.com,Volkov Trading   ,Trailing spaces in company  \r\n'      # unquoted trailing spaces
    'Elena ,  Rossi,elena.rossi@example.org,"  Rossi & Co  ",Quoted value with outer spaces\n'        # spaces, quoted spaces
    'Farah,Haddad,farah.haddad@example.com\r\n'                                                       # short row (3 fields)
    'Gustavo,Lima,gustavo.lima@example.test,Lima Agro,Long row,EXTRA-UNNAMED\n'                       # long row (6 fields)
    'Hana,Sato,hana.sato@example.com,"Sato ""Kaizen"" Partners","Line one\r\nLine two, with comma\r\nLine three"\r'  # CRLFs inside quotes, CR
    'Ivan,Petrov,ivan.petrov@example.org,Petrov & Sons,"Last row, no newline at EOF"'                  # no terminator
)
write("quoting.csv", q_text.encode("utf-8"))
EXPECTED["quoting.csv"] = {
    "vendor": None, "encoding": "UTF-8", "bom": False, "line_endings": "mixed (LF, CRLF, CR)",
    "delimiter": ",", "header_row": 1, "rows": 9, "headers": q_headers,
    "ragged_rows": [
        {"row": 6, "fields": 3, "expected_fields": 5, "reason": "short row: Company and Notes missing (treat as empty)"},
        {"row": 7, "fields": 6, "expected_fields": 5, "reason": "long row: extra unnamed value 'EXTRA-UNNAMED' (drop or report, never shift columns)"},
    ],
    "notes": "Record terminators are mixed: LF, CRLF and lone CR (rows 2 and 8 end with a bare CR). Row 2 Notes contains an embedded LF; row 8 Notes contains two embedded CRLFs and a comma. "
             "Row 3 has a comma inside a quoted company and doubled quotes in Notes (Said \"call me after 3pm\"); row 8 company is 'Sato \"Kaizen\" Partners'. "
             "A blank line sits between rows 3 and 4 and is not a record. Row 4 has unquoted trailing spaces ('Volkov Trading   '); row 5 has 'Elena ', '  Rossi' and quoted '  Rossi & Co  ' - expect trimmed values. "
             "The last record has no line terminator at EOF. Rows are counted as data records (header excluded, blank line skipped); the Rust csv crate needs flexible(true) for rows 6-7.",
}

# ---------------------------------------------------------------- 11 duplicates and errors
de_headers = ["First Name", "Last Name", "Email", "Phone", "Status", "Next Follow Up"]
de_rows = [
    ["Ana", "Silva", "Ana@Example.com", "(415) 555-0132", "Qualified", "03/04/2026"],          # 1
    ["Bob", "Marsh", "bob@", "12", "closed won", "2026-12-01"],                                # 2
    ["Carla", "Reyes", "carla.reyes@example.org", "+1 415-555-0199", "WON", "31/12/2026"],     # 3
    ["Dev", "Patel", "dev.patel@example.test", "415.555.0100", "Lost", "2026-12-01"],          # 4
    ["Emma", "Clarke", "emma.clarke@example.org", "+44 20 7946 0958", "Nurture", "2026-12-15"],  # 5
    ["", "", "", "", "", ""],                                                                   # 6
    ["ana", "silva", "ana@example.com", "415 555 0132", "qualified", ""],                      # 7
    ["Felix", "Grant", "felix.grant@example.com", "", "bogus-status", "2027-01-15"],           # 8
    ["Gina", "Lopez", "gina.lopez@example.test", "+1 (212) 555-0147", "new", "2026-02-30"],    # 9
    ["Hiro", "Tanaka", "HIRO.TANAKA@EXAMPLE.COM", "+1 646 555 0181", "Contacted", "2026-12-01"],  # 10
    ["Ivy", "Chen", "ivy.chen@example", "(646) 555-0102", "Closed Lost", ""],                 # 11
    ["Hiroshi", "Tanaka", "hiro.tanaka@example.com", "", "NEW", ""],                            # 12
]
write("duplicates_and_errors.csv", rows_to_text([de_headers] + de_rows, lineterminator="\r\n").encode("utf-8"))
EXPECTED["duplicates_and_errors.csv"] = {
    "vendor": None, "encoding": "UTF-8", "bom": False, "line_endings": "CRLF",
    # Row 6 is only delimiters: a blank line, skipped and not counted.
    "delimiter": ",", "header_row": 1, "rows": 11, "headers": de_headers,
    "problems": [
        {"row": 1, "line": 2, "column": "Next Follow Up", "value": "03/04/2026", "severity": "warning", "reason": "ambiguous date: 2026-03-04 (m/d/y) or 2026-04-03 (d/m/y)"},
        {"row": 2, "line": 3, "column": "Email", "value": "bob@", "severity": "error", "reason": "not an email address"},
        {"row": 2, "line": 3, "column": "Phone", "value": "12", "severity": "error", "reason": "not a phone number (too few digits)"},
        {"row": 3, "line": 4, "column": "Next Follow Up", "value": "31/12/2026", "severity": "info", "reason": "only valid as d/m/y -> 2026-12-31"},
        {"row": 6, "line": 7, "column": None, "value": "", "severity": "warning", "reason": "every field empty: skip the row"},
        {"row": 7, "line": 8, "column": "Email", "value": "ana@example.com", "severity": "warning", "reason": "duplicate of row 1 (email matches case-insensitively)"},
        {"row": 8, "line": 9, "column": "Status", "value": "bogus-status", "severity": "error", "reason": "unknown status"},
        {"row": 9, "line": 10, "column": "Next Follow Up", "value": "2026-02-30", "severity": "error", "reason": "not a valid date (February 30)"},
        {"row": 11, "line": 12, "column": "Email", "value": "ivy.chen@example", "severity": "error", "reason": "not an email address (domain has no TLD)"},
        {"row": 12, "line": 13, "column": "Email", "value": "hiro.tanaka@example.com", "severity": "warning", "reason": "duplicate of row 10 (email matches case-insensitively)"},
    ],
    "duplicates": [
        {"row": 7, "duplicate_of": 1, "key": "email", "normalized": "ana@example.com"},
        {"row": 12, "duplicate_of": 10, "key": "email", "normalized": "hiro.tanaka@example.com"},
    ],
    "normalized": {
        "phone_e164_default_region_US": {"1": "+14155550132", "3": "+14155550199", "4": "+14155550100", "5": "+442079460958", "7": "+14155550132", "9": "+12125550147", "10": "+16465550181", "11": "+16465550102"},
        "status_to_leads_status_enum": {"Qualified": "qualified", "closed won": "closed_won", "WON": "closed_won", "Lost": "closed_lost", "Nurture": "nurturing", "qualified": "qualified", "new": "new", "Contacted": "contacted", "Closed Lost": "closed_lost", "NEW": "new", "bogus-status": None},
        "next_follow_up": {"1": "ambiguous", "2": "2026-12-01", "3": "2026-12-31", "4": "2026-12-01", "5": "2026-12-15", "8": "2027-01-15", "9": None, "10": "2026-12-01"},
    },
    "notes": "Rows are 1-based data rows (header excluded); 'line' is the physical line (all rows single-line). "
             "The brief's Ana@X.com/ana@x.com became Ana@Example.com/ana@example.com (example domains only). Rows 7 and 1 are the same email in different case, with the same phone in two forms; "
             "rows 12 and 10 are the same email in different case with a different first name (Hiroshi vs Hiro) - a duplicate by email, decide merge vs skip. "
             "Row 6 is ',,,,,' - not a blank line, so CSV parsers return it as a record of 6 empty fields. "
             "Phones: (415) 555-0132, +1 415-555-0199, 415.555.0100, 415 555 0132, +1 (212) 555-0147, UK +44 20 7946 0958, invalid '12'. "
             "Statuses map onto SCHEMA.md leads.status (new, contacted, qualified, proposal, negotiation, closed_won, closed_lost, nurturing, unqualified). "
             "'Next Follow Up' has no synonym in csv-header-synonyms.json (mapping null) although leads.next_follow_up_at exists - a candidate synonym. "
             "SCHEMA.md says a follow-up date is not set in the past; relative to 2026-11-25 both readings of row 1 are past - clock-dependent, not listed as a problem.",
}

# ---------------------------------------------------------------- 12 duplicate headers
dh_headers = ["First Name", "Last Name", "Email", "", "Company", "Email"]
dh_rows = [
    ["Paula", "Jensen", "paula.jensen@example.com", "VIP", "Jensen Architects", "paula@example.org"],
    ["Omar", "Farouk", "omar.farouk@example.org", "", "Farouk Trading", "omar.farouk@example.org"],
    ["Lucy", "Tran", "", "met at expo", "Tran Nail Supply", "lucy.tran@example.test"],
    ["Viktor", "Novak", "viktor.novak@example.test", "call back Tue", "Novak Stavby", ""],
    ["Beatriz", "Costa", "beatriz.costa@example.com", "", "Costa Ceramics", "b.costa@example.com"],
]
write("duplicate_headers.csv", rows_to_text([dh_headers] + dh_rows, lineterminator="\n").encode("utf-8"))
EXPECTED["duplicate_headers.csv"] = {
    "vendor": None, "encoding": "UTF-8", "bom": False, "line_endings": "LF",
    "delimiter": ",", "header_row": 1, "rows": 5, "headers": dh_headers,
    "warnings": ["blank header in column 4 (it has data: 'VIP', 'met at expo', 'call back Tue')"],
    "mapping_by_index": ["first_name", "last_name", "email", None, "company", "email_secondary"],
    "notes": "Header line 'First Name,Last Name,Email,,Company,Email': columns 3 and 6 are both 'Email', column 4 has an empty name but holds notes. "
             "The 'mapping' object cannot hold both Email columns; see mapping_by_index (0-based column order). "
             "The two Email columns agree on row 2, differ on rows 1 and 5, and only one is filled on rows 3 and 4 - never silently keep one. A keyed-by-name record loses a column here. "
             "Outpost imports it: the second Email stands in for an empty first one, else is kept as the custom field 'Email (2)'.",
}

# ---------------------------------------------------------------- 13 header only
ho_headers = ["First Name", "Last Name", "Email", "Company", "Phone"]
write("header_only.csv", rows_to_text([ho_headers], lineterminator="\r\n").encode("utf-8"))
EXPECTED["header_only.csv"] = {
    "vendor": None, "encoding": "UTF-8", "bom": False, "line_endings": "CRLF",
    "delimiter": ",", "header_row": 1, "rows": 0, "headers": ho_headers,
    "error": "header only",
    "notes": "One header line terminated by CRLF, no data records. Valid CSV but nothing to import.",
}

# ---------------------------------------------------------------- 14 empty
write("empty.csv", b"")
EXPECTED["empty.csv"] = {
    "vendor": None, "encoding": None, "bom": False, "line_endings": None,
    "delimiter": None, "header_row": None, "rows": 0, "headers": [],
    "error": "empty file",
    "notes": "0 bytes. Encoding and delimiter are undetectable (null).",
}

# ---------------------------------------------------------------- 15 gzip
gz_src = rows_to_text([["First Name", "Last Name", "Email"], ["Nora", "Quinn", "nora.quinn@example.com"], ["Raj", "Iyer", "raj.iyer@example.org"]], lineterminator="\n")
write("not_a_csv.csv", gzip.compress(gz_src.encode("utf-8"), mtime=0))
EXPECTED["not_a_csv.csv"] = {
    "vendor": None, "encoding": None, "bom": False, "line_endings": None,
    "delimiter": None, "header_row": None, "rows": 0, "headers": [],
    "error": "not text (compressed/binary)",
    "notes": "gzip stream (magic 1F 8B 08, mtime 0) of a 3-line CSV, saved with a .csv name. Contains NUL and high bytes; must be rejected, not decoded as windows-1252. "
             "(Decompressing it would yield 2 leads, but the importer is not expected to do that.)",
}

# ---------------------------------------------------------------- 16 invalid utf-8
iu_headers = ["First Name", "Last Name", "Email", "Company"]
iu_bytes = (b"\xef\xbb\xbf" + "First Name,Last Name,Email,Company\n".encode() +
            "Renée,Fontaine,renee.fontaine@example.com,Fontaine Fleurs\n".encode() +
            "Marcus,Webb,marcus.webb@example.org,Webb Hardware\n".encode() +
            b"Sigrid,Nyberg,sigrid.nyberg@example.test,Nord\xff\xfeic Supply\n" +
            "Tobias,Kr\u00e4mer,tobias.kraemer@example.com,Kr\u00e4mer Elektro\n".encode() +
            "Yasmin,Aziz,yasmin.aziz@example.org,Aziz & Co\n".encode())
write("invalid_utf8.csv", iu_bytes)
EXPECTED["invalid_utf8.csv"] = {
    "vendor": None, "encoding": "UTF-8", "bom": True, "line_endings": "LF",
    "delimiter": ",", "header_row": 1, "rows": 5, "headers": iu_headers,
    "error": "invalid bytes for the declared encoding at row 3",
    "error_line": 4, "error_column": "Company",
    "error_byte_offset": iu_bytes.index(b"\xff\xfe"),
    "notes": "UTF-8 BOM, valid UTF-8 everywhere (incl. 'Renée', 'Krämer') except bytes FF FE inside the Company value of data row 3 ('Nord\\xff\\xfeic Supply', physical line 4). "
             "FF FE is also the UTF-16LE BOM: it must not flip detection since it is mid-file. rows = 5 counts records when decoded lossily (U+FFFD), for importers that report and continue.",
}

# ---------------------------------------------------------------- 17 unbalanced quote
ub_headers = ["First Name", "Last Name", "Email", "Company"]
ub_text = ("First Name,Last Name,Email,Company\n"
           "Adam,Reid,adam.reid@example.com,Reid Roofing\n"
           "Bianca,Moretti,bianca.moretti@example.org,\"Moretti, Ltd\"\n"
           "Caleb,Ford,caleb.ford@example.test,Ford Fencing\n"
           "Dana,Kim,\"dana.kim@example.com,Kim Ventures\n"
           "Elliot,Shaw,elliot.shaw@example.com,Shaw Media\n"
           "Freya,Lund,freya.lund@example.org,Lund Textiles\n")
write("unbalanced_quote.csv", ub_text.encode("utf-8"))
EXPECTED["unbalanced_quote.csv"] = {
    "vendor": None, "encoding": "UTF-8", "bom": False, "line_endings": "LF",
    "delimiter": ",", "header_row": 1, "rows": 3, "headers": ub_headers,
    "error": "unbalanced quote starting at row 4",
    "error_line": 5, "error_column": "Email",
    "notes": "Row 4 (line 5) opens a quote at the start of the Email field ('\"dana.kim@example.com,Kim Ventures') that never closes, so rows 5-6 are swallowed into that field until EOF. "
             "rows = 3 complete records before the error. A lenient parser (Python csv non-strict, Rust csv default) silently returns a 4th record with a 3-line Email value - the importer must detect EOF-inside-quotes and report it.",
}

# ================================================================ mapping from the synonym JSON
with open(SYN) as f:
    SYNS = json.load(f)["synonyms"]


def norm(h):
    return re.sub(r"\s+", "", h).lower()


LOOKUP = {}
for canon, names in SYNS.items():
    for n in names:
        assert norm(n) not in LOOKUP or LOOKUP[norm(n)] == canon, n
        LOOKUP[norm(n)] = canon

for name, e in EXPECTED.items():
    m = {}
    for h in e["headers"]:
        m[h] = LOOKUP.get(norm(h))
    if name == "linkedin_connections.csv":
        m["URL"] = "linkedin_url"  # CSV-HEADERS.md: URL only in a LinkedIn Connections file
    e["mapping"] = m

ORDER = ["hubspot.csv", "salesforce_report.csv", "salesforce_api.csv", "pipedrive.csv", "apollo.csv",
         "linkedin_connections.csv", "utf16le.csv", "utf16be.csv", "excel_sep.csv", "quoting.csv",
         "duplicates_and_errors.csv", "duplicate_headers.csv", "header_only.csv", "empty.csv",
         "not_a_csv.csv", "invalid_utf8.csv", "unbalanced_quote.csv"]
KEYORDER = ["vendor", "encoding", "bom", "line_endings", "delimiter", "header_row", "rows", "headers", "mapping",
            "mapping_by_index", "error", "error_line", "error_column", "error_byte_offset", "warnings",
            "ragged_rows", "problems", "duplicates", "normalized", "notes"]
out = {}
for n in ORDER:
    e = EXPECTED[n]
    assert set(e) <= set(KEYORDER), set(e) - set(KEYORDER)
    out[n] = {k: e[k] for k in KEYORDER if k in e}
with open(os.path.join(HERE, "EXPECTED.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=2)
    f.write("\n")
print("wrote", len(out), "files + EXPECTED.json")
