//! Stage 5, write: puts rendered files on disk atomically. Each file goes to a
//! temporary file in its own folder and is renamed over the old one, so a reader
//! never sees half a file; and a build writes nothing until every file of every
//! year has rendered, so a failed build leaves the previous output as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One file to write.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Where it goes.
    pub path: PathBuf,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Writes one file atomically (temporary file in the same folder, then rename).
/// Unchanged files are left alone, so their timestamps do not move.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let dir = path
        .parent()
        .with_context(|| format!("{} has no parent folder", path.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".nianbao-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    // A temporary file is private (0600); the output is meant to be read, by a
    // browser, a web server or a colleague: keep the old file's mode, else 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set the permissions of {}", path.display()))?;
    }
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Writes every file; stops at the first I/O error.
pub fn write_all(files: &[OutputFile]) -> Result<()> {
    for f in files {
        write_atomic(&f.path, &f.bytes)?;
    }
    Ok(())
}
