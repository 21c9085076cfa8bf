//! A table's CHECK constraints read from its CREATE TABLE text, so a batch of inserts can have
//! SQLite evaluate just the ones its rows can break (see `Batch`) instead of all of them per row.

use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks {
    /// Column name → its CHECK expressions joined with AND.
    pub columns: HashMap<String, String>,
    /// The table's own constraints (`CONSTRAINT x CHECK (...)`, `CHECK (...)`).
    pub table: Vec<String>,
    /// Every CHECK keyword was read into one of the above: nothing was missed.
    pub complete: bool,
}

pub fn parse(create_sql: &str) -> Checks {
    let mut checks = Checks::default();
    let Some(body) = body(create_sql) else { return checks };
    let mut found = 0;
    for part in split_top(body, ',') {
        let part = part.trim();
        let exprs = check_exprs(part);
        found += exprs.len();
        let first = part.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        if matches!(first.as_str(), "CONSTRAINT" | "CHECK" | "PRIMARY" | "UNIQUE" | "FOREIGN") {
            checks.table.extend(exprs);
        } else if !exprs.is_empty() {
            let name = first_identifier(part);
            checks.columns.insert(name, exprs.iter().map(|e| format!("({e})")).collect::<Vec<_>>().join(" AND "));
        }
    }
    // Comments and `…`/[…] identifiers are not read here (a quote inside one would mislead it).
    let unread = unquoted(create_sql)
        .any(|(i, c)| matches!(c, '`' | '[') || create_sql.get(i..i + 2).is_some_and(|two| two == "--" || two == "/*"));
    checks.complete = !unread && found == keyword_positions(create_sql).len();
    checks
}

/// The text between the outermost parentheses of `CREATE TABLE name (...)`.
fn body(sql: &str) -> Option<&str> {
    let (open, _) = unquoted(sql).find(|&(_, c)| c == '(')?;
    let close = matching(sql, open)?;
    sql.get(open + 1..close)
}

/// The position of the parenthesis closing the one at `open`, outside quotes.
fn matching(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in unquoted(s).filter(|&(i, _)| i >= open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Characters outside '…' and "…" quotes, with their byte positions.
fn unquoted(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut quote: Option<char> = None;
    s.char_indices().filter(move |&(_, c)| match quote {
        Some(q) => {
            // A doubled quote closes and reopens: the same as staying inside.
            if c == q {
                quote = None;
            }
            false
        }
        None if c == '\'' || c == '"' => {
            quote = Some(c);
            false
        }
        None => true,
    })
}

fn split_top(s: &str, sep: char) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in unquoted(s) {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if c == sep && depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Byte positions of the CHECK keyword outside quotes (a whole word, any case).
fn keyword_positions(s: &str) -> Vec<usize> {
    let bytes = s.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    unquoted(s)
        .map(|(i, _)| i)
        .filter(|&i| {
            bytes.get(i..i + 5).is_some_and(|w| w.eq_ignore_ascii_case(b"CHECK"))
                && (i == 0 || !word(bytes[i - 1]))
                && !bytes.get(i + 5).copied().is_some_and(word)
        })
        .collect()
}

fn check_exprs(part: &str) -> Vec<String> {
    keyword_positions(part)
        .into_iter()
        .filter_map(|at| {
            let open = at + part[at..].find('(')?;
            part[at + 5..open].trim().is_empty().then_some(())?;
            let close = matching(part, open)?;
            Some(part[open + 1..close].trim().to_string())
        })
        .collect()
}

fn first_identifier(part: &str) -> String {
    let part = part.trim_start();
    match part.chars().next() {
        Some(q @ ('"' | '`' | '[')) => {
            let end = if q == '[' { ']' } else { q };
            part[1..].split(end).next().unwrap_or_default().to_string()
        }
        _ => part.split(|c: char| c.is_whitespace()).next().unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_and_table_checks_are_read_whole() {
        let sql = "CREATE TABLE t (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'a,b', 'it''s (odd)')),
            \"check_in\" TEXT,
            n INTEGER CHECK (n >= 0) CHECK (n < 10),
            note TEXT DEFAULT 'CHECK (x)',
            CONSTRAINT t_period CHECK (n <= 5)
        ) STRICT";
        let c = parse(sql);
        assert!(c.complete, "{c:?}");
        assert_eq!(c.columns["id"], "(length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*')");
        assert_eq!(c.columns["status"], "(status IN ('new', 'a,b', 'it''s (odd)'))");
        assert_eq!(c.columns["n"], "(n >= 0) AND (n < 10)");
        assert!(!c.columns.contains_key("check_in") && !c.columns.contains_key("note"));
        assert_eq!(c.table, vec!["n <= 5"]);
        for unread in
            ["n INTEGER -- it's (odd)\n CHECK (n > 0)", "`n` INTEGER CHECK (n > 0)", "n INT /* x */ CHECK (n > 0)"]
        {
            assert!(!parse(&format!("CREATE TABLE t ({unread})")).complete, "{unread}");
        }
        assert!(parse("CREATE TABLE \"a(b\" (n INTEGER CHECK (n > 0))").columns.contains_key("n"));
    }

    #[test]
    fn every_synced_table_has_its_checks_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = crate::Store::open(dir.path().join("t.db")).unwrap_or_else(|e| panic!("{e}"));
        for t in store.catalog().tables() {
            assert!(t.checks.complete, "{}: {:?}", t.name, t.checks);
            for name in t.checks.columns.keys() {
                assert!(t.columns.iter().any(|c| &c.name == name), "{}.{name} is a column", t.name);
            }
        }
        let leads = store.catalog().table("leads").unwrap_or_else(|e| panic!("{e}"));
        assert!(leads.checks.columns["status"].starts_with("(status IN ('new'"));
        assert_eq!(leads.checks.columns.len(), 20);
        assert_eq!(store.catalog().table("forecasts").unwrap_or_else(|e| panic!("{e}")).checks.table.len(), 1);
    }
}
