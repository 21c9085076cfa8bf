//! Typed records for the tables the CLI and UI work with most. They are views over the one generic
//! write path in rows.rs: a record is serialised to column values, never written by its own SQL.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::rows::Tx;
use crate::store::Store;
use crate::sync_local::{record_conflict, Conflict};
use crate::values::Row;

pub trait Record: Serialize + DeserializeOwned {
    const TABLE: &'static str;
}

/// A row as JSON values, into a typed record.
pub fn from_row<R: Record>(row: Row) -> Result<R> {
    serde_json::from_value(Value::Object(row))
        .map_err(|e| Error::invalid(R::TABLE, "*", format!("stored row does not match its record type: {e}")))
}

/// A record's values for insertion: the store fills in ids, timestamps and server columns.
fn to_values<R: Record>(tx: &Tx<'_>, record: &R) -> Result<Row> {
    let Value::Object(mut row) =
        serde_json::to_value(record).map_err(|e| Error::invalid(R::TABLE, "*", e.to_string()))?
    else {
        return Err(Error::invalid(R::TABLE, "*", "not a record"));
    };
    let table = tx.catalog().table(R::TABLE)?;
    row.retain(|k, v| {
        let empty_key = matches!(k.as_str(), "id" | "organization_id") && v.as_str() == Some("");
        !v.is_null()
            && !empty_key
            && !crate::catalog::SYSTEM_COLUMNS[1..].contains(&k.as_str())
            && !table.server_columns.contains(k)
    });
    Ok(row)
}

impl Tx<'_> {
    pub fn create<R: Record>(&mut self, record: &R) -> Result<R> {
        let values = to_values(self, record)?;
        let id = self.insert(R::TABLE, values)?;
        self.find(&id)
    }

    pub fn find<R: Record>(&self, id: &str) -> Result<R> {
        match self.get(R::TABLE, id)? {
            Some(row) => from_row(row),
            None => Err(Error::NotFound { table: R::TABLE.into(), id: id.into() }),
        }
    }

    pub fn edit<R: Record>(&mut self, id: &str, patch: Row) -> Result<R> {
        from_row(self.update(R::TABLE, id, patch)?)
    }

    /// The lead, unless it is gone (deleted meanwhile, by a sync say, or never here): a step over
    /// many leads passes such ones over, as the list no longer shows them.
    pub fn live_lead(&self, id: &str) -> Result<Option<Lead>> {
        match self.find::<Lead>(id) {
            Ok(lead) if lead.deleted_at.is_none() => Ok(Some(lead)),
            Ok(_) | Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The first of `expected`'s fields (values a screen showed, as the record type serialises
    /// them) that the row no longer holds, with the value it holds now.
    fn changed_since<R: Record>(&self, id: &str, expected: &Row) -> Result<Option<(String, Value)>> {
        let now: R = self.find(id)?;
        let now = serde_json::to_value(now).map_err(|e| Error::invalid(R::TABLE, "", e.to_string()))?;
        Ok(expected.iter().find_map(|(column, shown)| {
            let now = now.get(column).unwrap_or(&Value::Null);
            (!same_value(now, shown)).then(|| (column.clone(), now.clone()))
        }))
    }

    /// Sets keys of a JSON object column (a lead's custom fields, its address) in the object as it is
    /// stored now, not as a screen read it earlier: a key a teammate added meanwhile (a pull) stays.
    /// A null value removes its key; an object left empty is null where the column allows it.
    pub fn edit_object<R: Record>(&mut self, id: &str, column: &str, keys: &Row) -> Result<R> {
        let col = self.catalog().table(R::TABLE)?.column(column).cloned();
        if !col.as_ref().is_some_and(|c| c.kind == crate::catalog::Kind::Json) {
            return Err(Error::invalid(R::TABLE, column, "is not an object field"));
        }
        let row = self.get(R::TABLE, id)?.ok_or_else(|| Error::NotFound { table: R::TABLE.into(), id: id.into() })?;
        let mut object = match row.get(column) {
            Some(Value::Object(o)) => o.clone(),
            Some(Value::Null) | None => Row::new(),
            // An address written as one line of text (the CLI's --set address="12 Main St").
            Some(Value::String(line)) if column == "address" => {
                Row::from_iter([("street".into(), Value::String(line.clone()))])
            }
            Some(_) => return Err(Error::invalid(R::TABLE, column, "is not an object")),
        };
        for (key, value) in keys {
            if value.is_null() {
                object.remove(key);
            } else {
                object.insert(key.clone(), value.clone());
            }
        }
        let nullable = col.is_some_and(|c| !c.not_null);
        let value = if object.is_empty() && nullable { Value::Null } else { Value::Object(object) };
        self.edit(id, Row::from_iter([(column.to_string(), value)]))
    }
}

/// JSON equality where a number is its value: 50 from a screen is the 50.0 a REAL column holds.
pub(crate) fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}

impl Store {
    pub fn create<R: Record>(&mut self, record: &R) -> Result<R> {
        self.write(|tx| tx.create(record))
    }

    pub fn find<R: Record>(&self, id: &str) -> Result<R> {
        let table = self.catalog().table(R::TABLE)?;
        match crate::rows::get(self.conn(), table, id)? {
            Some(row) => from_row(row),
            None => Err(Error::NotFound { table: R::TABLE.into(), id: id.into() }),
        }
    }

    pub fn edit<R: Record>(&mut self, id: &str, patch: Row) -> Result<R> {
        self.write(|tx| tx.edit(id, patch))
    }

    pub fn edit_object<R: Record>(&mut self, id: &str, column: &str, keys: &Row) -> Result<R> {
        self.write(|tx| tx.edit_object(id, column, keys))
    }

    /// [`Store::edit`] of fields a screen showed with the values in `expected`. If one was changed
    /// since (a sync brought a teammate's value while the rep typed), the edit would overwrite it
    /// unseen and the next sync would send it as made over theirs: instead the row keeps theirs, the
    /// rep's value waits as a conflict (keep mine / keep theirs, like a sync's), and the answer is
    /// `ChangedMeanwhile`.
    pub fn edit_expecting<R: Record>(&mut self, id: &str, patch: Row, expected: &Row) -> Result<R> {
        self.write(|tx| {
            let Some((column, now)) = tx.changed_since::<R>(id, expected)? else {
                return tx.edit(id, patch).map(Ok);
            };
            // The rep's value as the store would keep it (checked by the rules, normalised), without
            // keeping it: a refused value is said as such, and one the row already holds is no conflict.
            tx.conn().execute_batch("SAVEPOINT edit_expecting")?;
            let tried = tx
                .edit::<R>(id, patch.clone())
                .and_then(|r| serde_json::to_value(r).map_err(|e| Error::invalid(R::TABLE, &column, e.to_string())));
            tx.conn().execute_batch("ROLLBACK TO edit_expecting; RELEASE edit_expecting")?;
            let mine = tried?.get(&column).cloned().unwrap_or(Value::Null);
            if same_value(&mine, &now) {
                return tx.find(id).map(Ok);
            }
            let version = tx.get(R::TABLE, id)?.and_then(|r| r.get("version").and_then(Value::as_i64));
            let base = expected.get(&column).cloned().unwrap_or(Value::Null);
            let conflict = Conflict { column: column.clone(), base, mine, theirs: now.clone() };
            record_conflict(tx.conn(), R::TABLE, id, &conflict, version, &crate::time::now())?;
            let now = match now {
                Value::Null => "no value".to_string(),
                Value::String(s) => format!("'{s}'"),
                other => other.to_string(),
            };
            Ok(Err(Error::ChangedMeanwhile { column, now }))
        })?
    }

    pub fn remove<R: Record>(&mut self, id: &str) -> Result<()> {
        self.write(|tx| tx.delete(R::TABLE, id))
    }
}

macro_rules! record {
    ($name:ident, $table:literal, { $($(#[$m:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(default)]
        pub struct $name {
            pub id: String,
            $($(#[$m])* pub $field: $ty,)*
            pub created_at: Option<String>,
            pub updated_at: Option<String>,
            pub deleted_at: Option<String>,
            #[cfg_attr(feature = "specta", specta(type = f64))]
            pub version: i64,
        }
        impl Record for $name {
            const TABLE: &'static str = $table;
        }
    };
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    #[default]
    New,
    Contacted,
    Qualified,
    Proposal,
    Negotiation,
    ClosedWon,
    ClosedLost,
    Nurturing,
    Unqualified,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 9] = [
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Qualified,
        LeadStatus::Proposal,
        LeadStatus::Negotiation,
        LeadStatus::ClosedWon,
        LeadStatus::ClosedLost,
        LeadStatus::Nurturing,
        LeadStatus::Unqualified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Contacted => "contacted",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Proposal => "proposal",
            LeadStatus::Negotiation => "negotiation",
            LeadStatus::ClosedWon => "closed_won",
            LeadStatus::ClosedLost => "closed_lost",
            LeadStatus::Nurturing => "nurturing",
            LeadStatus::Unqualified => "unqualified",
        }
    }

    pub fn parse(s: &str) -> Option<LeadStatus> {
        LeadStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ActivityType {
    Call,
    Email,
    Meeting,
    Demo,
    Proposal,
    FollowUp,
    #[default]
    Note,
    Task,
    SocialInteraction,
}

record!(Organization, "organizations", {
    name: String, domain: Option<String>, industry: Option<String>, size: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = std::collections::HashMap<String, specta_typescript::Unknown>))] settings: Map<String, Value>, #[cfg_attr(feature = "specta", specta(type = std::collections::HashMap<String, specta_typescript::Unknown>))] ai_config: Map<String, Value>, subscription_tier: Option<String>,
});

record!(Profile, "profiles", {
    organization_id: Option<String>, team_id: Option<String>, email: String, full_name: Option<String>,
    avatar_url: Option<String>, role: Option<String>, phone: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = std::collections::HashMap<String, specta_typescript::Unknown>))] preferences: Map<String, Value>, last_active_at: Option<String>,
});

record!(LeadList, "lead_lists", {
    organization_id: String, name: String, description: Option<String>, source: Option<String>,
    status: Option<String>, #[cfg_attr(feature = "specta", specta(type = f64))] total_contacts: i64, #[cfg_attr(feature = "specta", specta(type = std::collections::HashMap<String, specta_typescript::Unknown>))] metadata: Map<String, Value>, created_by: Option<String>,
});

record!(Lead, "leads", {
    organization_id: String, assigned_to: Option<String>, team_id: Option<String>, list_id: Option<String>,
    import_id: Option<String>, first_name: Option<String>, last_name: Option<String>, email: Option<String>,
    phone: Option<String>, company: Option<String>, job_title: Option<String>, website: Option<String>,
    linkedin_url: Option<String>, company_size: Option<String>, company_industry: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Unknown>))] address: Option<Value>, status: LeadStatus, stage: Option<String>, source: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = f64))] current_score: i64, score_confidence: Option<String>, predicted_value: Option<String>,
    conversion_probability: Option<String>, engagement_level: Option<String>, email_status: Option<String>,
    do_not_contact: bool, last_contacted_at: Option<String>, last_reply_at: Option<String>,
    next_follow_up_at: Option<String>, follow_up_reason: Option<String>, #[cfg_attr(feature = "specta", specta(type = f64))] reply_count: i64,
    #[cfg_attr(feature = "specta", specta(type = f64))] emails_sent_count: i64, notes: Option<String>, message: Option<String>, tags: Vec<String>,
    #[cfg_attr(feature = "specta", specta(type = std::collections::HashMap<String, specta_typescript::Unknown>))] custom_fields: Map<String, Value>, ai_context_summary: Option<String>, created_by: Option<String>,
});

record!(EmailTemplate, "email_templates", {
    organization_id: String, name: String, subject: Option<String>, content: Option<String>, category: String,
    variables: Vec<String>, is_default: bool, created_by: Option<String>,
});

record!(Campaign, "campaigns", {
    organization_id: String, name: String, description: Option<String>, status: Option<String>,
    channel: Option<String>, platform: Option<String>, platform_campaign_id: Option<String>,
    assistant_id: Option<String>, phone_number_id: Option<String>, prompt: Option<String>,
    target_audience: Option<String>, start_date: Option<String>, end_date: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = f64))] emails_sent: i64, #[cfg_attr(feature = "specta", specta(type = f64))] replies: i64, #[cfg_attr(feature = "specta", specta(type = f64))] meetings_booked: i64, #[cfg_attr(feature = "specta", specta(type = std::collections::HashMap<String, specta_typescript::Unknown>))] settings: Map<String, Value>,
    created_by: Option<String>,
});

record!(CampaignLead, "campaign_leads", {
    organization_id: String, campaign_id: String, lead_id: String, status: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = f64))] attempts: i64, last_attempt_at: Option<String>,
});

record!(Activity, "activities", {
    organization_id: String, lead_id: String, user_id: Option<String>, r#type: ActivityType,
    subject: Option<String>, description: Option<String>, outcome: Option<String>,
    scheduled_at: Option<String>, completed_at: Option<String>, #[cfg_attr(feature = "specta", specta(type = Option<f64>))] duration_minutes: Option<i64>,
    sentiment_score: Option<String>, intent_detected: Option<String>, #[cfg_attr(feature = "specta", specta(type = Vec<specta_typescript::Unknown>))] buying_signals: Vec<Value>,
    #[cfg_attr(feature = "specta", specta(type = std::collections::HashMap<String, specta_typescript::Unknown>))] metadata: Map<String, Value>,
});

impl Lead {
    /// "First Last", or the email, company or phone when there is no name.
    pub fn display_name(&self) -> String {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            return name;
        }
        [&self.email, &self.company, &self.phone]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .map_or_else(|| "(unnamed lead)".into(), str::to_string)
    }
}
