//! One record's cells → a lead's values: each mapped column validated and normalised, the values
//! that can't be used kept as text or reported, unmapped columns kept in custom_fields.

use csv::StringRecord;
use outpost_core::Row;
use serde_json::{json, Map, Value};

use crate::import::ImportOptions;
use crate::mapping::{ColumnMapping, Target};
use crate::normalize;
use crate::reader::Record;
use crate::report::RowProblem;

/// Where an exported lead's id and creation time are kept when its own custom fields already hold
/// an external id and original creation date (a HubSpot Record ID and Create Date).
pub(crate) const OUTPOST_ID: &str = "outpost_id";
pub(crate) const OUTPOST_CREATED_AT: &str = "outpost_created_at";
/// Apollo's "Company Name for Emails": a custom field, and the company when the row has none.
pub(crate) const COMPANY_ALT: &str = "company_alt";
/// The main phone's extension, kept beside the E.164 number (which has no place for it).
pub(crate) const PHONE_EXTENSION: &str = "phone_extension";

/// No CRM field needs more; a bigger cell is a broken file (an unclosed quote, a binary blob).
pub const MAX_CELL_BYTES: usize = 1 << 20;

/// A row's lead values as far as they are usable: the problems that keep the row out, and the
/// values that could not be used but were kept as text in custom_fields (the row still imports).
pub(crate) struct RowValues {
    pub(crate) values: Row,
    pub(crate) fatal: Vec<RowProblem>,
    pub(crate) kept: Vec<RowProblem>,
}

/// The record's cells without the NULs some hold, each such value noted; `None` when none does.
/// A stray NUL (a byte of zero) is no character a rep typed, and PostgreSQL stores no text
/// holding one: the lead would never sync.
fn nuls_taken_out(record: &Record, mapping: &[ColumnMapping], notes: &mut Vec<RowProblem>) -> Option<StringRecord> {
    if !record.cells.iter().any(|c| c.contains('\0')) {
        return None;
    }
    let mut cleaned = StringRecord::with_capacity(record.cells.as_slice().len(), record.cells.len());
    for (column, cell) in record.cells.iter().enumerate() {
        let cell = if cell.contains('\0') {
            let without = cell.replace('\0', "");
            let header = match mapping.iter().find(|m| m.column == column) {
                Some(m) if !m.header.trim().is_empty() => m.header.clone(),
                _ => format!("Column {}", column + 1),
            };
            notes.push(RowProblem {
                row: record.row,
                column: header,
                value: without.clone(),
                reason: "contained a NUL character (a byte of zero), taken out".into(),
                kept: true,
            });
            without
        } else {
            cell.to_string()
        };
        cleaned.push_field(&cell);
    }
    Some(cleaned)
}

/// A record's lead values, or every problem that keeps it out.
pub(crate) fn lead_values(record: &Record, mapping: &[ColumnMapping], opts: &ImportOptions) -> RowValues {
    let mut v = Row::new();
    let mut custom = Map::new();
    let mut address = Map::new();
    let mut problems = Vec::new();
    let mut kept: Vec<RowProblem> = Vec::new();
    // Notes on values used as read (a stray byte, a number two countries could own).
    let mut notes: Vec<RowProblem> = Vec::new();
    let without_nuls;
    let cells = match nuls_taken_out(record, mapping, &mut notes) {
        Some(cleaned) => {
            without_nuls = cleaned;
            &without_nuls
        }
        None => &record.cells,
    };
    let mut problem = |m: &ColumnMapping, value: &str, reason: String| {
        problems.push(RowProblem {
            row: record.row,
            column: m.header.clone(),
            value: value.to_string(),
            reason,
            kept: false,
        });
    };
    // An optional value that can't be used must not cost the rep the lead (its email and name are
    // fine): it is kept as written, where the rep sees it, and reported.
    let mut keep = |custom: &mut Map<String, Value>, header: String, value: &str, reason: String| {
        custom.insert(header.clone(), json!(value));
        kept.push(RowProblem {
            row: record.row,
            column: header.clone(),
            value: value.to_string(),
            reason: format!("{reason}; kept as text in custom field '{header}'"),
            kept: true,
        });
    };
    // Cells past the end of the header (a ragged row) are kept as "Column N", never dropped.
    let extra: Vec<ColumnMapping> = (mapping.len()..cells.len())
        .map(|column| ColumnMapping { column, header: String::new(), target: Target::Custom, confidence: 0.0 })
        .collect();
    // Several columns can say the same thing; they are weighed once the whole row is read.
    // Some(true): a column says opted out; Some(false): the columns say only "no".
    let mut opted_out: Option<bool> = None;
    let mut other_emails: Vec<(String, String)> = Vec::new();
    let mut bad_email: Option<(&ColumnMapping, String, &str, String)> = None;
    let mut phones: Vec<(bool, String, String, Option<String>)> = Vec::new();
    let mut custom_object: Option<Map<String, Value>> = None;
    let mut full_names: Vec<(String, &str)> = Vec::new();
    // A number without its country code is read in the row's country when the file says which
    // (a list of leads across Europe), else in the import's region: looked up at the row's first
    // phone (most rows of most files have no Country column, or no phone).
    let mut row_region: Option<Option<&str>> = None;
    let mut region_of_row = || {
        *row_region.get_or_insert_with(|| {
            mapping
                .iter()
                .filter(|m| matches!(&m.target, Target::Field(f) if f == "country"))
                .find_map(|m| cells.get(m.column).and_then(normalize::country_region))
                .filter(|r| !r.eq_ignore_ascii_case(&opts.region))
        })
    };
    for m in mapping.iter().chain(&extra) {
        let Some(raw) = cells.get(m.column) else { continue };
        let cell = normalize::without_text_marker(raw.trim());
        if cell.is_empty() {
            continue;
        }
        if cell.len() > MAX_CELL_BYTES {
            problem(
                m,
                &cell[..cell.floor_char_boundary(40)],
                format!("value is {:.1} MB; the limit is 1 MB per cell", cell.len() as f64 / f64::from(1 << 20)),
            );
            continue;
        }
        // A stray byte the encoding cannot read (one Word apostrophe in a UTF-8 file) must not cost
        // the lead: the value comes in as read, with the note. (An email with one is refused below.)
        if cell.contains('\u{fffd}') {
            notes.push(RowProblem {
                row: record.row,
                column: m.header.clone(),
                value: cell.to_string(),
                reason:
                    "contains bytes that are not valid in the file's encoding (shown as \u{fffd}); imported as read"
                        .into(),
                kept: true,
            });
        }
        let header = if m.header.trim().is_empty() { format!("Column {}", m.column + 1) } else { m.header.clone() };
        let field = match &m.target {
            Target::Ignore => continue,
            Target::Custom => {
                custom.insert(header, json!(cell));
                continue;
            }
            Target::Field(f) => f.as_str(),
        };
        // A second email column stands in for an empty email, like a column named as one.
        let field = if field == "email" && v.contains_key("email") { "email_secondary" } else { field };
        // A field that an earlier column filled keeps that value; a different one is kept under
        // its own column's name (two columns mapped to Company must not lose one without a word).
        if let Some(had) = filled(field, &v, &address, &custom) {
            if !same_text(had, cell) {
                custom.insert(header, json!(cell));
            }
            continue;
        }
        let text = |v: &mut Row, col: &str| {
            v.insert(col.into(), json!(cell));
        };
        match field {
            "first_name" | "last_name" | "company" | "source" | "notes" | "follow_up_reason" | "message"
            | "ai_context_summary" => text(&mut v, field),
            // As the app checks one ("N/A" and "javascript:…" are no web addresses).
            "website" | "linkedin_url" => match outpost_core::rules::check_web_address(field, cell) {
                Ok(()) => text(&mut v, field),
                Err(_) => keep(&mut custom, header, cell, "not a web address".into()),
            },
            // What our own export writes of a lead's engagement, each kept as text when unusable.
            "engagement_level" | "email_status" => match normalize::one_of(cell, field) {
                Ok(value) => {
                    v.insert(field.into(), json!(value));
                }
                Err(reason) => keep(&mut custom, header, cell, reason),
            },
            "last_contacted_at" | "last_reply_at" => {
                match normalize::date(cell, opts.date_order).map(|d| outpost_core::time::normalize(&d)) {
                    Ok(Some(at)) => {
                        v.insert(field.into(), json!(at));
                    }
                    Ok(None) => keep(&mut custom, header, cell, "not a date".into()),
                    Err(reason) => keep(&mut custom, header, cell, reason),
                }
            }
            "reply_count" | "emails_sent_count" => match cell.trim().parse::<u32>() {
                Ok(n) => {
                    v.insert(field.into(), json!(n));
                }
                Err(_) => keep(&mut custom, header, cell, "a count is a whole number".into()),
            },
            "predicted_value" | "score_confidence" | "conversion_probability" => {
                match normalize::decimal(cell, field != "predicted_value") {
                    Ok(d) => {
                        v.insert(field.into(), json!(d));
                    }
                    Err(reason) => keep(&mut custom, header, cell, reason),
                }
            }
            "title" | "industry" | "employees" | "lifecycle_stage" => text(&mut v, lead_column(field)),
            // Weighed once the row is read: First/Last Name columns come first, wherever they are.
            "full_name" => full_names.push((header, cell)),
            "email" => match normalize::email(cell) {
                Ok(Some(e)) => {
                    v.insert("email".into(), json!(e));
                }
                Ok(None) => {}
                // Decided once the row is read: a valid second address can stand in.
                Err(reason) => bad_email = Some((m, header, cell, reason)),
            },
            // Another address only stands in for an empty email; one it cannot read is kept as
            // written rather than turning the row away.
            "email_secondary" => match normalize::email(cell) {
                Ok(Some(e)) => other_emails.push((header, e)),
                Ok(None) => {}
                Err(_) => {
                    custom.insert(header, json!(cell));
                }
            },
            "phone" | "mobile" => match normalize::phone_in(cell, region_of_row(), &opts.region) {
                Ok(p) => {
                    if let Some(other) = p.also {
                        notes.push(RowProblem {
                            row: record.row,
                            column: header.clone(),
                            value: cell.to_string(),
                            reason: format!(
                                "read as {} in the row's country; read in {} it would be {other}: check which it is",
                                p.e164, opts.region
                            ),
                            kept: true,
                        });
                    }
                    phones.push((field == "phone", header, p.e164, p.extension));
                }
                Err(reason) => keep(&mut custom, header, cell, reason),
            },
            "status" => match normalize::status(cell) {
                Ok(s) => {
                    v.insert("status".into(), json!(s));
                }
                Err(reason) => keep(&mut custom, header, cell, reason),
            },
            // A time in an opt-out column (Mailchimp's UNSUB_TIME) is when the lead opted out.
            "email_opt_out" => {
                match normalize::yes(cell).or_else(|| normalize::date(cell, opts.date_order).ok().map(|_| true)) {
                    Some(b) => opted_out = Some(opted_out.unwrap_or(false) | b),
                    None => keep(&mut custom, header, cell, "expected yes/no or true/false".into()),
                }
            }
            "tags" => {
                // Our export joins tags with "; " and writes a JSON list when a tag holds ";" or ","
                // itself; other files use either separator.
                let by: &[char] = if cell.contains(';') { &[';'] } else { &[','] };
                let listed = cell.starts_with('[').then(|| serde_json::from_str::<Vec<String>>(cell).ok()).flatten();
                // A second Tags column adds its tags to the first's.
                let had: Vec<String> = match v.get("tags") {
                    Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_string).collect(),
                    _ => Vec::new(),
                };
                let new: Vec<&str> = match &listed {
                    Some(list) => list.iter().map(String::as_str).collect(),
                    None => cell.split(by).collect(),
                };
                let tags = outpost_core::rules::distinct_tags(had.iter().map(String::as_str).chain(new));
                v.insert("tags".into(), json!(tags));
            }
            // Overdue ones too: they are the rep's work to catch up on. A day alone is stored as the
            // app stores one (09:00 UTC of it).
            "next_follow_up_at" => match normalize::date(cell, opts.date_order) {
                Ok(d) => {
                    // "2025-04-03" comes back from the date reader as midnight UTC: a day all the same.
                    let day =
                        [d.as_str(), cell].iter().any(|t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok());
                    match outpost_core::time::normalize(&if day {
                        format!("{}T09:00:00Z", &d[..10])
                    } else {
                        d.clone()
                    }) {
                        Some(at) => {
                            v.insert("next_follow_up_at".into(), json!(at));
                        }
                        None => keep(&mut custom, header, cell, "not a date".into()),
                    }
                }
                Err(reason) => keep(&mut custom, header, cell, reason),
            },
            "created_at" | "connected_on" => match normalize::date(cell, opts.date_order) {
                Ok(d) => {
                    custom.insert(if field == "created_at" { "original_created_at".into() } else { header }, json!(d));
                }
                Err(reason) => keep(&mut custom, header, cell, reason),
            },
            "current_score" => match cell.parse::<i64>() {
                Ok(n) if (0..=100).contains(&n) => {
                    v.insert("current_score".into(), json!(n));
                }
                _ => keep(&mut custom, header, cell, "a score is a whole number from 0 to 100".into()),
            },
            "custom_fields" => match serde_json::from_str::<Value>(cell) {
                Ok(Value::Object(o)) => custom_object.get_or_insert_with(Map::new).extend(o),
                _ => keep(&mut custom, header, cell, "not a JSON object like {\"budget\":\"10k\"}".into()),
            },
            // "N/A" in a Country column is no country (and no address to show).
            "country" if normalize::is_placeholder(cell) => {}
            "street" | "city" | "state" | "postal_code" | "country" => {
                address.insert(field.into(), json!(cell));
            }
            _ => {
                custom.insert(field.into(), json!(cell));
            }
        }
    }
    for (header, cell) in full_names {
        full_name(&mut v, &mut custom, header, cell);
    }
    // Apollo's "Company Name for Emails" stands in for an empty Company (CSV-HEADERS.md), and stays
    // a custom field too: an update import then knows not to put it over the lead's own company.
    if !v.contains_key("company") {
        if let Some(alt) = custom.get(COMPANY_ALT) {
            v.insert("company".into(), alt.clone());
        }
    }
    // A "no" in one opt-out column never clears a "yes" in another; an update import notes it
    // and leaves a lead's do-not-contact as it is (see updates::apply).
    if let Some(opted_out) = opted_out {
        v.insert("do_not_contact".into(), json!(opted_out));
    }
    // The phone column wins over a mobile column, whichever comes first; the other numbers are kept.
    let main_phone = phones.iter().position(|p| p.0).or(if phones.is_empty() { None } else { Some(0) });
    for (i, (_, header, number, extension)) in phones.into_iter().enumerate() {
        if Some(i) == main_phone {
            v.insert("phone".into(), json!(number));
            if let Some(x) = extension {
                custom.insert(PHONE_EXTENSION.into(), json!(x));
            }
        } else {
            if let Some(x) = extension {
                custom.insert(format!("{header} extension"), json!(x));
            }
            custom.insert(header, json!(number));
        }
    }
    let mut other_emails = other_emails.into_iter();
    if !v.contains_key("email") {
        if let Some((_, e)) = other_emails.next() {
            v.insert("email".into(), json!(e));
        }
    }
    // A bad first address leaves the row out (the email is what dedupe and outreach go by), unless
    // a valid second one took its place.
    if let Some((m, header, cell, reason)) = bad_email {
        if v.contains_key("email") {
            keep(&mut custom, header, cell, reason);
        } else {
            problem(m, cell, reason);
        }
    }
    let email = v.get("email").and_then(Value::as_str).unwrap_or_default().to_string();
    for (header, e) in other_emails.filter(|(_, e)| !e.eq_ignore_ascii_case(&email)) {
        custom.insert(header, json!(e));
    }
    // The lead's own custom fields, as our export wrote them, fill what the row's columns did not
    // set: a value kept as text here, or a column's current value, is not replaced by an older copy.
    // But the lead's external id and original creation date (from the CRM it first came from) are
    // not older copies of the exporting database's own id and creation time: those step aside.
    if let Some(o) = custom_object {
        for (k, val) in o {
            let aside = match k.as_str() {
                "external_id" => OUTPOST_ID,
                "original_created_at" => OUTPOST_CREATED_AT,
                _ => "",
            };
            match custom.get(&k) {
                Some(column) if !aside.is_empty() && *column != val => {
                    let column = custom.insert(k, val);
                    custom.insert(aside.into(), column.unwrap_or_default());
                }
                Some(_) => {}
                None => {
                    custom.insert(k, val);
                }
            }
        }
    }
    if problems.is_empty()
        && !["first_name", "last_name", "email", "company", "phone"].iter().any(|k| v.contains_key(*k))
    {
        if kept.is_empty() {
            problems.push(RowProblem {
                row: record.row,
                column: String::new(),
                value: String::new(),
                reason: "no name, email, company or phone: nothing to make a lead from".into(),
                kept: false,
            });
        } else {
            // Nothing else to make a lead from: the values that could not be used are why.
            problems = kept
                .into_iter()
                .map(|mut p| {
                    p.reason.truncate(p.reason.rfind("; kept as text").unwrap_or(p.reason.len()));
                    p.kept = false;
                    p
                })
                .collect();
            kept = Vec::new();
        }
    }
    // Said, or a value with an unquoted comma ("Acme, Inc.") would be cut in two without a word.
    let past: Vec<&str> = cells.iter().skip(mapping.len()).map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    if !past.is_empty() {
        let first = (mapping.len()..cells.len()).find(|&i| !cells[i].trim().is_empty()).unwrap_or(0);
        notes.push(RowProblem {
            row: record.row,
            column: format!("Column {}", first + 1),
            value: past.join(", "),
            reason: format!(
                "the row has {} cells, the header {}: the cells past the header are kept in custom fields \
                 'Column N' (a value with an unquoted comma or semicolon?)",
                cells.len(),
                mapping.len()
            ),
            kept: true,
        });
    }
    kept.extend(notes);
    if !custom.is_empty() {
        v.insert("custom_fields".into(), Value::Object(custom));
    }
    if !address.is_empty() {
        v.insert("address".into(), Value::Object(address));
    }
    RowValues { values: v, fatal: problems, kept }
}

/// A Name column's parts fill the first and last name the row's own columns left empty. A name
/// that disagrees with those columns ("Acme Corporation" beside Bob / Ray) is kept whole in its
/// column's custom field; prefix and suffix ("Dr.", "Jr.") are kept as custom fields.
fn full_name(v: &mut Row, custom: &mut Map<String, Value>, header: String, cell: &str) {
    let name = normalize::full_name(cell);
    let mut disagrees = false;
    for (key, part) in [("first_name", name.first), ("last_name", name.last)] {
        let Some(part) = part else { continue };
        match v.get(key) {
            Some(had) => disagrees |= !same_text(had, &part),
            None => {
                v.insert(key.into(), json!(part));
            }
        }
    }
    if disagrees {
        custom.insert(header, json!(cell));
    }
    for (key, part) in [("name_prefix", name.prefix), ("name_suffix", name.suffix)] {
        if let Some(part) = part {
            custom.entry(key).or_insert_with(|| json!(part));
        }
    }
}

/// The lead column a field of the mapping fills, where the names differ.
fn lead_column(field: &str) -> &str {
    match field {
        "title" => "job_title",
        "industry" => "company_industry",
        "employees" => "company_size",
        "lifecycle_stage" => "stage",
        f => f,
    }
}

/// The value an earlier column gave the one lead field (or address part, or custom field of a
/// field without a lead column) `field` fills; None for fields several columns fill together, or
/// that are weighed once the row is read.
fn filled<'a>(
    field: &str,
    v: &'a Row,
    address: &'a Map<String, Value>,
    custom: &'a Map<String, Value>,
) -> Option<&'a Value> {
    match field {
        "street" | "city" | "state" | "postal_code" | "country" => address.get(field),
        "external_id" | "owner" => custom.get(field),
        "created_at" => custom.get("original_created_at"),
        "phone" | "mobile" | "email_secondary" | "email_opt_out" | "tags" | "custom_fields" | "full_name" => None,
        f => v.get(lead_column(f)),
    }
}

/// Whether a stored value says what a cell says (regardless of case: "Qualified" and the stored
/// "qualified" are one value).
fn same_text(had: &Value, cell: &str) -> bool {
    match had {
        Value::String(h) => h.eq_ignore_ascii_case(cell.trim()),
        Value::Number(n) => cell.trim().parse::<f64>().ok() == n.as_f64(),
        _ => false,
    }
}
