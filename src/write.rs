//! Stage 5, write: puts rendered files on disk atomically. Each file goes to a
//! temporary file in its own folder and is renamed over the old one, so a reader
//! never sees half a file; a build writes nothing until every file of every year has
//! rendered, and renames nothing until every file is written, so a failed build
//! leaves the previous output as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One file to write.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Where it goes.
    pub path: PathBuf,
    /// Its content (shared: every year's report writes the same chart files).
    pub bytes: std::sync::Arc<[u8]>,
}

/// Writes one file atomically (temporary file in the same folder, then rename).
/// Unchanged files are left alone, so their timestamps do not move.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(tmp) = stage(path, bytes)? {
        commit(tmp, path)?;
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, or `None` when `path` already
/// holds exactly these bytes.
fn stage(path: &Path, bytes: &[u8]) -> Result<Option<tempfile::NamedTempFile>> {
    if path.is_dir() {
        anyhow::bail!(
            "{} is a folder, where nianbao writes a file: remove or rename the folder",
            path.display()
        );
    }
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(None);
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
    Ok(Some(tmp))
}

fn commit(tmp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Writes every file in two steps: first every new content to a temporary file beside
/// its target, then, only when all of them are written, renames them into place. A
/// failure in the first step (disk full, no permission, a folder in the way) leaves
/// every old file as it was; the temporary files are removed when dropped.
pub fn write_all(files: &[OutputFile]) -> Result<()> {
    let mut staged = Vec::new();
    for f in files {
        if let Some(tmp) = stage(&f.path, &f.bytes)? {
            staged.push((tmp, &f.path));
        }
    }
    for (tmp, path) in staged {
        commit(tmp, path)?;
    }
    Ok(())
}
