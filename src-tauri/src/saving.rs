//! Where a file the app writes for the rep (an export, the rows an import left out) goes: the
//! place the rep picks in a save dialog, suggested in their Downloads folder.

use std::path::PathBuf;

use tauri::AppHandle;

use crate::error::{CmdResult, CommandError};

/// Whether WebDriver drives the app (the end-to-end tests): a native dialog would wait for a
/// click nobody can make, so files go straight to Downloads.
pub(crate) fn under_automation() -> bool {
    std::env::var_os("TAURI_WEBVIEW_AUTOMATION").is_some()
}

/// The file the rep chose to save `{stem}-{date}.csv` as, or `None` when they cancelled.
pub(crate) async fn choose_csv_destination(app: &AppHandle, title: &str, stem: &str) -> CmdResult<Option<PathBuf>> {
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
/// or not at all, and a failed write leaves nothing behind (nor harms a file it was to replace).
pub(crate) fn write_whole(path: &std::path::Path, write: impl FnOnce(std::fs::File) -> CmdResult<()>) -> CmdResult<()> {
    let io = |e: std::io::Error| CommandError::new("io", format!("{}: {e}", path.display()));
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let file = std::fs::File::create(&partial).map_err(io)?;
    if let Err(e) = write(file) {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, path).map_err(io)
}
