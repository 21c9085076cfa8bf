//! Turning a mapped row's text into lead values, with a reason for every value that can't be used.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use outpost_core::rules::is_format_char;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// 03/04/2026 is March 4 (US exports)
    Mdy,
    /// 03/04/2026 is 3 April
    Dmy,
    Ymd,
    /// As the file's own dates say (a 25/12/2023 is day/month/year); month/day/year when every date
    /// reads either way. An import settles it before reading its rows (`guess_date_order`).
    #[default]
    Auto,
}

/// What a file's numeric dates say about their order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateGuess {
    pub order: Option<DateOrder>,
    /// Numeric dates that read either way (03/04/2026), with nothing in the file to tell which.
    pub unclear: bool,
}

/// The order a file's numeric dates are written in, from its values: a first number past 12 is a
/// day (day/month/year), so is a second one (month/day/year). Where every date reads either way,
/// dates written with dots (03.04.2026) and a semicolon-separated file (Excel where the decimal
/// mark is a comma) are day/month/year by their countries' custom; otherwise it is unclear. Values
/// that disagree settle nothing (they are reported as they are met).
pub fn guess_date_order<'a>(values: impl Iterator<Item = &'a str>, semicolons: bool) -> DateGuess {
    let (mut dmy, mut mdy, mut dotted, mut numeric) = (false, false, false, false);
    for v in values {
        let day_part = v.trim().split([' ', 'T']).next().unwrap_or_default();
        let parts: Vec<&str> = day_part.split(['/', '.', '-']).collect();
        let [a, b, c] = parts[..] else { continue };
        // (A year first is year/month/day, ISO's order: nothing to tell. "1.250.000" or "1.2.3" is
        // no date at all.)
        let (Ok(x), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>()) else { continue };
        let year = (c.len() == 2 || c.len() == 4) && c.chars().all(|ch| ch.is_ascii_digit());
        if a.len() > 2 || !year || !(1..=31).contains(&x) || !(1..=31).contains(&y) {
            continue;
        }
        numeric = true;
        dotted |= day_part.contains('.');
        dmy |= (13..=31).contains(&x) && (1..=12).contains(&y);
        mdy |= (13..=31).contains(&y) && (1..=12).contains(&x);
    }
    match (dmy, mdy) {
        (true, false) => DateGuess { order: Some(DateOrder::Dmy), unclear: false },
        (false, true) => DateGuess { order: Some(DateOrder::Mdy), unclear: false },
        (true, true) => DateGuess { order: None, unclear: false },
        (false, false) if numeric && (dotted || semicolons) => {
            DateGuess { order: Some(DateOrder::Dmy), unclear: false }
        }
        (false, false) => DateGuess { order: None, unclear: numeric },
    }
}

/// The phonenumber region for `--region`, or why not. "UK" is what people type for Great Britain.
pub fn region(text: &str) -> Result<phonenumber::country::Id, String> {
    let code = text.trim().to_uppercase();
    let code = if code == "UK" { "GB".to_string() } else { code };
    // A country's name as a Country column may have it ("Germany") is understood here too.
    let code = match phonenumber::country::Id::from_str(&code) {
        Err(_) => country_region(text).map_or(code, str::to_string),
        Ok(_) => code,
    };
    phonenumber::country::Id::from_str(&code).map_err(|_| {
        format!(
            "unknown --region '{text}': give the country of the numbers without a +country code (US, GB, Germany …)"
        )
    })
}

/// The phone region a row's country cell names — "Germany", "DE", "DEU", "United Kingdom",
/// "U.K.", "UK", a few names in their own language ("Deutschland", "España") — when it names one
/// the phone library knows. A placeholder ("N/A", "none") names none (N/A is not Namibia).
pub fn country_region(cell: &str) -> Option<&'static str> {
    country_named(cell).or_else(|| {
        // "Berlin, Germany" (a place, then its country), "Korea, Republic of" (ISO's word order).
        let (head, tail) = cell.rsplit_once(',')?;
        // (Not a two- or three-letter tail: "Dover, DE" is Delaware, "Atlanta, GA" Georgia.)
        let named = (tail.trim().chars().count() > 3).then(|| country_named(tail)).flatten();
        named.or_else(|| country_named(&format!("{tail} {head}")))
    })
}

fn country_named(cell: &str) -> Option<&'static str> {
    use unicode_normalization::UnicodeNormalization;
    // Letters and digits, lowercased, accents off: "Österreich" → "osterreich", "U.S.A." → "usa".
    let key: String =
        cell.nfd().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).filter(char::is_ascii).collect();
    let key = key.strip_prefix("the").filter(|k| k.len() > 2).unwrap_or(&key);
    // Numbers (a zip code in the wrong column, ISO's numeric codes) name no country here.
    if !key.chars().any(|c| c.is_ascii_alphabetic()) || is_placeholder(cell) {
        return None;
    }
    const OWN_NAMES: [(&str, &str); 14] = [
        ("uk", "GB"),
        ("wales", "GB"),
        ("deutschland", "DE"),
        ("espana", "ES"),
        ("brasil", "BR"),
        ("italia", "IT"),
        ("nederland", "NL"),
        ("schweiz", "CH"),
        ("suisse", "CH"),
        ("osterreich", "AT"),
        ("sverige", "SE"),
        ("norge", "NO"),
        ("danmark", "DK"),
        ("polska", "PL"),
    ];
    let alpha2 = match OWN_NAMES.iter().find(|(name, _)| *name == key) {
        Some((_, code)) => code,
        None => celes::Country::from_str(key).ok()?.alpha2,
    };
    phonenumber::country::Id::from_str(alpha2).ok().map(|_| alpha2)
}

/// Whether a cell says it has no value, as spreadsheets do: "N/A", "none", "-", "?", "TBD" …
/// ("NO" is Norway.)
pub fn is_placeholder(cell: &str) -> bool {
    const PLACEHOLDERS: [&str; 9] = ["", "na", "none", "null", "nil", "unknown", "tbd", "other", "notapplicable"];
    PLACEHOLDERS.contains(&crate::mapping::squash(cell).as_str())
}

/// Whether a number starts with its +country code ("+33 1 23 45 67 89", "(+44) 20 …").
fn names_its_country(text: &str) -> bool {
    text.trim_start_matches(|c: char| c.is_whitespace() || c == '(').starts_with('+')
}

/// A phone number as [`phone_in`] reads it.
pub struct Phone {
    /// E.164: "+14155550132".
    pub e164: String,
    pub extension: Option<String>,
    /// Read in the row's country, the number is also a valid one of the import's region (this one):
    /// the row's country may be the company's, not the number's.
    pub also: Option<String>,
}

/// [`phone`] read in the row's country first, then in the import's region.
pub fn phone_in(text: &str, row_region: Option<&str>, region: &str) -> Result<Phone, String> {
    let Some(row_region) = row_region else {
        return phone(text, region).map(|(e164, extension)| Phone { e164, extension, also: None });
    };
    match phone(text, row_region) {
        Ok((e164, extension)) => {
            // (A number with its +country code reads the same anywhere.)
            let other = if names_its_country(text) { None } else { phone(text, region).ok() };
            let also = other.map(|(other, _)| other).filter(|other| *other != e164);
            Ok(Phone { e164, extension, also })
        }
        Err(first) => match phone(text, region) {
            Ok((e164, extension)) => Ok(Phone { e164, extension, also: None }),
            Err(_) => Err(match first.strip_prefix("not a valid phone number for region ") {
                Some(r) => format!("not a valid phone number for region {r} (the row's country) or {region}"),
                None => first,
            }),
        },
    }
}

/// A phone number in E.164 ("+14155550132") with its extension if it has one, or why not.
/// Numbers without a country code are read in `region`.
pub fn phone(text: &str, region: &str) -> Result<(String, Option<String>), String> {
    let id = self::region(region)?;
    // A number that names its country is read on its own: read in the default region, the phone
    // library takes the US trunk prefix 1 out of "+33 1 23 45 67 89" and calls it invalid.
    let international = names_its_country(text);
    let parsed = phonenumber::parse(if international { None } else { Some(id) }, text)
        .map_err(|_| "not a phone number".to_string())?;
    if !phonenumber::is_valid(&parsed) {
        return Err(if international {
            "not a valid phone number for its country code".to_string()
        } else {
            format!("not a valid phone number for region {region}")
        });
    }
    let extension = parsed.extension().map(|e| e.to_string()).filter(|e| !e.is_empty());
    Ok((parsed.format().mode(phonenumber::Mode::E164).to_string(), extension))
}

/// An email address with the wrappers exports and copy-paste put around it taken off (`mailto:`,
/// `Name <a@b.com>`, invisible characters, a sentence's trailing dot); `None` for the placeholders
/// that mean there is none; or why the cell is not one address.
pub fn email(text: &str) -> Result<Option<String>, String> {
    // Zero-width and other format characters are invisible in every UI and would make the same
    // address look different to dedupe.
    // (Every format character is non-ASCII: the common ASCII address is not copied.)
    let visible: std::borrow::Cow<'_, str> = if text.is_ascii() {
        text.into()
    } else {
        text.chars().filter(|c| !is_format_char(*c)).collect::<String>().into()
    };
    let mut s = visible.trim();
    if s.contains('\u{fffd}') {
        return Err("not an email address (it holds bytes that are not valid in the file's encoding)".into());
    }
    const NONE: [&str; 9] = ["", "n/a", "na", "-", "--", "none", "null", "nil", "unknown"];
    if s.len() <= 7 && NONE.iter().any(|n| s.eq_ignore_ascii_case(n)) {
        return Ok(None);
    }
    if let Some(open) = s.rfind('<') {
        if s.ends_with('>') {
            s = s[open + 1..s.len() - 1].trim();
        }
    }
    if s.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("mailto:")) {
        s = s[7..].split('?').next().unwrap_or_default().trim();
    }
    let s = s.trim_matches(|c| c == '"' || c == '\'').trim_end_matches('.').trim();
    if s.contains([',', ';']) || s.split_whitespace().count() > 1 && s.matches('@').count() > 1 {
        return Err("more than one address in the cell; keep one and put the others in another column".into());
    }
    match s.matches('@').count() {
        0 => return Err("not an email address (no @)".into()),
        1 => {}
        _ => return Err("not an email address (more than one @)".into()),
    }
    match outpost_core::rules::check_email_syntax(s) {
        // One spelling of an accented address, so the duplicate check sees "josé@" typed,
        // "JOSÉ@" and "josé@" pasted from a decomposed source as one.
        Ok(()) => Ok(Some(outpost_core::rules::email_form(s).into_owned())),
        // The store's reason repeats the value, which the row problem shows already.
        Err(outpost_core::Error::Invalid { reason, .. }) => {
            Err(format!("not an email address{}", reason.find(" (").map_or("", |i| &reason[i..])))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// A full name as first and last name, plus the honorific and suffix it carried ("Dr.", "Jr.").
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Name {
    pub first: Option<String>,
    pub last: Option<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
}

const HONORIFICS: [&str; 9] = ["dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "rev"];
const SUFFIXES: [&str; 13] = ["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "dds", "mba", "cpa", "jd", "dphil"];
/// Words that belong to the surname that follows them ("van der Berg", "da Silva").
const PARTICLES: [&str; 13] = ["van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "del", "della", "dos"];

fn word_key(w: &str) -> String {
    w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Leading honorifics out of `words` (one word is always left: "Dr." alone is not a title).
fn take_honorifics(words: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    while words.len() > 1 && HONORIFICS.contains(&word_key(&words[0]).as_str()) {
        out.push(words.remove(0));
    }
    out
}

/// Trailing suffixes out of `words`, in their order.
fn take_suffixes(words: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    while words.len() > 1 && words.last().is_some_and(|w| is_suffix(w)) {
        out.extend(words.pop());
    }
    out.reverse();
    out
}

fn is_suffix(w: &str) -> bool {
    SUFFIXES.contains(&word_key(w).as_str())
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(|w| w.trim_end_matches(',').to_string()).filter(|w| !w.is_empty()).collect()
}

/// Splits "First Middle Last" and "Last, First", keeping honorifics and suffixes apart and surname
/// particles ("van der", "da") with the surname.
pub fn full_name(text: &str) -> Name {
    // A comma before suffixes only ("John Smith, Jr.", "Smith, John, PhD") is not last-name-first.
    let mut parts: Vec<&str> = text.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    let mut suffixes = Vec::new();
    while parts.len() > 1 && parts.last().is_some_and(|p| p.split_whitespace().all(is_suffix)) {
        suffixes.splice(0..0, parts.pop().map(words).unwrap_or_default());
    }
    let (mut first, mut last) =
        if parts.len() == 2 { (words(parts[1]), Some(words(parts[0]))) } else { (words(&parts.join(" ")), None) };
    let mut prefix = take_honorifics(&mut first);
    let mut suffix = take_suffixes(&mut first);
    if let Some(last) = last.as_mut() {
        prefix.splice(0..0, take_honorifics(last));
        suffix.extend(take_suffixes(last));
    }
    suffix.extend(suffixes);
    let last = match last {
        Some(last) => last,
        None if first.len() < 2 => Vec::new(),
        None => {
            // The surname starts at the first particle that only particles follow up to the last word.
            let n = first.len();
            let start = (1..n - 1)
                .find(|&i| first[i..n - 1].iter().all(|w| PARTICLES.contains(&word_key(w).as_str())))
                .unwrap_or(n - 1);
            first.split_off(start)
        }
    };
    let join = |w: Vec<String>| Some(w.join(" ")).filter(|s| !s.is_empty());
    Name { first: join(first), last: join(last), prefix: join(prefix), suffix: join(suffix) }
}

/// An ISO date (YYYY-MM-DD), or a timestamp when the cell has a time; common export formats. A
/// date that reads in the other order is said so (the rep may have chosen the wrong one); one that
/// reads in no order ("30 Feb 2024", "02/30/2024") is said to be no day at all.
pub fn date(text: &str, order: DateOrder) -> Result<String, String> {
    if let Some(d) = parse_date(text, order) {
        return Ok(d);
    }
    let (other, hint) = match order {
        DateOrder::Mdy | DateOrder::Auto => (
            Some(DateOrder::Dmy),
            " in month/day/year order (if the file writes day/month/year, choose that date order)",
        ),
        DateOrder::Dmy => (Some(DateOrder::Mdy), " in day/month/year order"),
        DateOrder::Ymd => (None, " in year/month/day order"),
    };
    if other.is_some_and(|o| parse_date(text, o).is_some()) {
        return Err(format!("not a date{hint}"));
    }
    // Year/month/day chosen for a file whose dates are written the other way round.
    if order == DateOrder::Ymd && [DateOrder::Mdy, DateOrder::Dmy].iter().any(|o| parse_date(text, *o).is_some()) {
        return Err("not a date in year/month/day order (the file writes the year last: choose that date order)".into());
    }
    Err(if !text.chars().any(|c| c.is_ascii_digit()) {
        "not a date".into()
    } else if shaped_like_a_date(text) {
        match day_part(text) {
            // The day reads; what follows it does not.
            day if day.len() < text.trim().len() && parse_date(&day, order).is_some() => {
                "not a time Outpost reads after the date (such as 2:30 PM or 14:30)".into()
            }
            _ => "not a date (no such day)".into(),
        }
    } else {
        "not a date in a form Outpost reads (such as 2024-03-15, 3/15/2024, 15 Mar 2024 or Mar 15, 2024)".into()
    })
}

/// The day's part of a date with a time ("02/30/2024 2:30 PM" → "02/30/2024").
fn day_part(text: &str) -> String {
    let day: Vec<&str> = text.split_whitespace().take_while(|w| !w.contains(':')).collect();
    day.join(" ").trim_end_matches(',').to_string()
}

/// Three parts, numbers or a month's name, as the forms read write a day ("02/30/2024", "30 Feb
/// 2024"): one that is still no date names a day that does not exist. Anything else ("46000", a
/// spreadsheet's day number) is a form not read.
fn shaped_like_a_date(text: &str) -> bool {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let day = day_part(text);
    let parts: Vec<&str> = day.split([' ', '/', '.', '-', ',']).filter(|p| !p.is_empty()).collect();
    let month_name = |p: &str| p.len() >= 3 && MONTHS.iter().any(|m| p.to_lowercase().starts_with(m));
    let numbers = parts.iter().filter(|p| p.bytes().all(|b| b.is_ascii_digit())).count();
    parts.len() == 3 && (numbers == 3 || (numbers == 2 && parts.iter().any(|p| month_name(p))))
}

fn parse_date(text: &str, order: DateOrder) -> Option<String> {
    // "Mar 15, 2024, 2:30 PM" and "3/15/2024, 2:30 PM" (a comma before the time), "Sept".
    let tidied = tidy_date(text.trim());
    let s = tidied.as_str();
    // A day is a day, as the other orders give it: not midnight UTC, which is the day before in
    // the Americas.
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    if let Some(t) = outpost_core::time::normalize(s) {
        return Some(t);
    }
    // chrono reads the "27" of 4/3/27 as the year 27; a two-digit year gets its century first.
    let expanded = four_digit_year(s, order).or_else(|| month_name_year(s));
    let s = expanded.as_deref().unwrap_or(s);
    let numeric = match order {
        DateOrder::Mdy | DateOrder::Auto => "%m/%d/%Y",
        DateOrder::Dmy => "%d/%m/%Y",
        DateOrder::Ymd => "%Y/%m/%d",
    };
    for f in [
        format!("{numeric} %I:%M %p"),
        format!("{numeric} %I:%M:%S %p"),
        format!("{numeric} %H:%M"),
        format!("{numeric} %H:%M:%S"),
        "%Y-%m-%d %H:%M".into(),
        // Mailchimp's and many databases' exports.
        "%Y-%m-%d %H:%M:%S".into(),
        "%Y-%m-%d %I:%M %p".into(),
        // A year first is never ambiguous.
        "%Y/%m/%d %H:%M".into(),
        "%Y/%m/%d %H:%M:%S".into(),
        "%b %d, %Y %I:%M %p".into(),
        "%b %d, %Y %H:%M".into(),
        "%d %b %Y %H:%M".into(),
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, &f).map_err(drop).and_then(plausible) {
            return Some(outpost_core::time::format(t.and_utc()));
        }
    }
    let dotted = numeric.replace('/', ".");
    let dashed = numeric.replace('/', "-");
    for f in [
        numeric,
        dotted.as_str(),
        dashed.as_str(),
        "%Y/%m/%d",
        "%Y.%m.%d",
        "%d %b %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%B %d, %Y",
        "%b %d %Y",
        "%B %d %Y",
        // Excel's default display of a date ("15-Mar-24": its year written out above).
        "%d-%b-%Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f).map_err(drop).and_then(plausible) {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    None
}

/// `s` without a comma between its day and its time, and with "Sept" as chrono reads it ("Sep").
fn tidy_date(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(at) = out.rfind(", ") {
        let time_next = out[at + 2..].split_whitespace().next().is_some_and(|w| w.contains(':'));
        if time_next && out[..at].chars().any(|c| c.is_ascii_digit()) {
            out.replace_range(at..at + 1, "");
        }
    }
    // (ASCII only: a byte position in the lowercased text is the same in the text.)
    match out.is_ascii().then(|| out.to_ascii_lowercase().find("sept")).flatten() {
        Some(at) if !out[at..].to_ascii_lowercase().starts_with("september") => {
            out.remove(at + 3);
            out
        }
        _ => out,
    }
}

/// A year written with one or three digits ("4/3/027") is a typo, not the first millennium.
fn plausible<D: chrono::Datelike>(d: D) -> Result<D, ()> {
    if d.year() >= 1000 {
        Ok(d)
    } else {
        Err(())
    }
}

/// `s` with its two-digit year written out, POSIX strptime's %y pivot: 69–99 are 1969–1999,
/// 00–68 are 2000–2068. `None` when the date part is not three numbers with a two-digit year.
fn four_digit_year(s: &str, order: DateOrder) -> Option<String> {
    let date_end = s.find(' ').unwrap_or(s.len());
    let date = &s[..date_end];
    let sep = date.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let mut parts = date.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    // Every part short: "2024-03-12" ends in a day, not a year.
    let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let year = if order == DateOrder::Ymd { a } else { c };
    if parts.next().is_some() || ![a, b, c].into_iter().all(short) || year.len() != 2 {
        return None;
    }
    let yy: u32 = year.parse().ok()?;
    let full = if yy >= 69 { 1900 + yy } else { 2000 + yy };
    let (a, c) =
        if order == DateOrder::Ymd { (full.to_string(), c.to_string()) } else { (a.to_string(), full.to_string()) };
    Some(format!("{a}{sep}{b}{sep}{c}{}", &s[date_end..]))
}

/// "15-Mar-24" / "15 Mar 24" with its year written out by the same pivot as [`four_digit_year`].
fn month_name_year(s: &str) -> Option<String> {
    let sep = if s.contains('-') { '-' } else { ' ' };
    let parts: Vec<&str> = s.split(sep).collect();
    let [day, month, year] = parts[..] else { return None };
    let digits =
        |p: &str, n: std::ops::RangeInclusive<usize>| n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(day, 1..=2) || !month.chars().all(char::is_alphabetic) || month.len() < 3 || !digits(year, 2..=2) {
        return None;
    }
    let yy: u32 = year.parse().ok()?;
    let full = if yy >= 69 { 1900 + yy } else { 2000 + yy };
    Some(format!("{day}{sep}{month}{sep}{full}"))
}

/// A cell without the `'` a spreadsheet (or our export, see outpost_core's `safe_cell`) puts
/// before a text starting with = + - @ so it is not run as a formula: the mark is not the value.
pub fn without_text_marker(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        // ("''=x": our export marked a text that started with markers itself.)
        Some(rest) if rest.trim_start_matches('\'').starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// A status as the exports write it, onto the schema's values.
pub fn status(text: &str) -> Result<&'static str, String> {
    let key: String = text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    Ok(match key.as_str() {
        // Salesforce's default lead statuses and Pipedrive's and HubSpot's default pipeline stages
        // are among these, as their exports write them.
        // (and what reps' own spreadsheets and outreach tools say: Prospect, Replied, Interested,
        // Meeting booked, Dead)
        "new" | "open" | "notcontacted" | "opennotcontacted" | "notstarted" | "lead" | "leadin" | "subscriber"
        | "prospect" => "new",
        "contacted" | "attemptedtocontact" | "attempted" | "working" | "workingcontacted" | "inprogress" | "connected"
        | "contactmade" | "replied" => "contacted",
        "qualified" | "mql" | "sql" | "salesqualifiedlead" | "marketingqualifiedlead" | "opendeal" | "opportunity"
        | "needsdefined" | "demoscheduled" | "appointmentscheduled" | "qualifiedtobuy" | "presentationscheduled"
        | "interested" | "meetingbooked" | "meetingscheduled" | "meetingset" => "qualified",
        "proposal" | "proposalsent" | "proposalmade" | "quote" | "quotesent" | "decisionmakerboughtin" => "proposal",
        "negotiation" | "negotiations" | "negotiationsstarted" | "negotiating" | "contractsent" => "negotiation",
        "won" | "closedwon" | "customer" | "converted" | "closedconverted" => "closed_won",
        "lost" | "closedlost" | "badtiming" | "closednotconverted" | "dead" => "closed_lost",
        "nurture" | "nurturing" | "recycled" => "nurturing",
        "unqualified" | "disqualified" | "junk" | "baddata" | "notinterested" => "unqualified",
        _ => {
            return Err(format!(
                "unknown status '{text}' (one of new, contacted, qualified, proposal, negotiation, closed_won, closed_lost, nurturing, unqualified)"
            ))
        }
    })
}

pub fn yes(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "x" | "opted out" | "opted-out" | "optedout" | "unsubscribed"
        | "do not contact" | "do not email" | "no consent" => Some(true),
        // Pipedrive's "Marketing status" and the like say it the other way round.
        "false" | "no" | "n" | "0" | "" | "subscribed" | "opted in" | "opted-in" | "not subscribed" => Some(false),
        _ => None,
    }
}

/// The values the schema allows for `field` (engagement level, email status), as written in any
/// case and with spaces ("Very High" → very_high).
pub fn one_of(text: &str, field: &str) -> Result<&'static str, String> {
    const ENGAGEMENT: [&str; 5] = ["unknown", "low", "medium", "high", "very_high"];
    const EMAIL_STATUS: [&str; 4] = ["replied", "no_reply", "bounced", "unsubscribed"];
    let allowed: &[&'static str] = if field == "engagement_level" { &ENGAGEMENT } else { &EMAIL_STATUS };
    let key = text.trim().to_lowercase().replace([' ', '-'], "_");
    allowed.iter().find(|a| **a == key).copied().ok_or_else(|| format!("expected one of {}", allowed.join(", ")))
}

/// A decimal as the schema stores it ("1234.50"; thousands separators dropped); `unit`: between 0
/// and 1 (a probability). Written as the file's country writes numbers — "12.500,50", "1'000",
/// "€ 2 000" — read as the app reads a deal value typed (ui/src/lib/amount.ts): with both "." and
/// ",", the last is the decimal separator; one alone before exactly three digits, or several,
/// group thousands; else it is the decimal separator.
pub fn decimal(text: &str, unit: bool) -> Result<String, String> {
    let plain = plain_number(text).unwrap_or_default();
    match plain.parse::<f64>() {
        Ok(n) if n.is_finite() && (!unit || (0.0..=1.0).contains(&n)) && !plain.contains(['e', 'E']) => Ok(plain),
        _ if unit => Err("expected a number from 0 to 1".into()),
        _ => Err("expected a number like 1234.50".into()),
    }
}

/// "12.500,50 €" → "12500.50"; None when the text is no number written that way.
fn plain_number(text: &str) -> Option<String> {
    // Currency signs and codes (any case, before or after the sign) and spaces are no part of it.
    let mut body: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '’' | 'ʼ' | '$' | '€' | '£' | '¥'))
        .collect::<String>()
        .to_uppercase();
    for code in ["EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD"] {
        body = body.replace(code, "");
    }
    let (sign, body) = match body.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => ("-", rest.to_string()),
        None => ("", body),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    // "1,234,567" (or Indian "12,34,567"): digits grouped by `sep`, as digits.
    let ungroup = |int: &str, sep: char| -> Option<String> {
        let groups: Vec<&str> = int.split(sep).collect();
        let (first, rest) = groups.split_first()?;
        let ok = (1..=3).contains(&first.len())
            && digits(first)
            && rest.last().is_some_and(|l| l.len() == 3 && digits(l))
            && rest.iter().all(|g| (2..=3).contains(&g.len()) && digits(g));
        ok.then(|| groups.concat())
    };
    let (dot, comma) = (body.rfind('.'), body.rfind(','));
    let (int, frac) = match (dot, comma) {
        (None, None) => (Some(body.clone()), None),
        (Some(d), Some(c)) => {
            let (at, point, group) = if d > c { (d, '.', ',') } else { (c, ',', '.') };
            let int = &body[..at];
            if int.contains(point) {
                return None;
            }
            (ungroup(int, group), Some(body[at + 1..].to_string()))
        }
        (Some(at), None) | (None, Some(at)) => {
            let sep = body.as_bytes()[at] as char;
            let parts: Vec<&str> = body.split(sep).collect();
            // A "," is a decimal comma before 1–2 digits; a "." is the decimal point unless it
            // stands before exactly three digits of a short number ("12.500").
            // ("0.125" and "0,125" are fractions: grouped digits never start with 0.)
            let point = |int: &str, frac: &str| {
                if sep == ',' {
                    frac.len() <= 2 || int == "0"
                } else {
                    !(frac.len() == 3 && (1..=3).contains(&int.len()) && !int.starts_with('0'))
                }
            };
            match parts.as_slice() {
                [int, frac] if point(int, frac) => (Some(int.to_string()), Some(frac.to_string())),
                _ => (ungroup(&body, sep), None),
            }
        }
    };
    let int = int.filter(|i| i.is_empty() || digits(i))?;
    match frac {
        Some(f) if digits(&f) => Some(format!("{sign}{}.{f}", if int.is_empty() { "0" } else { &int })),
        Some(_) => None,
        None if int.is_empty() => None,
        None => Some(format!("{sign}{int}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dates_order_is_told_by_dates_only() {
        let guess = |values: &[&str], semicolons| guess_date_order(values.iter().copied(), semicolons);
        assert_eq!(guess(&["25/12/2023", "03/04/2024"], false).order, Some(DateOrder::Dmy));
        assert_eq!(guess(&["12/25/2023"], false).order, Some(DateOrder::Mdy));
        assert_eq!(guess(&["03.04.2024"], false), DateGuess { order: Some(DateOrder::Dmy), unclear: false });
        assert_eq!(guess(&["03/04/2024"], false), DateGuess { order: None, unclear: true });
        // An amount, a version or ISO's order say nothing.
        assert_eq!(
            guess(&["1.250.000", "1.2.3", "2024-03-04", "03/04/2024"], false),
            DateGuess { order: None, unclear: true }
        );
    }

    #[test]
    fn engagement_values_and_decimals() {
        assert_eq!(email("jose\u{301}@example.com"), Ok(Some("jos\u{e9}@example.com".to_string())), "composed");
        assert_eq!(one_of("Very High", "engagement_level"), Ok("very_high"));
        assert_eq!(one_of("No Reply", "email_status"), Ok("no_reply"));
        assert!(one_of("hot", "engagement_level").is_err());
        assert_eq!(decimal("1,234.50", false).as_deref(), Ok("1234.50"));
        // As the country writes it, as the app reads a value typed (amount.test.ts).
        for (written, read) in [
            ("12.500,50", "12500.50"),
            ("1.234.567,89 €", "1234567.89"),
            ("$12,500.50", "12500.50"),
            ("12.500", "12500"),
            ("12,500", "12500"),
            ("12,5", "12.5"),
            ("12.50", "12.50"),
            ("1'000", "1000"),
            ("EUR 2 000", "2000"),
            ("12,34,567", "1234567"),
            ("1234.567", "1234.567"),
            ("0,5", "0.5"),
            ("0.125", "0.125"),
            ("0,125", "0.125"),
            ("2.000 eur", "2000"),
            ("-EUR 50", "-50"),
        ] {
            assert_eq!(decimal(written, false).as_deref(), Ok(read), "{written}");
        }
        assert_eq!(decimal("0,75", true).as_deref(), Ok("0.75"));
        assert_eq!(decimal("0.333", true).as_deref(), Ok("0.333"));
        assert!(decimal("12,5000", false).is_err() && decimal("1.2.3", false).is_err());
        assert!(decimal("12.", false).is_err() && decimal("-", false).is_err() && decimal(".", false).is_err());
        assert!(decimal("1.5", true).is_err() && decimal("abc", false).is_err() && decimal("1e3", false).is_err());
    }

    #[test]
    fn phones_dates_statuses() {
        assert_eq!(phone("(415) 555-0132", "US").map(|p| p.0).as_deref(), Ok("+14155550132"));
        assert_eq!(phone("+44 20 7946 0958", "US").map(|p| p.0).as_deref(), Ok("+442079460958"));
        assert!(phone("12", "US").is_err());
        assert_eq!(date("03/04/2026", DateOrder::Mdy).as_deref(), Ok("2026-03-04"));
        assert_eq!(date("03/04/2026", DateOrder::Dmy).as_deref(), Ok("2026-04-03"));
        assert!(date("31/12/2026", DateOrder::Mdy).is_err_and(|e| e.contains("day/month/year, choose that date order")));
        assert_eq!(date("07 Dec 2025", DateOrder::Mdy).as_deref(), Ok("2025-12-07"));
        // No day in any order: said so, not blamed on the order.
        for impossible in ["30 Feb 2024", "02/30/2024", "31/31/2024"] {
            assert_eq!(date(impossible, DateOrder::Mdy), Err("not a date (no such day)".into()), "{impossible}");
        }
        // Year/month/day chosen for a file that writes the year last: said, not "no such day".
        let why = date("03/04/2026", DateOrder::Ymd);
        assert!(why.as_ref().is_err_and(|e| e.contains("the file writes the year last")), "{why:?}");
        assert_eq!(date("12/31/2024", DateOrder::Dmy), Err("not a date in day/month/year order".into()));
        assert_eq!(date("soon", DateOrder::Mdy), Err("not a date".into()));
        assert_eq!(date("3/15/2024 2:30 PM", DateOrder::Mdy).as_deref(), Ok("2024-03-15T14:30:00.000000Z"));
        assert_eq!(date("2024-03-12 09:14", DateOrder::Mdy).as_deref(), Ok("2024-03-12T09:14:00.000000Z"));
        // Forms spreadsheets and CRMs write (QA: each was "no such day").
        for (text, want) in [
            ("2024/03/15", "2024-03-15"),
            ("15-Mar-24", "2024-03-15"),
            ("15-Mar-2024", "2024-03-15"),
            ("Mar 15 2024", "2024-03-15"),
            ("March 15, 2024", "2024-03-15"),
            ("15 March 2024", "2024-03-15"),
            ("2024-03-15 2:30 PM", "2024-03-15T14:30:00.000000Z"),
            ("Mar 15, 2024 2:30 PM", "2024-03-15T14:30:00.000000Z"),
            ("2024/03/15 14:30", "2024-03-15T14:30:00.000000Z"),
        ] {
            for order in [DateOrder::Mdy, DateOrder::Dmy, DateOrder::Ymd] {
                assert_eq!(date(text, order).as_deref(), Ok(want), "{text} {order:?}");
            }
        }
        // Two-digit years after a month's name pivot as numeric ones do.
        assert_eq!(date("05-Jun-69", DateOrder::Mdy).as_deref(), Ok("1969-06-05"));
        assert_eq!(date("05 Jun 68", DateOrder::Mdy).as_deref(), Ok("2068-06-05"));
        assert_eq!(date("02/30/2024 2:30 PM", DateOrder::Mdy), Err("not a date (no such day)".into()));
        // A comma before the time, seconds with AM/PM, "Sept" (re-QA: each was "no such day").
        for (text, want) in [
            ("Mar 15, 2024, 2:30 PM", "2024-03-15T14:30:00.000000Z"),
            ("3/15/2024, 2:30 PM", "2024-03-15T14:30:00.000000Z"),
            ("03/15/2024 02:30:00 PM", "2024-03-15T14:30:00.000000Z"),
            ("Sept 15, 2024", "2024-09-15"),
            ("September 15, 2024", "2024-09-15"),
        ] {
            assert_eq!(date(text, DateOrder::Mdy).as_deref(), Ok(want), "{text}");
        }
        let why = date("3/15/2024 25:99", DateOrder::Mdy);
        assert!(why.as_ref().is_err_and(|e| e.starts_with("not a time Outpost reads")), "{why:?}");
        let unread = date("46000", DateOrder::Mdy);
        assert!(unread.as_ref().is_err_and(|e| e.contains("not a date in a form Outpost reads")), "{unread:?}");
        assert_eq!(status("Closed Won"), Ok("closed_won"));
        assert_eq!(status("OPEN_DEAL"), Ok("qualified"));
        assert!(status("bogus").is_err());
    }

    #[test]
    fn two_digit_years_pivot_like_strptime() {
        assert_eq!(date("4/3/27", DateOrder::Mdy).as_deref(), Ok("2027-04-03"));
        assert_eq!(date("12/31/99", DateOrder::Mdy).as_deref(), Ok("1999-12-31"));
        assert_eq!(date("1/1/68", DateOrder::Mdy).as_deref(), Ok("2068-01-01"));
        assert_eq!(date("1/1/69", DateOrder::Mdy).as_deref(), Ok("1969-01-01"));
        assert_eq!(date("31.12.05", DateOrder::Dmy).as_deref(), Ok("2005-12-31"));
        assert_eq!(date("27/04/03", DateOrder::Ymd).as_deref(), Ok("2027-04-03"));
        assert_eq!(date("3/15/24 2:30 PM", DateOrder::Mdy).as_deref(), Ok("2024-03-15T14:30:00.000000Z"));
        assert!(date("4/3/027", DateOrder::Mdy).is_err());
        assert!(date("2027-02-30", DateOrder::Mdy).is_err());
        assert!(date("46000", DateOrder::Mdy).is_err());
    }

    #[test]
    fn a_spreadsheets_text_marker_before_a_formula_character_is_dropped() {
        assert_eq!(without_text_marker("'=cmd|' /C calc'!A0"), "=cmd|' /C calc'!A0");
        assert_eq!(without_text_marker("'+Plus Corp"), "+Plus Corp");
        assert_eq!(without_text_marker("'-"), "-");
        assert_eq!(without_text_marker("'@handle"), "@handle");
        assert_eq!(without_text_marker("'\tx"), "\tx", "the export marks a leading tab too");
        assert_eq!(without_text_marker("'tis the season"), "'tis the season");
        assert_eq!(without_text_marker("'"), "'");
    }

    #[test]
    fn vendor_default_statuses_map_onto_the_schema() {
        for (text, want) in [
            ("Open - Not Contacted", "new"),
            ("Working - Contacted", "contacted"),
            ("Closed - Converted", "closed_won"),
            ("Closed - Not Converted", "closed_lost"),
            ("Lead In", "new"),
            ("Contact Made", "contacted"),
            ("Needs Defined", "qualified"),
            ("Demo Scheduled", "qualified"),
            ("Proposal Made", "proposal"),
            ("Negotiations Started", "negotiation"),
        ] {
            assert_eq!(status(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn international_numbers_are_read_on_their_own_and_extensions_kept() {
        assert_eq!(phone("+33 1 23 45 67 89", "US"), Ok(("+33123456789".into(), None)));
        assert_eq!(phone("(+33) 6 12 34 56 78", "US"), Ok(("+33612345678".into(), None)));
        assert_eq!(phone("(415) 555-0100 ext. 12", "US"), Ok(("+14155550100".into(), Some("12".into()))));
        assert_eq!(phone("020 7946 0958", "uk"), Ok(("+442079460958".into(), None)));
        assert!(region("UK").is_ok());
        assert!(region("XX").is_err_and(|e| e.contains("--region")));
    }

    #[test]
    fn emails_lose_harmless_wrappers_and_garbage_is_refused() {
        for (text, want) in [
            ("mailto:c@x.com", "c@x.com"),
            ("MAILTO:c@x.com?subject=hi", "c@x.com"),
            ("<d@x.com>", "d@x.com"),
            ("Dee Dunn <d@x.com>", "d@x.com"),
            ("e@x.com\u{200b}", "e@x.com"),
            ("\u{feff}f@x.com.", "f@x.com"),
        ] {
            assert_eq!(email(text), Ok(Some(want.to_string())), "{text:?}");
        }
        for text in ["N/A", "-", "none", "None", " n/a "] {
            assert_eq!(email(text), Ok(None), "{text:?}");
        }
        assert!(email("john@@x.com").is_err_and(|e| e.contains("more than one @")));
        assert!(email("a@x.com,b@x.com").is_err_and(|e| e.contains("more than one address")));
        assert!(email("a@x.com b@x.com").is_err_and(|e| e.contains("more than one address")));
        assert_eq!(email("bob@"), Err("not an email address (nothing after the @)".into()));
        assert_eq!(email("@acme.io"), Err("not an email address (nothing before the @)".into()));
    }

    #[test]
    fn full_names_in_either_order_with_titles_suffixes_and_particles() {
        let n = |t: &str| {
            let n = full_name(t);
            (n.first, n.last, n.prefix, n.suffix)
        };
        let s = |t: &str| Some(t.to_string());
        assert_eq!(n("Smith, John"), (s("John"), s("Smith"), None, None));
        assert_eq!(n("Dr. Mary Ann van der Berg Jr."), (s("Mary Ann"), s("van der Berg"), s("Dr."), s("Jr.")));
        assert_eq!(n("John Smith, Jr."), (s("John"), s("Smith"), None, s("Jr.")));
        assert_eq!(n("Smith, John, PhD"), (s("John"), s("Smith"), None, s("PhD")));
        assert_eq!(n("de la Cruz, Maria"), (s("Maria"), s("de la Cruz"), None, None));
        assert_eq!(n("Ludwig van Beethoven"), (s("Ludwig"), s("van Beethoven"), None, None));
        assert_eq!(n("Prof. Ada Lovelace III"), (s("Ada"), s("Lovelace"), s("Prof."), s("III")));
        assert_eq!(n("Cher"), (s("Cher"), None, None, None));
        assert_eq!(n("Mary Ann Smith"), (s("Mary Ann"), s("Smith"), None, None));
    }
}
