//! A year's folder on disk: staged beside it, switched into place in one step,
//! and recovered after an interrupted build (see the write stage's documentation).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

#[cfg(unix)]
use super::mode_for;
use super::{TEMP_PREFIX, forget, holds, leftovers, stop_if_interrupted};
use crate::output::{self, OutputSet};

/// A temporary name of the write stage in the output folder: its kind and year.
pub(super) fn parse_temp(name: &str) -> Option<(&str, i32)> {
    let rest = name.strip_prefix(TEMP_PREFIX)?;
    let (kind, rest) = rest.split_once('-')?;
    let (year, _pid) = rest.split_once('-')?;
    matches!(kind, "staging" | "ready" | "old")
        .then(|| Some((kind, year.parse().ok()?)))
        .flatten()
}

/// Finishes or undoes a switch that an interrupted build left half done, and
/// removes every leftover of the write stage. Runs under the lock, so nothing it
/// finds belongs to a build still running.
pub(super) fn recover(out_dir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return Ok(());
    };
    let mut temps: Vec<(String, PathBuf)> = Vec::new();
    let mut year_dirs = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(TEMP_PREFIX) {
            temps.push((name, entry.path()));
        } else if entry.file_type().is_ok_and(|t| t.is_dir()) {
            year_dirs.push(entry.path());
        }
    }
    temps.sort();
    // A year whose folder is gone, mid-switch: the new folder if it was ready,
    // else the old one, goes back in place.
    for kind in ["ready", "old"] {
        for (name, path) in &temps {
            if let Some((k, year)) = parse_temp(name)
                && k == kind
            {
                let dir = out_dir.join(year.to_string());
                if std::fs::symlink_metadata(&dir).is_err() {
                    std::fs::rename(path, &dir).with_context(|| {
                        format!(
                            "cannot restore {} after an interrupted build",
                            dir.display()
                        )
                    })?;
                }
            }
        }
    }
    for (_, path) in &temps {
        remove_any(path)?;
    }
    // Temporary files that versions writing file by file left in a year folder.
    for dir in year_dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(TEMP_PREFIX)
                && name.ends_with(".tmp")
                && entry.file_type().is_ok_and(|t| t.is_file())
            {
                remove_any(&entry.path())?;
            }
        }
    }
    Ok(())
}

/// Removes a file or a folder (tree), if it is still there.
fn remove_any(path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let removed = if meta.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    match removed {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Whether a write flushes everything it staged with one `syncfs` before the
/// switch ([`flush_staged`]) rather than each file and folder as it is written: on
/// Linux, where a fresh 50-year build otherwise waits for 1,000 fsyncs.
const ONE_SYNC: bool = cfg!(target_os = "linux");

/// Makes everything staged in `out_dir` durable before it is switched in: one
/// `syncfs` of its file system where [`ONE_SYNC`] (each file was flushed as it
/// was written elsewhere).
pub(super) fn flush_staged(out_dir: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let dir = std::fs::File::open(out_dir)
            .with_context(|| format!("cannot open {}", out_dir.display()))?;
        // SAFETY: a valid open descriptor, for the duration of the call.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error()).with_context(|| {
                format!("cannot flush the files written in {}", out_dir.display())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = out_dir;
    Ok(())
}

/// Makes the switches of a write durable, once at the end where [`ONE_SYNC`].
pub(super) fn flush_switched(out_dir: &Path) {
    if ONE_SYNC {
        sync_dir(out_dir);
    }
}

/// Flushes a folder's entries to disk (a rename is durable only then).
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Stages the new folder of `year` and returns its ready path, or `None` when the
/// folder already holds exactly `set` (no file to write, none to remove).
pub(super) fn stage_year(out_dir: &Path, year: i32, set: &OutputSet) -> Result<Option<PathBuf>> {
    let dir = out_dir.join(year.to_string());
    let old = match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => anyhow::bail!(
            "{} is a file, where nianbao writes the folder of {year}: remove or rename it",
            dir.display()
        ),
        Err(_) => false,
    };
    // A folder where an output file belongs is the user's: never replaced.
    if let Some(f) = set.files.iter().find(|f| old && dir.join(&f.name).is_dir()) {
        anyhow::bail!(
            "{} is a folder, where nianbao writes a file: remove or rename the folder",
            dir.join(&f.name).display()
        );
    }
    let same: Vec<bool> = set
        .files
        .iter()
        .map(|f| old && holds(&dir.join(&f.name), &f.bytes))
        .collect();
    // What the old folder holds besides the set: ours to drop (a stale output
    // file, a temporary), or the user's to carry over.
    let mut carried = Vec::new();
    let mut dropped = false;
    if old {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if set.get(&name).is_some() {
                continue;
            }
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if name.starts_with(TEMP_PREFIX) || (is_file && output::is_output(&name)) {
                dropped = true;
            } else {
                carried.push(entry.file_name());
            }
        }
    }
    if old && !dropped && same.iter().all(|s| *s) {
        return Ok(None);
    }

    let pid = std::process::id();
    let staging = out_dir.join(format!("{TEMP_PREFIX}staging-{year}-{pid}"));
    {
        // Registered and made under the registry's lock, as the ready folder
        // is below: an interruption that has just removed what it found must
        // not see the folder made after it looked.
        let mut paths = leftovers();
        paths.push(staging.clone());
        remove_any(&staging)?;
        std::fs::create_dir(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
    }
    #[cfg(unix)]
    if old {
        use std::os::unix::fs::PermissionsExt;
        let mode = mode_for(&dir);
        let _ = std::fs::set_permissions(&staging, std::fs::Permissions::from_mode(mode));
    }
    for (f, same) in set.files.iter().zip(same) {
        stop_if_interrupted();
        let target = staging.join(&f.name);
        if same {
            link_or_copy(&dir.join(&f.name), &target)?;
        } else {
            write_new(&target, &f.bytes, &dir.join(&f.name))?;
        }
    }
    for name in carried {
        stop_if_interrupted();
        carry(&dir.join(&name), &staging.join(&name))?;
    }
    if !ONE_SYNC {
        sync_dir(&staging);
    }
    let ready = out_dir.join(format!("{TEMP_PREFIX}ready-{year}-{pid}"));
    {
        let mut paths = leftovers();
        paths.push(ready.clone());
        remove_any(&ready)?;
        std::fs::rename(&staging, &ready)
            .with_context(|| format!("cannot rename {}", staging.display()))?;
        paths.retain(|p| *p != staging);
    }
    Ok(Some(ready))
}

/// Writes a new file of the staged folder (with the mode of the file it replaces).
fn write_new(path: &Path, bytes: &[u8], replaces: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode_for(replaces));
    }
    #[cfg(not(unix))]
    let _ = replaces;
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    #[cfg(unix)]
    {
        // The umask may have narrowed the mode given to `open`.
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(mode_for(replaces)));
    }
    file.write_all(bytes)
        .and_then(|_| if ONE_SYNC { Ok(()) } else { file.sync_all() })
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Puts `from` (not a folder) at `to` as the same file: a hard link, so that it
/// keeps its timestamp and costs no space; where links are not possible, a copy
/// with the same modification time (and a link copied as a link).
fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let meta = std::fs::symlink_metadata(from)
        .with_context(|| format!("cannot read {}", from.display()))?;
    #[cfg(unix)]
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from)
            .with_context(|| format!("cannot read the link {}", from.display()))?;
        return std::os::unix::fs::symlink(target, to)
            .with_context(|| format!("cannot create {}", to.display()));
    }
    if !meta.is_file() {
        // A FIFO or a device that cannot be linked: not output, not copied.
        return Ok(());
    }
    std::fs::copy(from, to)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    if let Ok(modified) = meta.modified() {
        let _ = std::fs::File::options()
            .write(true)
            .open(to)
            .and_then(|f| f.set_modified(modified));
    }
    Ok(())
}

/// Carries a user's entry of the old year folder over into the staged one: a
/// file as the same file ([`link_or_copy`]), a folder as a folder of the same
/// files. Links are carried as links, never followed.
fn carry(from: &Path, to: &Path) -> Result<()> {
    let mut pending = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((from, to)) = pending.pop() {
        let meta = std::fs::symlink_metadata(&from)
            .with_context(|| format!("cannot read {}", from.display()))?;
        if !meta.is_dir() {
            link_or_copy(&from, &to)?;
            continue;
        }
        std::fs::create_dir(&to).with_context(|| format!("cannot create {}", to.display()))?;
        let _ = std::fs::set_permissions(&to, meta.permissions());
        let entries =
            std::fs::read_dir(&from).with_context(|| format!("cannot read {}", from.display()))?;
        for entry in entries.flatten() {
            pending.push((entry.path(), to.join(entry.file_name())));
        }
    }
    Ok(())
}

/// Exchanges two paths in one step, where the system can.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
    {
        use std::os::unix::ffi::OsStrExt;
        let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
        let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
        // SAFETY: two valid, NUL-terminated paths, relative to the working folder.
        let done = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if done == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
    #[cfg(not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))]
    {
        let _ = (a, b);
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}

/// Puts the ready folder of `year` in place of its folder, in one step where the
/// system allows, and removes the old one.
pub(super) fn switch(out_dir: &Path, year: i32, ready: &Path) -> Result<()> {
    let dir = out_dir.join(year.to_string());
    let mut paths = leftovers();
    let old = if std::fs::symlink_metadata(&dir).is_err() {
        std::fs::rename(ready, &dir)
            .with_context(|| format!("cannot rename {} to {}", ready.display(), dir.display()))?;
        None
    } else if exchange(ready, &dir).is_ok() {
        // The ready path now holds the old folder.
        Some(ready.to_path_buf())
    } else {
        let old = out_dir.join(format!("{TEMP_PREFIX}old-{year}-{}", std::process::id()));
        paths.push(old.clone());
        std::fs::rename(&dir, &old)
            .with_context(|| format!("cannot rename {} to {}", dir.display(), old.display()))?;
        std::fs::rename(ready, &dir)
            .with_context(|| format!("cannot rename {} to {}", ready.display(), dir.display()))?;
        paths.retain(|p| p != ready);
        Some(old)
    };
    if !ONE_SYNC {
        sync_dir(out_dir);
    }
    drop(paths);
    if let Some(old) = old {
        // Best effort: whatever is left is removed by the next build.
        let _ = std::fs::remove_dir_all(&old);
        forget(&old);
    }
    forget(ready);
    Ok(())
}
