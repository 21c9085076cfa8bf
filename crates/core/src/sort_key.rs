//! The lead list's alphabetical order: names and companies compared without regard to case or
//! accents ("Ärzt" beside "Arzt", "Émile" among the E's), where SQLite's NOCASE folds ASCII letters
//! only and put every accented initial after Z. A deterministic SQL function the name and company
//! sort indexes are built on (V17); every connection the store opens has it. Another SQLite tool can
//! still read the database and change other columns, but not write a lead's name or company (the
//! index needs the function).

use std::borrow::Cow;

use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use unicode_normalization::UnicodeNormalization;

pub const FUNCTION: &str = "outpost_sort_key";

/// The Unicode tables the keys come from (case mapping: the Rust toolchain's; decomposition: the
/// normalization crate's). Keys made with other tables may differ: an index built with them is
/// rebuilt when the store opens ([`refresh_indexes`]).
pub fn tables_version() -> String {
    format!("{:?}/{:?}", char::UNICODE_VERSION, unicode_normalization::UNICODE_VERSION)
}

/// Accents and the like (the combining diacritical mark blocks). Other scripts' combining marks —
/// Indic and Thai vowel signs — are letters of the name and stay.
fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The text as it sorts: lower case, accents taken off (NFKD), and the letters that do not
/// decompose written as their base letters (ß → ss, æ → ae, ø → o, ł → l).
pub fn sort_key(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        };
    }
    let mut key = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_diacritic(*c)) {
        match c {
            'ß' | 'ẞ' => key.push_str("ss"),
            'æ' | 'Æ' => key.push_str("ae"),
            'œ' | 'Œ' => key.push_str("oe"),
            'ø' | 'Ø' => key.push('o'),
            'ł' | 'Ł' => key.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => key.push('d'),
            'þ' | 'Þ' => key.push_str("th"),
            'ı' => key.push('i'),
            c => key.extend(c.to_lowercase()),
        }
    }
    Cow::Owned(key)
}

/// The indexes built on the function, rebuilt when the Unicode tables changed since they were built
/// (a toolchain or crate upgrade): SQLite would otherwise find entries whose key the function no
/// longer gives, and call the index corrupt.
pub(crate) fn refresh_indexes(conn: &Connection) -> rusqlite::Result<()> {
    let now = tables_version();
    let built: Option<String> = conn
        .query_row("SELECT value FROM local_settings WHERE key = 'sort_key_tables'", [], |r| r.get(0))
        .optional()?;
    if built.as_deref() == Some(now.as_str()) {
        return Ok(());
    }
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%' || ?1 || '(%'")?
        .query_map([FUNCTION], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in indexes {
        conn.execute_batch(&format!("REINDEX \"{name}\""))?;
    }
    conn.execute(
        "INSERT INTO local_settings (key, value) VALUES ('sort_key_tables', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [now],
    )?;
    Ok(())
}

pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function(FUNCTION, 1, flags, |ctx| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Null => None,
            ValueRef::Integer(i) => Some(i.to_string()),
            ValueRef::Real(r) => Some(r.to_string()),
            ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
                Some(sort_key(&String::from_utf8_lossy(bytes)).into_owned())
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::sort_key;

    #[test]
    fn accents_and_case_do_not_change_the_order() {
        let mut names = ["Zeller", "Ärzt", "adams", "Østby", "Émile", "Young", "Öberg", "Ångström", "Łukasz", "Straße"];
        names.sort_by_key(|n| sort_key(n).into_owned());
        assert_eq!(
            names,
            ["adams", "Ångström", "Ärzt", "Émile", "Łukasz", "Öberg", "Østby", "Straße", "Young", "Zeller"]
        );
        assert_eq!(sort_key("ACME Inc"), "acme inc");
        assert_eq!(sort_key("東京"), "東京");
        // Another script's vowel signs are part of the name: "कि" and "का" stay apart.
        assert_ne!(sort_key("कि"), sort_key("का"));
    }
}
