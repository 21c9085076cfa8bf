//! Files a command writes must never be files it reads or the database itself: `--errors` naming
//! the input (directly, by a symlink or a hard link) emptied the CSV being imported, and `export -o`
//! naming the database replaced it with a CSV.

use std::path::{Path, PathBuf};

use crate::output::Usage;

/// Refuses `target` (written by `option`) when it is one of `protected` (described by `what`) or
/// a folder.
pub fn check_writable(option: &str, target: &Path, protected: &[(PathBuf, &str)]) -> anyhow::Result<()> {
    if target.is_dir() {
        return Err(Usage(format!("{option} {} is a folder; name a file in it", target.display())).into());
    }
    for (path, what) in protected {
        // Only an existing target can be the same file; is_same_file compares device and inode.
        if same_file::is_same_file(target, path).unwrap_or(false) {
            return Err(Usage(format!("{option} {} is {what}; name another file", target.display())).into());
        }
    }
    Ok(())
}

/// The database and the files SQLite keeps beside it.
pub fn database_files(db: &Path) -> Vec<(PathBuf, &'static str)> {
    let beside = |suffix: &str| {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    vec![
        (db.to_path_buf(), "the Outpost database"),
        (beside("-wal"), "the Outpost database's write-ahead log"),
        (beside("-shm"), "the Outpost database's shared-memory file"),
    ]
}
