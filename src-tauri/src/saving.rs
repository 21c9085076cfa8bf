//! Where a file the app writes for the rep (an export, the rows an import left out) goes: the
//! place the rep picks in a save dialog, suggested in their Downloads folder.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use tauri::{AppHandle, Manager};

use crate::error::{CmdResult, CommandError};

/// Whether WebDriver drives the app (the end-to-end tests): a native dialog would wait for a
/// click nobody can make, so files go straight to Downloads.
pub(crate) fn under_automation() -> bool {
    std::env::var_os("TAURI_WEBVIEW_AUTOMATION").is_some()
}

/// The files the app saved for the rep this run: the only ones whose folder "Show in folder" opens
/// (the page names a file, and may name no other).
#[derive(Default)]
pub struct SavedFiles(Mutex<HashSet<PathBuf>>);

impl SavedFiles {
    fn remember(&self, path: &Path) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_path_buf());
    }

    pub(crate) fn contains(&self, path: &Path) -> bool {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).contains(path)
    }
}

/// The file the rep chose to save `{stem}-{date}.csv` as, or `None` when they cancelled.
pub(crate) async fn choose_csv_destination(app: &AppHandle, title: &str, stem: &str) -> CmdResult<Option<PathBuf>> {
    let chosen = ask_csv_destination(app, title, stem).await?;
    if let Some(path) = &chosen {
        app.state::<SavedFiles>().remember(path);
    }
    Ok(chosen)
}

async fn ask_csv_destination(app: &AppHandle, title: &str, stem: &str) -> CmdResult<Option<PathBuf>> {
    use tauri_plugin_dialog::DialogExt;
    if under_automation() {
        return downloads_file(stem, "csv").map(Some);
    }
    let suggested = format!("{stem}-{}.csv", chrono::Local::now().format("%Y-%m-%d"));
    let mut dialog = app.dialog().file().set_title(title).set_file_name(suggested).add_filter("CSV files", &["csv"]);
    if let Some(folder) = download_folder() {
        dialog = dialog.set_directory(folder);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    dialog.save_file(move |chosen| {
        let _ = tx.send(chosen);
    });
    let chosen = rx.await.map_err(|_| CommandError::new("internal", "the save dialog closed unexpectedly"))?;
    chosen
        .map(|p| p.into_path().map_err(|e| CommandError::new("invalid", format!("cannot save there: {e}"))))
        .transpose()
}

fn download_folder() -> Option<PathBuf> {
    let dirs = directories::UserDirs::new()?;
    Some(dirs.download_dir().unwrap_or(dirs.home_dir()).to_path_buf())
}

/// A new file in the user's Downloads folder (the home folder where there is none), named
/// `{stem}-{timestamp}.{ext}` (`…-2.{ext}` and on when two are made in the same second).
fn downloads_file(stem: &str, ext: &str) -> CmdResult<PathBuf> {
    let folder = download_folder().ok_or_else(|| CommandError::new("io", "no home folder to save to"))?;
    std::fs::create_dir_all(&folder).map_err(|e| CommandError::new("io", format!("{}: {e}", folder.display())))?;
    let stamp = chrono::Utc::now().format("%Y-%m-%d-%H%M%S");
    let named =
        |n: u32| folder.join(if n < 2 { format!("{stem}-{stamp}.{ext}") } else { format!("{stem}-{stamp}-{n}.{ext}") });
    let free = (1..).map(named).find(|p| !p.exists() && !p.with_extension(format!("{ext}.partial")).exists());
    free.ok_or_else(|| CommandError::new("io", format!("no free file name in {}", folder.display())))
}

/// Writes a file through `write` beside `path` and renames it into place: the file appears whole
/// (synced to disk) or not at all, and a failed write leaves nothing behind (nor harms a file it
/// was to replace). The database and the files SQLite keeps beside it are refused: a save dialog
/// lets the rep pick any file, and a CSV written over the database would lose everything.
pub(crate) fn write_whole(
    path: &Path,
    db: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> CmdResult<()>,
) -> CmdResult<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        if same_file::is_same_file(path, PathBuf::from(name)).unwrap_or(false) {
            return Err(CommandError::new(
                "invalid",
                format!("{} is Outpost's own database; choose another file", path.display()),
            ));
        }
    }
    let io = |e: std::io::Error| CommandError::new("io", format!("{}: {e}", path.display()));
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = (|| {
        let mut w = BufWriter::new(File::create(&partial).map_err(io)?);
        write(&mut w)?;
        w.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)?;
        std::fs::rename(&partial, path).map_err(io)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_file_is_written_whole_and_never_over_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("outpost.db");
        std::fs::write(&db, "SQLite format 3").unwrap();
        let refused =
            write_whole(&db, &db, |w| w.write_all(b"a,b\n").map_err(|e| CommandError::new("io", e.to_string())));
        assert_eq!(refused.unwrap_err().code, "invalid");
        assert_eq!(std::fs::read_to_string(&db).unwrap(), "SQLite format 3", "the database untouched");
        let csv = dir.path().join("leads.csv");
        std::fs::write(&csv, "old").unwrap();
        let failed = write_whole(&csv, &db, |_| Err(CommandError::new("io", "disk full")));
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&csv).unwrap(), "old", "a failed write leaves the file as it was");
        write_whole(&csv, &db, |w| w.write_all(b"a,b\n").map_err(|e| CommandError::new("io", e.to_string()))).unwrap();
        assert_eq!(std::fs::read_to_string(&csv).unwrap(), "a,b\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no .partial left beside");
    }
}
