//! CSV export of a lead query, streamed page by page. Cells that a spreadsheet would run as a
//! formula are neutralised.

use std::io::Write;

use rusqlite::Connection;

use crate::catalog::Catalog;
use crate::error::Result;
use crate::query::{list_leads, LeadQuery};
use crate::records::Lead;

/// Everything a rep enters or an import brings, so an export imports back whole (the importer maps
/// each of these names); the address as its parts, custom fields as one JSON object.
pub const COLUMNS: [&str; 40] = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "job_title",
    "website",
    "linkedin_url",
    "company_size",
    "company_industry",
    "street",
    "city",
    "state",
    "postal_code",
    "country",
    "status",
    "stage",
    "source",
    "tags",
    "current_score",
    "do_not_contact",
    "next_follow_up_at",
    "follow_up_reason",
    "notes",
    "message",
    "engagement_level",
    "email_status",
    "last_contacted_at",
    "last_reply_at",
    "reply_count",
    "emails_sent_count",
    "predicted_value",
    "score_confidence",
    "conversion_probability",
    "ai_context_summary",
    "custom_fields",
    "assigned_to",
    "created_at",
    "updated_at",
];

/// Writes every lead matching `q`, in its order; returns how many.
pub fn leads_csv(conn: &Connection, catalog: &Catalog, q: &LeadQuery, out: impl Write) -> Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    let mut cursor = None;
    let mut count = 0;
    loop {
        let page = list_leads(conn, catalog, q, 2_000, cursor.as_deref())?;
        for lead in &page.leads {
            w.write_record(cells(lead).iter().map(|c| safe_cell(c).into_owned()))?;
            count += 1;
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    w.flush()?;
    Ok(count)
}

/// The given leads, in the order given; one deleted meanwhile is left out.
pub fn leads_by_id_csv(store: &crate::Store, ids: &[String], out: impl Write) -> Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    let mut count = 0;
    for id in ids {
        let lead = match store.find::<Lead>(id) {
            Ok(lead) => lead,
            Err(crate::Error::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        };
        if lead.deleted_at.is_some() {
            continue;
        }
        w.write_record(cells(&lead).iter().map(|c| safe_cell(c).into_owned()))?;
        count += 1;
    }
    w.flush()?;
    Ok(count)
}

fn cells(l: &Lead) -> [String; 40] {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let address = |part: &str| match l.address.as_ref().and_then(|a| a.get(part)) {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    [
        l.id.clone(),
        o(&l.first_name),
        o(&l.last_name),
        o(&l.email),
        o(&l.phone),
        o(&l.company),
        o(&l.job_title),
        o(&l.website),
        o(&l.linkedin_url),
        o(&l.company_size),
        o(&l.company_industry),
        address("street"),
        address("city"),
        address("state"),
        address("postal_code"),
        address("country"),
        l.status.as_str().to_string(),
        o(&l.stage),
        o(&l.source),
        tags_cell(&l.tags),
        l.current_score.to_string(),
        if l.do_not_contact { "yes" } else { "no" }.to_string(),
        o(&l.next_follow_up_at),
        o(&l.follow_up_reason),
        o(&l.notes),
        o(&l.message),
        o(&l.engagement_level),
        o(&l.email_status),
        o(&l.last_contacted_at),
        o(&l.last_reply_at),
        l.reply_count.to_string(),
        l.emails_sent_count.to_string(),
        o(&l.predicted_value),
        o(&l.score_confidence),
        o(&l.conversion_probability),
        o(&l.ai_context_summary),
        if l.custom_fields.is_empty() {
            String::new()
        } else {
            serde_json::Value::Object(l.custom_fields.clone()).to_string()
        },
        o(&l.assigned_to),
        o(&l.created_at),
        o(&l.updated_at),
    ]
}

/// OWASP's CSV-injection rule: a cell starting with = + - @ tab or CR is prefixed with `'`. A plain
/// number ("-12.5") and a phone number of digits, spaces and brackets after its + ("+1 555 0100")
/// are left as they are; anything else — "-2+3", "+1-415-555-0132" — a spreadsheet would compute.
pub fn safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    // (A text that starts with markers itself before such a character gets one more: an import
    // takes one off, and "'=x" would come back as "=x".)
    let risky = cell.trim_start_matches('\'').starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = |s: &str| {
        let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
        !int.is_empty() && !frac.is_empty() && (int.to_owned() + frac).chars().all(|c| c.is_ascii_digit())
    };
    let phone =
        |s: &str| s.chars().any(|c| c.is_ascii_digit()) && s.chars().all(|c| c.is_ascii_digit() || " ()".contains(c));
    let inert = match (cell.strip_prefix('-'), cell.strip_prefix('+')) {
        (Some(rest), _) => number(rest),
        (_, Some(rest)) => phone(rest),
        _ => false,
    };
    if risky && !inert {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Tags as a spreadsheet shows them ("vip; q3"), or as a JSON list when a tag holds a ";" or ","
/// itself: an import splits a cell at those, and reads the list back whole.
fn tags_cell(tags: &[String]) -> String {
    if tags.iter().any(|t| t.contains([';', ','])) {
        serde_json::to_string(tags).unwrap_or_default()
    } else {
        tags.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::safe_cell;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(safe_cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
        assert_eq!(safe_cell("\tx"), "'\tx");
        assert_eq!(safe_cell("+1 555 0100"), "+1 555 0100");
        assert_eq!(safe_cell("-12.5"), "-12.5");
        assert_eq!(safe_cell("Acme"), "Acme");
        assert_eq!(safe_cell("-"), "'-");
        // What a spreadsheet would compute: "-2+3" showed 1.
        assert_eq!(safe_cell("-2+3"), "'-2+3");
        assert_eq!(safe_cell("+1+1"), "'+1+1");
        assert_eq!(safe_cell("+1-415-555-0132"), "'+1-415-555-0132");
        assert_eq!(safe_cell("+14155550132"), "+14155550132");
        assert_eq!(safe_cell("-1.5.2"), "'-1.5.2");
    }
}
