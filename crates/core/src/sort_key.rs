//! The lead list's alphabetical order: names and companies compared without regard to case or
//! accents ("Ärzt" beside "Arzt", "Émile" among the E's), where SQLite's NOCASE folds ASCII letters
//! only and put every accented initial after Z. A deterministic SQL function the name and company
//! sort indexes are built on (V17); every connection the store opens has it. Another SQLite tool can
//! still read the database and change other columns, but not write a lead's name or company (the
//! index needs the function).

use std::borrow::Cow;

use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub const FUNCTION: &str = "outpost_sort_key";

/// The text as it sorts: lower case, accents and other combining marks taken off (NFKD), and the
/// letters that do not decompose written as their base letters (ß → ss, æ → ae, ø → o, ł → l).
pub fn sort_key(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        };
    }
    let mut key = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
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
    }
}
