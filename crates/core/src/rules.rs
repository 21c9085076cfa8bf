//! The seed documents' data rules (SCHEMA.md): enforced on every local write, before it lands.
//! Rows pulled from the server are the server's business and are not re-checked.

use rusqlite::OptionalExtension;
use serde_json::{Map, Value};

use crate::catalog::Table;
use crate::error::{Error, Result};
use crate::rows::Tx;
use crate::time;
use crate::values::Row;

/// Statuses that mean "we are reaching out": a do-not-contact lead may not be put (back) there.
pub const OUTREACH_STATUSES: [&str; 6] = ["new", "contacted", "qualified", "proposal", "negotiation", "nurturing"];

/// Shaped to use the partial unique index leads_org_email_key (a test checks the plan).
pub(crate) const DUPLICATE_EMAIL: &str = "SELECT id FROM leads WHERE organization_id = ?1 AND lower(email) = lower(?2)
     AND email IS NOT NULL AND deleted_at IS NULL AND id <> ?3 LIMIT 1";

/// A rep's values as the store keeps them: an email in [`email_form`], as an import keeps it.
pub(crate) fn normalize(table: &Table, row: &mut Row) {
    row.values_mut().for_each(without_nuls);
    if table.name != "leads" {
        return;
    }
    if let Some(Value::String(email)) = row.get_mut("email") {
        // Pasted from a mail program: "Ana Lima <ana@acme.com>" is the address in the brackets.
        if let Some(inner) = email.trim().strip_suffix('>').and_then(|e| e.rsplit_once('<')).map(|(_, a)| a.trim()) {
            if inner.contains('@') {
                *email = inner.to_string();
            }
        }
        if let std::borrow::Cow::Owned(form) = email_form(email) {
            *email = form;
        }
    }
    // "12." is 12 (the server's numeric reads it so; kept as typed it differed from the server's copy).
    if let Some(Value::String(v)) = row.get_mut("predicted_value") {
        if let Some(whole) = v.trim().strip_suffix('.').filter(|w| w.parse::<i64>().is_ok()) {
            *v = whole.to_string();
        }
    }
    // A follow-up cleared takes its reason with it (the reason stayed, for no date).
    if matches!(row.get("next_follow_up_at"), Some(Value::Null)) && !row.contains_key("follow_up_reason") {
        row.insert("follow_up_reason".into(), Value::Null);
    }
    if let Some(Value::Array(tags)) = row.get_mut("tags") {
        if tags.iter().all(Value::is_string) {
            *tags = distinct_tags(tags.iter().filter_map(Value::as_str)).into_iter().map(Value::from).collect();
        }
    }
}

/// A NUL is no character anyone typed (a paste out of a PDF, a file's stray byte), and PostgreSQL
/// stores no text holding one: the row would never sync. Taken out, keys of objects included.
fn without_nuls(v: &mut Value) {
    match v {
        Value::String(s) if s.contains('\0') => s.retain(|c| c != '\0'),
        Value::Array(items) => items.iter_mut().for_each(without_nuls),
        Value::Object(o) => {
            if o.keys().any(|k| k.contains('\0')) {
                *o = std::mem::take(o).into_iter().map(|(k, v)| (k.replace('\0', ""), v)).collect();
            }
            o.values_mut().for_each(without_nuls);
        }
        _ => {}
    }
}

/// Tags are matched without regard to case ("VIP" finds "vip"): one of each, trimmed, as first
/// written, none empty. The store's writes and an import's rows keep them so.
pub fn distinct_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = std::collections::HashSet::new();
    tags.into_iter().map(str::trim).filter(|t| !t.is_empty() && seen.insert(t.to_lowercase())).collect()
}

/// The one form of an address with letters beyond ASCII, for the duplicate check and the unique
/// index (which fold ASCII letters only, as SQLite's lower() does): composed (NFC) — "josé@"
/// typed on a Mac can arrive as e + combining accent — and in lower case, so "JOSÉ@x.com" and
/// "josé@x.com" are one address here as they are on the server (PostgreSQL's lower() folds every
/// letter). An ASCII address is kept as typed.
pub fn email_form(email: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if email.is_ascii() {
        return email.into();
    }
    // (A few letters lower to a letter and a combining mark: composed again.)
    email.nfc().collect::<String>().to_lowercase().nfc().collect::<String>().into()
}

/// The longest name a list or a campaign may have (the UI's name boxes stop there too).
pub const GROUP_NAME_LIMIT: usize = 120;

/// The longest name rows of `table` may have, if it limits them (lists and campaigns).
pub(crate) fn name_limit(table: &str) -> Option<usize> {
    matches!(table, "lead_lists" | "campaigns").then_some(GROUP_NAME_LIMIT)
}

pub(crate) fn check(tx: &Tx<'_>, table: &Table, id: &str, old: Option<&Row>, changes: &Row) -> Result<()> {
    check_with(tx, table, id, old, changes, true)
}

/// The rules for a new row of a batch, whose email uniqueness the unique index enforces.
pub(crate) fn check_batched(tx: &Tx<'_>, table: &Table, id: &str, changes: &Row) -> Result<()> {
    check_with(tx, table, id, None, changes, false)
}

fn check_with(
    tx: &Tx<'_>,
    table: &Table,
    id: &str,
    old: Option<&Row>,
    changes: &Row,
    email_lookup: bool,
) -> Result<()> {
    // A name is read in menus, chips and toasts: a pasted paragraph is no name.
    if let (Some(limit), Some(name)) = (name_limit(&table.name), changes.get("name").and_then(Value::as_str)) {
        let n = name.chars().count();
        if n > limit {
            let reason = format!("a name is at most {limit} characters (this one has {n})");
            return Err(Error::invalid(&table.name, "name", reason));
        }
    }
    match table.name.as_str() {
        "leads" => check_lead(tx, id, old, changes, email_lookup),
        "campaign_leads" => match lead_of(changes, old) {
            Some(lead) if changes.contains_key("lead_id") => refuse_if_dnc(tx, lead, "adding it to a campaign"),
            _ => Ok(()),
        },
        // An email logged as sent (a draft from a template, the activity form): the rep reaching
        // a person who opted out. A call may be theirs (inbound), so only emails are refused, and
        // not one the lead sent (a reply).
        "activities"
            if old.is_none()
                && changes.get("type").and_then(Value::as_str) == Some("email")
                && !changes.get("metadata").and_then(Value::as_object).is_some_and(is_inbound) =>
        {
            match lead_of(changes, old) {
                Some(lead) => refuse_if_dnc(tx, lead, "logging an email sent to it"),
                None => Ok(()),
            }
        }
        "emails" => {
            let status = changes.get("status").and_then(Value::as_str);
            match (lead_of(changes, old), status) {
                (Some(lead), Some("queued" | "sent")) => refuse_if_dnc(tx, lead, "sending it an email"),
                _ => Ok(()),
            }
        }
        "clients" => match changes.get("lead_id").and_then(Value::as_str) {
            Some(lead) => {
                let status = lead_field(tx, lead, "status")?.unwrap_or_default();
                if status == "closed_won" {
                    Ok(())
                } else {
                    Err(Error::ClientNeedsWonLead { lead_id: lead.to_string(), status })
                }
            }
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

fn check_lead(tx: &Tx<'_>, id: &str, old: Option<&Row>, changes: &Row, email_lookup: bool) -> Result<()> {
    // Tags are text (a list given as JSON text, from a command line, is read first).
    let parsed;
    let tags = match changes.get("tags") {
        Some(Value::String(s)) if s.trim_start().starts_with('[') => {
            parsed = serde_json::from_str::<Value>(s).ok();
            parsed.as_ref()
        }
        other => other,
    };
    if let Some(Value::Array(items)) = tags {
        if items.iter().any(|t| !t.is_string()) {
            return Err(Error::invalid("leads", "tags", "must be a list of text, like [\"vip\", \"2027\"]"));
        }
    }
    if let Some(phone) = changes.get("phone").and_then(Value::as_str).filter(|_| !tx.carried()) {
        check_phone(phone)?;
    }
    // A deal's value (what the pipeline adds up): a minus would take other deals' value away.
    let negative = match changes.get("predicted_value") {
        Some(Value::String(v)) => v.trim_start().starts_with('-'),
        Some(Value::Number(n)) => n.as_f64().is_some_and(|v| v < 0.0),
        _ => false,
    };
    if negative {
        return Err(Error::invalid("leads", "predicted_value", "a deal value cannot be negative"));
    }
    // A value the write really changes (a restore or an edit that repeats it changes nothing).
    let changed = |k: &str| changes.get(k).is_some_and(|v| old.and_then(|o| o.get(k)) != Some(v));
    for column in WEB_ADDRESSES.into_iter().filter(|c| changed(c) && !tx.carried()) {
        if let Some(address) = changes.get(column).and_then(Value::as_str) {
            check_web_address(column, address)?;
        }
    }
    // A lead nobody can name or reach is an empty record in every list (an import says so per row).
    let naming = ["first_name", "last_name", "email", "phone", "company"];
    if !tx.carried() && (old.is_none() || naming.into_iter().any(changed)) {
        let value = |k: &str| changes.get(k).or_else(|| old.and_then(|o| o.get(k)));
        let filled = |k: &&str| value(k).and_then(Value::as_str).is_some_and(|v| !v.trim().is_empty());
        if !naming.iter().any(filled) {
            return Err(Error::EmptyLead);
        }
    }
    if let Some(email) = changes.get("email").and_then(Value::as_str) {
        check_email_syntax(email)?;
        let existing = if email_lookup { other_lead_with_email(tx, email, id)? } else { None };
        if let Some(existing_id) = existing {
            return Err(Error::DuplicateEmail { email: email.to_string(), existing_id });
        }
    }
    let was_dnc = old.and_then(|o| o.get("do_not_contact")).is_some_and(is_true);
    let becomes = changes.get("do_not_contact");
    // An opt-out is never cleared — except by the Undo of a merge that brought it from another
    // person's lead (`carrying`: a merge itself only ever sets it).
    if was_dnc && becomes.is_some_and(|v| !is_true(v)) && !tx.carrying() {
        return Err(Error::DoNotContact { lead_id: id.to_string(), action: "clearing do-not-contact".into() });
    }
    let dnc = was_dnc || becomes.is_some_and(is_true);
    if let Some(status) = changes.get("status").and_then(Value::as_str) {
        let unchanged = old.and_then(|o| o.get("status")).and_then(Value::as_str) == Some(status);
        if dnc && !unchanged && OUTREACH_STATUSES.contains(&status) && old.is_some() {
            return Err(Error::DoNotContact { lead_id: id.to_string(), action: format!("moving it to '{status}'") });
        }
    }
    // An import brings another system's follow-ups, overdue ones included (they are the work the
    // rep has to catch up on); a date the rep sets now may not be in the past.
    if let Some(when) = changes.get("next_follow_up_at").and_then(Value::as_str).filter(|_| !tx.carried()) {
        let at = time::normalize(when).and_then(|t| time::parse(&t));
        // A day is stored as one instant of it (09:00 UTC), so "today" may already be hours past,
        // and a rep's today is yesterday in UTC west of it: only a day before yesterday (UTC) is
        // refused — a mistaken year or month, not a rep's own today.
        let today = chrono::Utc::now().date_naive().and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        let earliest = today.map(|t| t - chrono::Duration::days(1));
        if at.is_some_and(|t| earliest.is_some_and(|e| t < e)) {
            return Err(Error::FollowUpInPast { value: when.to_string() });
        }
    }
    Ok(())
}

/// The live lead of this organization, other than `id`, that has `email` (case folded like the
/// unique index: ASCII letters).
pub fn other_lead_with_email(tx: &Tx<'_>, email: &str, id: &str) -> Result<Option<String>> {
    let org = &tx.identity().organization_id;
    let found = tx.conn().prepare_cached(DUPLICATE_EMAIL)?.query_row((org, email, id), |r| r.get(0)).optional()?;
    if found.is_some() || email.is_ascii() {
        return Ok(found);
    }
    // An address beyond ASCII may be stored in another case or form ("JOSÉ@" typed before the
    // store kept one form, or pulled from the server): compared in its one form (V16's index).
    let form = email_form(email);
    let mut stmt = tx.conn().prepare_cached(DUPLICATE_EMAIL_BEYOND_ASCII)?;
    let mut rows = stmt.query((org, id))?;
    while let Some(row) = rows.next()? {
        let stored: String = row.get(1)?;
        if email_form(&stored) == form {
            return Ok(Some(row.get(0)?));
        }
    }
    Ok(None)
}

/// A LinkedIn profile address as V19's index compares it: without case, scheme, "www." or a
/// trailing slash. The SQL (`LINKEDIN_PROFILE`) and this must agree — but for a query or fragment
/// ("?trk=…" from a copied link), which this drops: an address that came with one still finds the
/// lead stored without it.
pub fn linkedin_profile(url: &str) -> String {
    let url = url.trim();
    let url = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    // ASCII only, as SQLite's lower().
    let url = url.to_ascii_lowercase().replace("https://", "").replace("http://", "").replace("www.", "");
    url.trim_end_matches('/').to_string()
}

/// Whether `url` is one person's profile ("linkedin.com/in/ann-lee"), which tells a lead; a company
/// page, a placeholder or a bare "linkedin.com" shared by many rows does not.
pub fn is_linkedin_person(url: &str) -> bool {
    let profile = linkedin_profile(url);
    ["linkedin.com/in/", "linkedin.com/pub/"]
        .iter()
        .any(|p| profile.strip_prefix(p).is_some_and(|handle| !handle.is_empty() && !handle.contains(' ')))
}

/// V19's expression, character for character (the index is used only for the same expression).
pub(crate) const LINKEDIN_PROFILE: &str =
    "rtrim(replace(replace(replace(lower(linkedin_url), 'https://', ''), 'http://', ''), 'www.', ''), '/')";

/// The live lead of this organization with the LinkedIn profile `url` (see [`linkedin_profile`]):
/// how an import without emails (LinkedIn's Connections export) recognises a lead it already has.
pub fn lead_with_linkedin_profile(tx: &Tx<'_>, url: &str) -> Result<Option<String>> {
    let sql = format!(
        "SELECT id FROM leads WHERE organization_id = ?1 AND linkedin_url IS NOT NULL AND deleted_at IS NULL
         AND {LINKEDIN_PROFILE} = ?2 LIMIT 1"
    );
    let org = &tx.identity().organization_id;
    Ok(tx.conn().prepare_cached(&sql)?.query_row((org, linkedin_profile(url)), |r| r.get(0)).optional()?)
}

/// The live leads whose email has characters beyond ASCII (V16's partial index).
const DUPLICATE_EMAIL_BEYOND_ASCII: &str = "SELECT id, email FROM leads WHERE email GLOB '*[^ -~]*'
     AND deleted_at IS NULL AND organization_id = ?1 AND id <> ?2";

/// Deliberately permissive (real exports hold odd but deliverable addresses); rejects what can
/// never be an address.
pub fn check_email_syntax(email: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::invalid("leads", "email", format!("'{email}' is not an email address ({why})")));
    let Some((local, domain)) = email.rsplit_once('@') else {
        return bad("no @");
    };
    if local.is_empty() {
        return bad("nothing before the @");
    }
    if domain.is_empty() {
        return bad("nothing after the @");
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("contains spaces");
    }
    if email.chars().any(is_format_char) {
        return bad("holds an invisible character, e.g. from a copy and paste; type it again");
    }
    if local.contains('@') || email.contains([',', ';', '<', '>']) {
        return bad("one address only, without a name or brackets around it");
    }
    if local.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("mailto:")) {
        return bad("without mailto:");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
        return bad("the domain needs a dot, like example.com");
    }
    Ok(())
}

const WEB_ADDRESSES: [&str; 2] = ["website", "linkedin_url"];

/// Moves web addresses the rules refuse into the row's custom fields, where they stay readable: a
/// row written again as another system had it (an imported lead the server refused, tried again).
/// Without custom fields in `row`, they are made only if `make` (a patch must not replace the
/// lead's own).
pub fn set_aside_bad_web_addresses(row: &mut Row, make: bool) {
    for column in WEB_ADDRESSES {
        let bad = match row.get(column) {
            Some(Value::String(a)) if check_web_address(column, a).is_err() => Value::String(a.clone()),
            _ => continue,
        };
        row.remove(column);
        if make && !row.contains_key("custom_fields") {
            row.insert("custom_fields".into(), Value::Object(Row::new()));
        }
        if let Some(Value::Object(fields)) = row.get_mut("custom_fields") {
            fields.insert(column.to_string(), bad);
        }
    }
}

/// A web address as people paste one: "acme.com", "www.acme.com/about", "https://acme.com". A word
/// ("hello"), a mistyped scheme ("htp:/acme") or spaces are refused; nothing is fetched.
pub fn check_web_address(column: &str, value: &str) -> Result<()> {
    let t = value.trim();
    let scheme_end = t.find("://");
    let rest = match scheme_end {
        Some(at) if ["http", "https"].iter().any(|s| t[..at].eq_ignore_ascii_case(s)) => &t[at + 3..],
        Some(_) => "",
        None => t,
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host =
        host.rsplit_once(':').filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit())).map_or(host, |(h, _)| h);
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && !host.contains("..")
        && host.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if t.is_empty() || (host_ok && !t.chars().any(char::is_whitespace)) {
        return Ok(());
    }
    Err(Error::invalid("leads", column, format!("'{value}' is not a web address (like acme.com or https://acme.com)")))
}

/// A phone number as people write one: digits (five at least) with + - ( ) . / and spaces, then
/// perhaps an extension ("ext. 12", "x12", "#12"). Letters or a stray word are refused ("abc",
/// "call me").
pub fn check_phone(phone: &str) -> Result<()> {
    let number = without_extension(phone);
    let digits = number.chars().filter(char::is_ascii_digit).count();
    if digits >= 5 && number.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c)) {
        return Ok(());
    }
    let why = if digits < 5 && number.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c)) {
        "a phone number has 5 digits or more"
    } else {
        "digits, with + - ( ) . and spaces"
    };
    Err(Error::invalid("leads", "phone", format!("'{phone}' is not a phone number ({why})")))
}

/// A phone number without its extension ("ext. 12", "x12", "#12"): what comes before the first e,
/// x or # — where the phone search index (V15) cuts it too.
pub fn without_extension(phone: &str) -> &str {
    phone.find(['e', 'E', 'x', 'X', '#']).map_or(phone, |at| &phone[..at]).trim()
}

/// Characters no one sees (zero-width spaces, soft hyphens, direction marks): two addresses that
/// look the same must be the same for the duplicate check.
pub fn is_format_char(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

fn lead_of<'r>(changes: &'r Row, old: Option<&'r Row>) -> Option<&'r str> {
    changes.get("lead_id").or_else(|| old.and_then(|o| o.get("lead_id"))).and_then(Value::as_str)
}

/// Whether an activity's metadata says the lead started it (`direction: inbound`): a reply, their
/// call.
pub fn is_inbound(metadata: &Map<String, Value>) -> bool {
    metadata.get("direction").and_then(Value::as_str) == Some("inbound")
}

fn refuse_if_dnc(tx: &Tx<'_>, lead: &str, action: &str) -> Result<()> {
    if lead_field(tx, lead, "do_not_contact")?.as_deref() == Some("1") {
        return Err(Error::DoNotContact { lead_id: lead.to_string(), action: action.to_string() });
    }
    Ok(())
}

fn lead_field(tx: &Tx<'_>, lead: &str, column: &str) -> Result<Option<String>> {
    let sql = format!("SELECT CAST({column} AS TEXT) FROM leads WHERE id = ?1 AND deleted_at IS NULL");
    match tx.conn().query_row(&sql, [lead], |r| r.get::<_, Option<String>>(0)).optional()? {
        Some(v) => Ok(v),
        None => Err(Error::NotFound { table: "leads".into(), id: lead.to_string() }),
    }
}

fn is_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() == Some(1),
        Value::String(s) => matches!(s.trim().to_lowercase().as_str(), "true" | "yes" | "y" | "1"),
        _ => false,
    }
}
