//! Stage 5, write: puts the output sets of a build on disk, atomically, and owns what
//! is in each year's folder. Each file goes to a temporary file in its own folder and
//! is renamed over the old one, so a reader never sees half a file; a build writes
//! nothing until every file of every year has rendered, and renames nothing until
//! every file is written, so a failed build leaves the previous output as it was.
//! Files an earlier build wrote that this one no longer makes (the charts of a metric
//! whose chart was turned off) are removed; a file the tool does not write is never
//! touched.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::output::{self, OutputSet};

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
    // Only a regular file of the same length can hold the same bytes; reading no
    // more than that never hangs on a FIFO or fills the memory from a device.
    if crate::fs::read_regular(path, bytes.len() as u64).is_ok_and(|old| old == bytes) {
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

/// Writes the output set of every year into `out_dir/<year>/`, in two steps: first
/// every new content to a temporary file beside its target, then, only when all of
/// them are written, renames them into place and removes the year's files that the
/// set no longer holds. A failure in the first step (disk full, no permission, a
/// folder in the way) leaves every old file as it was; the temporary files are
/// removed when dropped. Returns the folder of each year.
pub fn write_years(out_dir: &Path, years: &[(i32, &OutputSet)]) -> Result<Vec<(i32, PathBuf)>> {
    let mut staged = Vec::new();
    let mut dirs = Vec::new();
    for (year, set) in years {
        let dir = out_dir.join(year.to_string());
        for f in &set.files {
            let path = dir.join(&f.name);
            if let Some(tmp) = stage(&path, &f.bytes)? {
                staged.push((tmp, path));
            }
        }
        dirs.push((*year, dir, *set));
    }
    for (tmp, path) in staged {
        commit(tmp, &path)?;
    }
    for (_, dir, set) in &dirs {
        remove_stale(dir, set)?;
    }
    Ok(dirs.into_iter().map(|(y, d, _)| (y, d)).collect())
}

/// Writes each `(path, bytes)` as [`write_years`] writes a year: every file staged
/// first, then all renamed into place.
pub fn write_all(files: &[(PathBuf, &[u8])]) -> Result<()> {
    let mut staged = Vec::new();
    for (path, bytes) in files {
        if let Some(tmp) = stage(path, bytes)? {
            staged.push((tmp, path));
        }
    }
    for (tmp, path) in staged {
        commit(tmp, path)?;
    }
    Ok(())
}

/// Removes the files of `dir` that a backend writes but `set` does not hold.
fn remove_stale(dir: &Path, set: &OutputSet) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && output::is_output(&name) && set.get(&name).is_none() {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}
