//! The files the rep has handed to the app: dropped on the window or chosen in the file picker.
//! The import commands read only these. The webview names a file by its path, and a page that went
//! wrong must not be able to read whatever the rep's account can (a preview shows a file's first
//! rows, an import copies them into the database that syncs).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{CmdResult, CommandError};

#[derive(Default)]
pub struct FileGrants(Mutex<HashSet<PathBuf>>);

impl FileGrants {
    pub fn grant<'a>(&self, paths: impl IntoIterator<Item = &'a PathBuf>) {
        let mut granted = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for path in paths {
            // Both spellings: the UI hands back the path it was given, the check compares the file.
            if let Ok(real) = path.canonicalize() {
                granted.insert(real);
            }
            granted.insert(path.clone());
        }
    }

    /// The file at `path` if the rep handed it over; otherwise an error saying how to.
    pub fn check(&self, path: &str) -> CmdResult<PathBuf> {
        let given = Path::new(path);
        let granted = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // A file that is gone since it was dropped is still the rep's: the import says it is gone.
        let real = given.canonicalize().unwrap_or_else(|_| given.to_path_buf());
        if granted.contains(&real) {
            return Ok(given.to_path_buf());
        }
        let name = given.file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
        Err(CommandError::new(
            "invalid",
            format!("{name}: Outpost imports only files dropped on its window or chosen with Import CSV"),
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_handed_over_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let dropped = dir.path().join("leads.csv");
        let other = dir.path().join("secret.csv");
        std::fs::write(&dropped, "Email\na@b.co\n").unwrap();
        std::fs::write(&other, "key\n").unwrap();
        let grants = FileGrants::default();
        grants.grant([&dropped]);
        assert!(grants.check(dropped.to_str().unwrap()).is_ok());
        // The same file by another spelling is the same file.
        let dotted = dir.path().join(".").join("leads.csv");
        assert!(grants.check(dotted.to_str().unwrap()).is_ok());
        let refused = grants.check(other.to_str().unwrap()).unwrap_err();
        assert_eq!(
            refused.message,
            "secret.csv: Outpost imports only files dropped on its window or chosen with Import CSV"
        );
        // A link to a file not handed over does not pass either.
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&other, &link).unwrap();
        assert!(grants.check(link.to_str().unwrap()).is_err());
    }
}
