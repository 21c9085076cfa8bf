//! Saved views of the lead list: a name and a query (filters + sort), local to this laptop.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::{ids, time, LeadQuery, Store};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavedView {
    pub id: String,
    pub name: String,
    pub query: LeadQuery,
}

impl Store {
    pub fn saved_views(&self) -> Result<Vec<SavedView>> {
        let mut stmt =
            self.conn().prepare("SELECT id, name, query FROM saved_views ORDER BY outpost_sort_key(name), name")?;
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, query) = row?;
            // A view saved by a newer build with fields this one doesn't know still opens.
            let query = serde_json::from_str(&query).unwrap_or_default();
            out.push(SavedView { id, name, query });
        }
        Ok(out)
    }

    /// Saves `query` under `name`, replacing a view of the same name (case-insensitive).
    pub fn save_view(&mut self, name: &str, query: &LeadQuery) -> Result<SavedView> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("saved_views", "name", "a view needs a name"));
        }
        let json = serde_json::to_string(query).map_err(|e| Error::invalid("saved_views", "query", e.to_string()))?;
        // Through `write`, as every write: it waits its turn as the store was told to.
        let id: String = self.write(|tx| {
            Ok(tx.conn().query_row(
                "INSERT INTO saved_views (id, name, query, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET query = excluded.query RETURNING id",
                (ids::new_id(), name, &json, time::now()),
                |r| r.get(0),
            )?)
        })?;
        Ok(SavedView { id, name: name.to_string(), query: query.clone() })
    }

    pub fn delete_view(&mut self, id: &str) -> Result<()> {
        match self.write(|tx| Ok(tx.conn().execute("DELETE FROM saved_views WHERE id = ?1", [id])?))? {
            0 => Err(Error::NotFound { table: "saved_views".into(), id: id.into() }),
            _ => Ok(()),
        }
    }
}
