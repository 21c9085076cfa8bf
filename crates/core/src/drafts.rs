//! Unsaved text of the UI's forms, kept as it is typed so that a closed window, a crash or a
//! restart does not lose it: a lead's activity forms (local table `activity_drafts`) and an email
//! template being written (`template_drafts`). The store keeps a draft as the UI gave it (a JSON
//! object); reading it back is the UI's business.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::{time, Store, Tx};

/// Beyond this a draft is not a draft but a pasted file: refused with a reason, not kept silently cut.
pub const MAX_DRAFT_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityDraft {
    pub lead_id: String,
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Unknown))]
    pub draft: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TemplateDraft {
    /// None: a new template.
    pub template_id: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Unknown))]
    pub draft: Value,
}

impl Store {
    /// The kept drafts of live leads.
    pub fn activity_drafts(&self) -> Result<Vec<ActivityDraft>> {
        let sql = "SELECT d.lead_id, d.draft FROM activity_drafts d JOIN leads l ON l.id = d.lead_id
                   WHERE l.deleted_at IS NULL ORDER BY d.updated_at";
        Ok(self.read_drafts(sql)?.into_iter().map(|(lead_id, draft)| ActivityDraft { lead_id, draft }).collect())
    }

    /// Keeps `draft` as the lead's unlogged text; `None` (or an empty object) forgets it.
    pub fn keep_activity_draft(&mut self, lead_id: &str, draft: Option<&Value>) -> Result<()> {
        let text = draft_text("activity_drafts", draft, "log it or shorten it")?;
        self.write(|tx| {
            // (A draft names a lead this database has: a stray id would keep text nobody reads.)
            if text.is_some() && tx.get("leads", lead_id)?.is_none() {
                return Err(Error::NotFound { table: "leads".into(), id: lead_id.into() });
            }
            keep(tx, "activity_drafts", "lead_id", lead_id, text.as_deref())
        })
    }

    /// The kept drafts of live templates and of a new one.
    pub fn template_drafts(&self) -> Result<Vec<TemplateDraft>> {
        let sql = "SELECT d.template_key, d.draft FROM template_drafts d
                   LEFT JOIN email_templates t ON t.id = d.template_key
                   WHERE d.template_key = '' OR t.deleted_at IS NULL AND t.id IS NOT NULL ORDER BY d.updated_at";
        Ok(self
            .read_drafts(sql)?
            .into_iter()
            .map(|(key, draft)| TemplateDraft { template_id: Some(key).filter(|k| !k.is_empty()), draft })
            .collect())
    }

    /// Keeps `draft` as the template's unsaved edits (`template_id` None: a new template); `None`
    /// (or an empty object) forgets them.
    pub fn keep_template_draft(&mut self, template_id: Option<&str>, draft: Option<&Value>) -> Result<()> {
        let text = draft_text("template_drafts", draft, "save it or shorten it")?;
        let key = template_id.unwrap_or_default();
        self.write(|tx| {
            if text.is_some() && !key.is_empty() && tx.get("email_templates", key)?.is_none() {
                return Err(Error::NotFound { table: "email_templates".into(), id: key.into() });
            }
            keep(tx, "template_drafts", "template_key", key, text.as_deref())
        })
    }

    fn read_drafts(&self, sql: &str) -> Result<Vec<(String, Value)>> {
        let mut stmt = self.conn().prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (key, text) = row?;
            // (The table's CHECK makes it an object; a row that still fails to parse is skipped.)
            if let Ok(draft) = serde_json::from_str(&text) {
                out.push((key, draft));
            }
        }
        Ok(out)
    }
}

/// The draft as kept (None: forget it), or why it cannot be.
fn draft_text(table: &str, draft: Option<&Value>, advice: &str) -> Result<Option<String>> {
    let text = match draft {
        Some(Value::Object(fields)) if !fields.is_empty() => {
            Some(serde_json::to_string(fields).map_err(|e| Error::invalid(table, "draft", e.to_string()))?)
        }
        None | Some(Value::Object(_)) => None,
        Some(_) => return Err(Error::invalid(table, "draft", "a draft is a set of fields")),
    };
    if text.as_ref().is_some_and(|t| t.len() > MAX_DRAFT_BYTES) {
        let reason = format!("this draft is longer than {} KB: {advice}", MAX_DRAFT_BYTES / 1024);
        return Err(Error::invalid(table, "draft", reason));
    }
    Ok(text)
}

fn keep(tx: &Tx<'_>, table: &str, key_column: &str, key: &str, text: Option<&str>) -> Result<()> {
    match text {
        Some(text) => tx.conn().execute(
            &format!(
                "INSERT INTO {table} ({key_column}, draft, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT ({key_column}) DO UPDATE SET draft = excluded.draft, updated_at = excluded.updated_at"
            ),
            (key, text, time::now()),
        )?,
        None => tx.conn().execute(&format!("DELETE FROM {table} WHERE {key_column} = ?1"), [key])?,
    };
    Ok(())
}
