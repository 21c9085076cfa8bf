//! Which lead field each column fills: real export headers (data/csv-header-synonyms.json) matched
//! regardless of case, spaces and punctuation, with a confidence per column; anything unmatched is
//! kept in custom_fields under its own header, never dropped.
//!
//! Our own `outpost export` maps back column for column (its `custom_fields` column, one JSON
//! object, merges into the lead's custom fields; `street` … `country` make up its address), except
//! what an import must not set on a lead: `id` (external_id) and `created_at` (original_created_at)
//! are kept in custom_fields (not when they name the very lead an update import updates; as
//! outpost_id / outpost_created_at when the lead's own custom fields hold an external id and
//! original creation date from the CRM it first came from), as is
//! `assigned_to` (a profile of the exporting organization, which need not exist here); `updated_at`
//! is ignored.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Where a column's values go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum Target {
    /// A canonical field (see [`FIELDS`]).
    Field(String),
    /// custom_fields[header]
    Custom,
    Ignore,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub column: usize,
    pub header: String,
    pub target: Target,
    /// 1.0 exact synonym, 0.9 same letters, 0.6 contains a known word, 0 unknown.
    pub confidence: f32,
}

/// The canonical fields a column can map to.
pub const FIELDS: [&str; 44] = [
    "external_id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "email_secondary",
    "phone",
    "mobile",
    "company",
    "company_alt",
    "title",
    "owner",
    "status",
    "lifecycle_stage",
    "source",
    "linkedin_url",
    "website",
    "industry",
    "employees",
    "city",
    "state",
    "country",
    "postal_code",
    "street",
    "created_at",
    "connected_on",
    "tags",
    "email_opt_out",
    "notes",
    "next_follow_up_at",
    "follow_up_reason",
    "current_score",
    "custom_fields",
    "message",
    "ai_context_summary",
    "engagement_level",
    "email_status",
    "last_contacted_at",
    "last_reply_at",
    "reply_count",
    "emails_sent_count",
    "predicted_value",
    "score_confidence",
    "conversion_probability",
];

/// Fields several columns may fill together: every opt-out column counts (any "yes" wins), every
/// further email column stands in for an empty email, every tags column adds its tags.
pub(crate) const MANY_COLUMNS: [&str; 3] = ["email_opt_out", "email_secondary", "tags"];

fn synonyms() -> &'static (HashMap<String, String>, HashMap<String, String>) {
    static MAP: OnceLock<(HashMap<String, String>, HashMap<String, String>)> = OnceLock::new();
    MAP.get_or_init(|| {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../data/csv-header-synonyms.json")).unwrap_or_default();
        let (mut exact, mut loose) = (HashMap::new(), HashMap::new());
        if let Some(m) = v["synonyms"].as_object() {
            for (field, headers) in m {
                for h in headers.as_array().into_iter().flatten().filter_map(|h| h.as_str()) {
                    exact.entry(h.to_lowercase()).or_insert_with(|| field.clone());
                    if !EXACT_ONLY.contains(&field.as_str()) {
                        loose.entry(squash(h)).or_insert_with(|| field.clone());
                    }
                }
            }
        }
        (exact, loose)
    })
}

/// Fields only their own name maps to: Apollo's "Email Status" (Verified, Guessed …) is the
/// address's verification, not whether the lead replied.
const EXACT_ONLY: [&str; 1] = ["email_status"];

/// Letters and digits only, lowercased: "E-mail Address" → "emailaddress".
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Words that identify a field inside longer headers ("Work Email Address", "Cell phone #").
const HINTS: [(&str, &str); 14] = [
    // Before "email": "Email Opt-Out Flag" or "Do not email" is consent, not an address.
    ("optout", "email_opt_out"),
    ("optedout", "email_opt_out"),
    ("unsubscribe", "email_opt_out"),
    ("donotcontact", "email_opt_out"),
    ("donotemail", "email_opt_out"),
    ("email", "email"),
    ("mail", "email"),
    ("phone", "phone"),
    ("mobile", "mobile"),
    ("company", "company"),
    ("linkedin", "linkedin_url"),
    ("website", "website"),
    ("title", "title"),
    ("firstname", "first_name"),
];

/// A header's words, lowercased: split at anything not a letter or digit and where a lowercase
/// letter meets an uppercase one ("EmailBouncedReason" → email, bounced, reason).
fn words(header: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev_lower = false;
    for c in header.chars() {
        if !c.is_alphanumeric() {
            prev_lower = false;
            out.push(String::new());
            continue;
        }
        if prev_lower && c.is_uppercase() || out.is_empty() {
            out.push(String::new());
        }
        prev_lower = c.is_lowercase();
        if let Some(w) = out.last_mut() {
            w.extend(c.to_lowercase());
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

/// Words of a header that describe a value rather than hold it (see `guess`).
const ABOUT_THE_VALUE: [&str; 12] =
    ["type", "domain", "status", "label", "verified", "count", "date", "time", "campaign", "reason", "source", "score"];

pub fn guess(column: usize, header: &str) -> ColumnMapping {
    let (exact, loose) = synonyms();
    let trimmed = header.trim();
    let found = |target: &str, confidence| ColumnMapping {
        column,
        header: header.to_string(),
        target: Target::Field(target.to_string()),
        confidence,
    };
    if let Some(f) = exact.get(&trimmed.to_lowercase()) {
        return found(f, 1.0);
    }
    let sq = squash(trimmed);
    // The reasons our failed-rows file adds: a fixed file imported back would keep them on leads.
    if sq == "importerror" {
        return ColumnMapping { column, header: header.to_string(), target: Target::Ignore, confidence: 1.0 };
    }
    if let Some(f) = loose.get(&sq) {
        return found(f, 0.9);
    }
    // A file without a header row has data in the first row: "ann@gmail.com" holds "mail", but it
    // is not an email column's name.
    let looks_like_data = trimmed.contains('@') || trimmed.chars().filter(char::is_ascii_digit).count() >= 5;
    // "E-mail 1 - Type" (Google Contacts: "Work"), "Email Domain", "Phone Type": about the value,
    // not the value; taking them for it turned every row of a Google export away.
    let about_the_value = words(trimmed).iter().any(|w| ABOUT_THE_VALUE.contains(&w.as_str()));
    let hint = HINTS
        .iter()
        .find(|(w, _)| sq.contains(w))
        .filter(|(_, f)| !looks_like_data && (*f == "email_opt_out" || !about_the_value));
    if let Some((_, f)) = hint {
        return found(f, 0.6);
    }
    ColumnMapping { column, header: header.to_string(), target: Target::Custom, confidence: 0.0 }
}

/// The mapping of every column; a field claimed by two columns goes to the more confident (the
/// other is kept as a custom field, so nothing is lost).
/// The columns of a file: by their names, or — a file without a header row — by what its first
/// row holds (an email address, a phone number).
pub fn map_file(csv: &crate::reader::CsvFile) -> Vec<ColumnMapping> {
    let mut mapping = auto_map(&csv.headers);
    if let Some(first) = &csv.first_row {
        let mut taken: Vec<&str> = Vec::new();
        for (m, cell) in mapping.iter_mut().zip(first.iter()) {
            // One column per field; a second address or number stays a custom field.
            if let Some(field) = value_field(cell).filter(|f| !taken.contains(f)) {
                taken.push(field);
                m.target = Target::Field(field.into());
                m.confidence = 0.6;
            }
        }
    }
    mapping
}

/// The field a value itself says it is: an email address, or a phone number (digits and the
/// punctuation numbers are written with, seven digits or more).
pub(crate) fn value_field(cell: &str) -> Option<&'static str> {
    let cell = cell.trim();
    if matches!(crate::normalize::email(cell), Ok(Some(_))) {
        return Some("email");
    }
    let phone_like = cell.chars().all(|c| c.is_ascii_digit() || "+-(). ".contains(c));
    let digits = cell.chars().filter(char::is_ascii_digit).count();
    // Not a day (2024-03-12), an amount (1250000.00) or a short id (12345678).
    let day = chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_ok();
    let number = cell.parse::<f64>().is_ok() && (cell.contains('.') || digits < 10);
    (phone_like && digits >= 7 && !day && !number).then_some("phone")
}

pub fn auto_map(headers: &[String]) -> Vec<ColumnMapping> {
    let mut out: Vec<ColumnMapping> = headers.iter().enumerate().map(|(i, h)| guess(i, h)).collect();
    // In a LinkedIn Connections export, "URL" is the person's profile (CSV-HEADERS.md).
    let linkedin = ["First Name", "Last Name", "URL", "Connected On"].iter().all(|f| headers.iter().any(|h| h == f));
    if linkedin {
        for m in out.iter_mut().filter(|m| m.header == "URL") {
            m.target = Target::Field("linkedin_url".into());
            m.confidence = 1.0;
        }
    }
    // Next to a status column, "Stage" (our export's `stage`) is the lead's stage, not a second
    // status to leave in custom_fields.
    let is_status = |m: &ColumnMapping| m.target == Target::Field("status".into());
    if out.iter().any(|m| is_status(m) && squash(&m.header) != "stage") {
        for m in out.iter_mut().filter(|m| is_status(m) && squash(&m.header) == "stage") {
            m.target = Target::Field("lifecycle_stage".into());
        }
    }
    // Beside a "Job Title", a bare "Title" is the person's (Outlook's Mr./Mrs.), kept as itself.
    let is_title = |m: &ColumnMapping| m.target == Target::Field("title".into());
    if out.iter().any(|m| is_title(m) && m.confidence >= 0.9 && squash(&m.header) != "title") {
        for m in out.iter_mut().filter(|m| is_title(m) && squash(&m.header) == "title") {
            m.target = Target::Custom;
        }
    }
    // Our export's `updated_at` is when another database last changed the lead: nothing to keep.
    for m in out.iter_mut().filter(|m| m.header == "updated_at") {
        m.target = Target::Ignore;
        m.confidence = 1.0;
    }
    let mut best: HashMap<String, usize> = HashMap::new();
    // A second column named as an email is a fallback address (email_secondary); one that only
    // has the word in its name ("Email Status") is not.
    let demoted = |f: &str, m: &ColumnMapping| {
        if f == "email" && m.confidence >= 0.9 {
            Target::Field("email_secondary".into())
        } else {
            Target::Custom
        }
    };
    for i in 0..out.len() {
        let Target::Field(f) = out[i].target.clone() else { continue };
        if MANY_COLUMNS.contains(&f.as_str()) {
            continue;
        }
        match best.get(&f) {
            Some(&j) if out[j].confidence >= out[i].confidence => out[i].target = demoted(&f, &out[i]),
            Some(&j) => {
                out[j].target = demoted(&f, &out[j]);
                best.insert(f.clone(), i);
            }
            None => {
                best.insert(f.clone(), i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_says_it_is_an_email_or_a_phone() {
        assert_eq!(value_field("ana@acme.io"), Some("email"));
        for phone in ["555-123-4567", "+44 20 7946 0958", "(415) 555-0100", "4155550100"] {
            assert_eq!(value_field(phone), Some("phone"), "{phone}");
        }
        for other in ["2024-03-12", "1250000.00", "12345678", "Dan Brown", "94107"] {
            assert_eq!(value_field(other), None, "{other}");
        }
    }

    #[test]
    fn real_headers_map_with_confidence() {
        let m = |h: &str| guess(0, h);
        assert_eq!((m("Email Address").target, m("Email Address").confidence), (Target::Field("email".into()), 1.0));
        for score in ["Score", "Lead Score", "HubSpot Score"] {
            assert_eq!(m(score).target, Target::Field("current_score".into()), "{score}");
        }
        assert_eq!(m("EMAIL_ADDRESS").target, Target::Field("email".into()));
        assert_eq!(m("Person - Phone - Mobile").target, Target::Field("mobile".into()));
        assert_eq!(m("Company / Account").target, Target::Field("company".into()));
        assert_eq!(
            (m("Work E-mail (primary)").target, m("Work E-mail (primary)").confidence),
            (Target::Field("email".into()), 0.6)
        );
        assert_eq!(m("Favourite colour").target, Target::Custom);
        // A deal's value (Pipedrive, a HubSpot or Salesforce deal export, the panel's own label)
        // counts in the pipeline's totals.
        for value in ["Deal - Value", "Deal value", "Amount", "Opportunity Amount", "Value"] {
            assert_eq!(m(value).target, Target::Field("predicted_value".into()), "{value}");
        }
        for (header, field) in
            [("Follow up", "next_follow_up_at"), ("Created", "created_at"), ("Date Created", "created_at")]
        {
            assert_eq!(m(header).target, Target::Field(field.into()), "{header}");
        }
        // A German or French spreadsheet: the usual column names map too.
        for (header, field) in [
            ("Vorname", "first_name"),
            ("Nachname", "last_name"),
            ("E-Mail-Adresse", "email"),
            ("Telefon", "phone"),
            ("Handy", "mobile"),
            ("Firma", "company"),
            ("Stadt", "city"),
            ("PLZ", "postal_code"),
            ("Straße", "street"),
            ("Prénom", "first_name"),
            ("Nom de famille", "last_name"),
            ("Société", "company"),
            ("Code postal", "postal_code"),
        ] {
            assert_eq!(m(header).target, Target::Field(field.into()), "{header}");
        }
        // The first of two equally sure columns keeps the field: the person's City before
        // Apollo's "Company City", HubSpot's "Company Name" before "Associated Company".
        let heads = |h: &[&str]| auto_map(&h.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let apollo = heads(&["City", "Country", "Company City", "Company Country"]);
        assert_eq!(
            (apollo[0].target.clone(), apollo[1].target.clone(), apollo[2].target.clone()),
            (Target::Field("city".into()), Target::Field("country".into()), Target::Custom)
        );
        let hubspot = heads(&["Company Name", "Associated Company"]);
        assert_eq!(
            (hubspot[0].target.clone(), hubspot[1].target.clone()),
            (Target::Field("company".into()), Target::Custom)
        );
        // Outlook's "Title" (Mr./Mrs.) beside its "Job Title"; a header merely holding the word
        // does not count ("Previous Title"), and describing words are found in PascalCase too.
        let salesforce = heads(&["Title", "Previous Title", "EmailBouncedReason", "Email"]);
        assert_eq!(
            salesforce.iter().map(|m| m.target.clone()).collect::<Vec<_>>(),
            [Target::Field("title".into()), Target::Custom, Target::Custom, Target::Field("email".into())]
        );
        assert_eq!(words("EmailBouncedReason (x_y)"), ["email", "bounced", "reason", "x", "y"]);
        let outlook = heads(&["Title", "First Name", "Job Title"]);
        assert_eq!(
            (outlook[0].target.clone(), outlook[2].target.clone()),
            (Target::Custom, Target::Field("title".into()))
        );
        let both = auto_map(&["Email".into(), "E-mail".into()]);
        assert_eq!(both[0].target, Target::Field("email".into()));
        assert_eq!(both[1].target, Target::Field("email_secondary".into()));
    }

    #[test]
    fn every_opt_out_column_maps_to_the_opt_out_field() {
        let headers: Vec<String> =
            ["Email Opt Out", "Unsubscribed", "do_not_contact", "Do Not Email", "Email opt-out flag", "Email"]
                .iter()
                .map(|h| h.to_string())
                .collect();
        let m = auto_map(&headers);
        for c in &m[..5] {
            assert_eq!(c.target, Target::Field("email_opt_out".into()), "{}", c.header);
        }
        assert_eq!(m[5].target, Target::Field("email".into()));
    }

    #[test]
    fn a_crm_s_own_lead_id_is_kept_as_the_external_id() {
        for h in ["Lead ID", "lead_id", "Record ID", "id"] {
            assert_eq!(guess(0, h).target, Target::Field("external_id".into()), "{h}");
        }
    }

    #[test]
    fn our_exports_columns_map_back() {
        let headers: Vec<String> = [
            "status",
            "stage",
            "company_size",
            "company_industry",
            "follow_up_reason",
            "street",
            "city",
            "state",
            "postal_code",
            "country",
            "custom_fields",
            "current_score",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        let got: Vec<Target> = auto_map(&headers).into_iter().map(|m| m.target).collect();
        let want: Vec<Target> = [
            "status",
            "lifecycle_stage",
            "employees",
            "industry",
            "follow_up_reason",
            "street",
            "city",
            "state",
            "postal_code",
            "country",
            "custom_fields",
            "current_score",
        ]
        .iter()
        .map(|f| Target::Field(f.to_string()))
        .collect();
        assert_eq!(got, want);
        // Alone, "Stage" is still a pipeline's status.
        assert_eq!(auto_map(&["Stage".into()])[0].target, Target::Field("status".into()));
    }

    #[test]
    fn a_first_row_of_data_is_not_read_as_headers() {
        assert_eq!(guess(0, "ann@gmail.com").target, Target::Custom);
        assert_eq!(guess(0, "+1 415 555 0100 (mobile)").target, Target::Custom);
    }
}
