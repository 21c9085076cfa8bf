//! An import leaves a note beside the database while it runs, locked by its process: one that
//! ends (imported, failed, cancelled) takes its note away; one killed midway (the laptop died,
//! the app was force-quit) leaves it unlocked. Its rows were never kept — an import is one
//! transaction — but the rep was told nothing at all: the next start finds such notes and says
//! which file did not finish, until the rep dismisses it.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// An import that did not finish, as its note says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interrupted {
    /// The note's own name (what `dismiss` takes).
    pub id: String,
    /// The file being imported.
    pub file: String,
    /// When it began (RFC 3339).
    pub started_at: String,
}

/// The note of an import under way; dropped, it goes.
pub struct UnderWay {
    path: PathBuf,
    _lock: File,
}

impl Drop for UnderWay {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Notes are named after the database: `outpost.db.import-<pid>-<time>`.
fn prefix(db: &Path) -> Option<String> {
    Some(format!("{}.import-", db.file_name()?.to_string_lossy()))
}

/// Leaves the note for an import of `csv` into `db`. Best effort: an import never fails for want of
/// its note (a read-only folder, say).
pub fn start(db: &Path, csv: &Path) -> Option<UnderWay> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    let path = db.with_file_name(format!("{}{}-{now}", prefix(db)?, std::process::id()));
    let mut file = OpenOptions::new().write(true).create_new(true).open(&path).ok()?;
    file.try_lock().ok()?;
    let note = Interrupted {
        id: String::new(),
        file: csv.display().to_string(),
        started_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let written =
        serde_json::to_vec(&note).ok().is_some_and(|json| file.write_all(&json).and_then(|()| file.sync_all()).is_ok());
    if !written {
        let _ = std::fs::remove_file(&path);
        return None;
    }
    Some(UnderWay { path, _lock: file })
}

/// The imports into `db` that did not finish: notes no process holds (one an import running now
/// holds is left alone).
pub fn interrupted(db: &Path) -> Vec<Interrupted> {
    let (Some(prefix), Some(dir)) = (prefix(db), db.parent()) else { return Vec::new() };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<Interrupted> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().to_string();
            name.strip_prefix(&prefix)?;
            let file = File::open(entry.path()).ok()?;
            file.try_lock().ok()?;
            let note: Interrupted = serde_json::from_reader(&file).ok()?;
            Some(Interrupted { id: name, ..note })
        })
        .collect();
    found.sort_by(|a, b| a.started_at.cmp(&b.started_at));
    found
}

/// The rep has read it: the note goes. Only a note of `db` that no import holds.
pub fn dismiss(db: &Path, id: &str) -> std::io::Result<()> {
    let ok = prefix(db).is_some_and(|p| id.starts_with(&p)) && !id.contains(['/', '\\']);
    if !ok {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not an import's note"));
    }
    let path = db.with_file_name(id);
    File::open(&path)?.try_lock().map_err(|_| std::io::Error::other("that import is still running"))?;
    std::fs::remove_file(path)
}
