//! The columns a rep mapped by hand, remembered for the next file with the same headers (this
//! week's HubSpot export maps as last week's did), and the phone region of the last import. Kept in
//! the laptop's own settings, never synced.

use std::collections::BTreeMap;

use outpost_core::Store;

use crate::mapping::FIELDS;

const KEY: &str = "import_column_choices";
const REGION: &str = "import_phone_region";
/// Enough for every header of a few dozen vendors' exports; the oldest go first past it.
const KEPT: usize = 500;

/// Header (trimmed, lower case) → where its column went: a lead field, "custom" or "ignore".
pub type Choices = BTreeMap<String, String>;

/// What earlier imports' column choices were, newest per header. A setting that cannot be read
/// (written by a later version, say) counts as none: it only saves the rep some clicks.
pub fn remembered(store: &Store) -> outpost_core::Result<Choices> {
    let Some(text) = store.setting(KEY)? else { return Ok(Choices::new()) };
    let kept: Vec<(String, String)> = serde_json::from_str(&text).unwrap_or_default();
    Ok(kept.into_iter().filter(|(_, target)| known(target)).collect())
}

/// Adds an import's hand-made choices to those remembered (the newest choice for a header wins).
pub fn remember(store: &mut Store, choices: &Choices) -> outpost_core::Result<()> {
    let text = store.setting(KEY)?;
    let mut kept: Vec<(String, String)> = text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
    for (header, target) in choices {
        let header = header.trim().to_lowercase();
        if header.is_empty() || !known(target) {
            continue;
        }
        kept.retain(|(h, _)| *h != header);
        kept.push((header, target.clone()));
    }
    // Oldest first in the list: past the cap they are the ones let go.
    let extra = kept.len().saturating_sub(KEPT);
    kept.drain(..extra);
    let text = serde_json::to_string(&kept).map_err(|e| outpost_core::Error::Io(std::io::Error::other(e)))?;
    store.set_setting(KEY, &text)
}

fn known(target: &str) -> bool {
    target == "custom" || target == "ignore" || FIELDS.contains(&target)
}

/// The phone region the last import read numbers without a country code in ("GB"), if any.
pub fn remembered_region(store: &Store) -> outpost_core::Result<Option<String>> {
    store.setting(REGION)
}

/// Keeps an import's phone region, in the import's transaction (the next import starts with it).
pub(crate) fn remember_region(tx: &outpost_core::Tx<'_>, region: &str) -> outpost_core::Result<()> {
    tx.conn().execute(
        "INSERT INTO local_settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [REGION, region],
    )?;
    Ok(())
}
