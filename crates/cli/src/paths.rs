//! Files a command writes must never be files it reads or the database itself: `--errors` naming
//! the input (directly, by a symlink or a hard link) emptied the CSV being imported, and `export -o`
//! naming the database replaced it with a CSV.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

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

/// Writes the file `path` names with `write`. A regular file (or a new one) is written beside it and
/// renamed over it, so a failed write never leaves half a file, and keeps the permissions it had; a
/// symbolic link is followed to the file it names (not replaced by a file); a device or a pipe
/// (/dev/stdout, a FIFO) has no file to replace and is written as it is.
pub fn write_file<T>(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> anyhow::Result<T>) -> anyhow::Result<T> {
    let cannot = |p: &Path| format!("cannot write {}", p.display());
    let target = match std::fs::canonicalize(path) {
        Ok(real) => real,
        // A new file (or a link to one not made yet): its folder's real place.
        Err(_) => match (std::fs::read_link(path), path.parent()) {
            (Ok(to), Some(dir)) => dir.join(to),
            _ => path.to_path_buf(),
        },
    };
    let existing = std::fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        let file = std::fs::OpenOptions::new().write(true).open(&target).with_context(|| cannot(path))?;
        let mut w = BufWriter::new(file);
        let out = write(&mut w)?;
        w.flush().with_context(|| cannot(path))?;
        return Ok(out);
    }
    // Said of the folder the rep named, not of the file written beside the one they named.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
        anyhow::bail!("cannot write {}: there is no folder {}", path.display(), dir.display());
    }
    let mut name = target.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    let tmp = target.with_file_name(name);
    let result = (|| {
        let file = File::create(&tmp).with_context(|| cannot(&tmp))?;
        if let Some(m) = &existing {
            file.set_permissions(m.permissions()).with_context(|| cannot(&tmp))?;
        }
        let mut w = BufWriter::new(file);
        let out = write(&mut w)?;
        w.into_inner().map_err(|e| e.into_error()).and_then(|f| f.sync_all()).with_context(|| cannot(path))?;
        std::fs::rename(&tmp, &target).with_context(|| cannot(path))?;
        Ok(out)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
