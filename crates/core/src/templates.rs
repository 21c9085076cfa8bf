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
            .prepare("SELECT id FROM email_templates WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE")?
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
            crate::lists::refuse_taken_name(tx, "email_templates", name.trim(), id)?;
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

    /// Brings a deleted template back, unless another took its name meanwhile.
    pub fn restore_template(&mut self, id: &str) -> Result<EmailTemplate> {
        self.write(|tx| {
            let template: EmailTemplate = tx.find(id)?;
            crate::lists::refuse_taken_name(tx, "email_templates", &template.name, Some(id))?;
            tx.restore("email_templates", id)?;
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
        let values: Map<String, Value> = values.as_object().cloned().unwrap_or_default();
        self.log_activity(values)
    }
}

/// The {{names}} in a text, in order of first appearance.
pub fn variables(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else { break };
        let name = rest[start + 2..start + 2 + len].trim().to_string();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
        rest = &rest[start + 2 + len + 2..];
    }
    out
}

/// `text` with each {{name}} replaced by the lead's value, in one pass (a value holding braces is
/// not read again as a variable). A name is a lead field, an address part ({{city}}), or a custom
/// field, matched as typed first, then however cased.
fn fill(text: &str, lead: &Lead, fields: &Map<String, Value>, missing: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else { break };
        let name = rest[start + 2..start + 2 + len].trim();
        out.push_str(&rest[..start]);
        if name.is_empty() {
            out.push_str(&rest[start..start + 4 + len]);
        } else {
            let value = value_of(name, lead, fields);
            if value.is_none() && !missing.iter().any(|m| m == name) {
                missing.push(name.to_string());
            }
            out.push_str(&value.unwrap_or_default());
        }
        rest = &rest[start + 4 + len..];
    }
    out.push_str(rest);
    out
}

fn value_of(name: &str, lead: &Lead, fields: &Map<String, Value>) -> Option<String> {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    if matches!(name, "full_name" | "name") {
        return Some(lead.display_name());
    }
    let address = fields.get("address").and_then(Value::as_object);
    let custom = fields.get("custom_fields").and_then(Value::as_object);
    match name {
        "street" | "city" | "state" | "postal_code" | "country" => text(address.and_then(|a| a.get(name))),
        _ if fields.contains_key(name) && !matches!(name, "address" | "custom_fields") => text(fields.get(name)),
        _ => {
            let custom = custom?;
            let lower = name.to_lowercase();
            text(
                custom
                    .get(name)
                    .or_else(|| custom.iter().find(|(key, _)| key.trim().to_lowercase() == lower).map(|(_, v)| v)),
            )
        }
    }
}
