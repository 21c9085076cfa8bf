//! Timestamps are stored as RFC 3339 UTC text with exactly six fractional digits, so that text order
//! is time order in SQLite and the value round-trips through PostgreSQL's timestamptz unchanged.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn now() -> String {
    format(Utc::now())
}

/// Accepts RFC 3339 with any offset, or a bare date (midnight UTC); returns the canonical form.
pub fn normalize(input: &str) -> Option<String> {
    let s = input.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(format(t.with_timezone(&Utc)));
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z") {
        return Some(format(t.with_timezone(&Utc)));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| format(t.and_utc()));
    }
    None
}

pub fn parse(canonical: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(canonical).ok().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_offsets_and_dates() {
        assert_eq!(normalize("2026-12-01T10:00:00+01:00").as_deref(), Some("2026-12-01T09:00:00.000000Z"));
        assert_eq!(normalize("2026-12-01").as_deref(), Some("2026-12-01T00:00:00.000000Z"));
        assert_eq!(normalize("2026-12-01 10:00:00.5+00").as_deref(), Some("2026-12-01T10:00:00.500000Z"));
        assert_eq!(normalize("tomorrow"), None);
        assert!(now().ends_with('Z') && now().len() == 27);
    }
}
