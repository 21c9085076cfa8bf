//! Email templates with {{variables}}, and drafting an email to a lead from one: the variables are
//! filled from the lead's fields, and the draft says which ones the lead has no value for.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::records::{Activity, EmailTemplate, Lead};
use crate::{time, Store};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Draft {
    pub to: Option<String>,
    pub subject: String,
    pub body: String,
    /// Variables the lead has no value for (left blank in the draft).
    pub missing: Vec<String>,
}

impl Store {
    pub fn email_templates(&self) -> Result<Vec<EmailTemplate>> {
        let ids: Vec<String> = self
            .conn()
            .prepare("SELECT id FROM email_templates WHERE deleted_at IS NULL ORDER BY outpost_sort_key(name), name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|id| self.find(id)).collect()
    }

    /// Creates a template, or changes the one with `id`. Its variables are read from the text.
    pub fn save_template(
        &mut self,
        id: Option<&str>,
        name: &str,
        subject: &str,
        content: &str,
    ) -> Result<EmailTemplate> {
        if name.trim().is_empty() {
            return Err(Error::invalid("email_templates", "name", "a template needs a name"));
        }
        let mut vars = variables(subject);
        for v in variables(content) {
            if !vars.contains(&v) {
                vars.push(v);
            }
        }
        let values = json!({"name": name.trim(), "subject": subject, "content": content, "variables": vars});
        let values: Map<String, Value> = values.as_object().cloned().unwrap_or_default();
        self.write(|tx| {
            match id {
                Some(id) => crate::lists::refuse_taken_rename(tx, "email_templates", id, name.trim())?,
                None => crate::lists::refuse_taken_name(tx, "email_templates", name.trim(), None)?,
            }
            match id {
                Some(id) => tx.edit(id, values),
                None => {
                    let id = tx.insert("email_templates", values)?;
                    tx.find(&id)
                }
            }
        })
    }

    /// Deletes a template (soft: `restore_template` is its Undo; emails already drafted keep
    /// their text).
    pub fn delete_template(&mut self, id: &str) -> Result<()> {
        self.write(|tx| tx.delete("email_templates", id))
    }

    /// Brings a deleted template back (as "Intro (2)" when another took "Intro" meanwhile).
    pub fn restore_template(&mut self, id: &str) -> Result<EmailTemplate> {
        self.write(|tx| {
            crate::lists::restore_named(tx, "email_templates", id)?;
            tx.find(id)
        })
    }

    pub fn draft_email(&self, template_id: &str, lead_id: &str) -> Result<Draft> {
        let template: EmailTemplate = self.find(template_id)?;
        let lead: Lead = self.find(lead_id)?;
        let fields = match serde_json::to_value(&lead) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        let mut missing = Vec::new();
        let subject = fill(template.subject.as_deref().unwrap_or_default(), &lead, &fields, &mut missing);
        let body = fill(template.content.as_deref().unwrap_or_default(), &lead, &fields, &mut missing);
        Ok(Draft { to: lead.email.clone(), subject, body, missing })
    }

    /// Records an email sent to the lead (from the draft) on its timeline; the lead counts it.
    pub fn log_email(&mut self, lead_id: &str, subject: &str, body: &str) -> Result<Activity> {
        let values = json!({"lead_id": lead_id, "type": "email", "subject": subject, "description": body,
                            "completed_at": time::now()});
        self.log_activity(without_empty_texts(values))
    }

    /// Records an email the lead sent (a reply) on its timeline: the lead counts it as a reply,
    /// its last reply is when it came (`received_at`, RFC 3339; none: now) and its address has
    /// replied. Allowed for a lead not to be contacted: it is them reaching the rep.
    pub fn log_reply(
        &mut self,
        lead_id: &str,
        subject: &str,
        body: &str,
        received_at: Option<&str>,
    ) -> Result<Activity> {
        let at = match received_at {
            Some(at) => time::normalize(at).ok_or_else(|| {
                Error::invalid("activities", "completed_at", format!("'{at}' is not a date and time"))
            })?,
            None => time::now(),
        };
        let values = json!({"lead_id": lead_id, "type": "email", "subject": subject, "description": body,
                            "completed_at": at, "metadata": {"direction": "inbound"}});
        self.log_activity(without_empty_texts(values))
    }
}

/// An email's fields, a blank subject or body left out (stored as none, as the activity form does).
fn without_empty_texts(values: Value) -> Map<String, Value> {
    let mut values = values.as_object().cloned().unwrap_or_default();
    values.retain(|_, v| v.as_str().is_none_or(|t| !t.trim().is_empty()));
    values
}

/// The lead fields a template fills by their own names (the editor offers them: ui/src/lib/
/// templates.ts); with {{name}} (the full name) and the address parts. Any other name is a custom
/// field's: an email never carries a lead's internal columns (ids, notes, AI summaries).
pub const FIELDS: [&str; 8] =
    ["first_name", "last_name", "full_name", "company", "job_title", "email", "phone", "website"];
pub const ADDRESS_PARTS: [&str; 5] = ["street", "city", "state", "postal_code", "country"];

/// The next {{name}} in `text`: where it starts and ends (its braces included) and its name,
/// trimmed. A stray "{{" before it is text ("Type {{ to open {{first_name}}" fills first_name), as
/// is a name holding a brace; the editor reads placeholders the same way.
fn next_placeholder(text: &str) -> Option<(usize, usize, &str)> {
    let mut from = 0;
    loop {
        let close = from + text[from..].find("}}")?;
        if let Some(open) = text[from..close].rfind("{{").map(|i| from + i) {
            let name = text[open + 2..close].trim();
            if !name.is_empty() && !name.contains(['{', '}']) {
                return Some((open, close + 2, name));
            }
        }
        from = close + 2;
    }
}

/// The {{names}} in a text, in order of first appearance.
pub fn variables(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some((_, end, name)) = next_placeholder(rest) {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
        rest = &rest[end..];
    }
    out
}

/// `text` with each {{name}} replaced by the lead's value, in one pass (a value holding braces is
/// not read again as a variable).
fn fill(text: &str, lead: &Lead, fields: &Map<String, Value>, missing: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((start, end, name)) = next_placeholder(rest) {
        out.push_str(&rest[..start]);
        let value = value_of(name, lead, fields);
        if value.is_none() && !missing.iter().any(|m| m == name) {
            missing.push(name.to_string());
        }
        out.push_str(&value.unwrap_or_default());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A lead field of [`FIELDS`], an address part ({{city}}), or else a custom field (its name as
/// typed first, then however cased).
fn value_of(name: &str, lead: &Lead, fields: &Map<String, Value>) -> Option<String> {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    // ({{City}} is {{city}}: names are matched however cased, as custom fields are.)
    let lower = name.to_lowercase();
    if matches!(lower.as_str(), "full_name" | "name") {
        return Some(lead.display_name());
    }
    let own = if FIELDS.contains(&lower.as_str()) {
        text(fields.get(&lower))
    } else if ADDRESS_PARTS.contains(&lower.as_str()) {
        text(fields.get("address").and_then(Value::as_object).and_then(|a| a.get(&lower)))
    } else {
        None
    };
    // (An imported "City" column kept as a custom field still fills {{City}} when the address has none.)
    if own.is_some() {
        return own;
    }
    let custom = fields.get("custom_fields").and_then(Value::as_object)?;
    text(custom.get(name).or_else(|| custom.iter().find(|(key, _)| key.trim().to_lowercase() == lower).map(|(_, v)| v)))
}
