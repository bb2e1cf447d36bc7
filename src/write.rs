//! Stage 5, write: puts the output sets of a build on disk and owns what is in
//! each year's folder. The promise: whatever happens (a failed write, a kill at
//! any moment, two builds at once), each year's folder holds entirely the old
//! output or entirely the new one, and a later build leaves nothing of an
//! interrupted one behind.
//!
//! - **A year is switched as a unit.** Its new folder is staged beside it, in
//!   `<out>/.nianbao-staging-<year>-<pid>/`: each file that changed is written
//!   there, each file whose bytes did not change is hard-linked from the old
//!   folder (so it keeps its timestamp), and everything else in the old folder
//!   that is not ours (a user's own notes, a subfolder) is carried over the same
//!   way; only the files a backend owns that the set no longer holds (the chart
//!   of a metric whose chart was turned off) are left behind. The finished folder
//!   is renamed `.nianbao-ready-<year>-<pid>`, and once every year is ready, each
//!   is switched in one step: on Linux an atomic exchange (`renameat2` with
//!   `RENAME_EXCHANGE`) of the ready folder and the year's folder, elsewhere (or
//!   on a file system without it) two renames through `.nianbao-old-…`. A year
//!   whose folder already holds exactly its set is not touched at all.
//! - **Nothing is written until everything rendered**, and nothing is switched
//!   until every year is staged, so a failed build leaves the previous output as
//!   it was.
//! - **One writer at a time.** The write holds an exclusive lock on the output
//!   folder itself (`flock` through `File::lock`; released by the system even
//!   when the process is killed; a `.nianbao.lock` file in it where folders
//!   cannot be locked), so two `build`s, or `build` beside `serve`, take turns.
//! - **Recovery.** Under the lock, before anything else, [`write_years`] finishes
//!   or undoes a switch that was cut short (a year folder missing while its ready
//!   or old folder exists) and removes every `.nianbao-*` leftover: those of a
//!   killed build, and the temporary files of versions that wrote file by file.
//! - **Ctrl-C and SIGTERM** during a build call [`interrupted`], which waits for
//!   a switch in progress to end, removes this process's staging and ready
//!   folders and exits; a year already switched stays switched.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};

use crate::output::{self, OutputSet};

/// What every temporary name of the write stage starts with.
const TEMP_PREFIX: &str = ".nianbao-";

/// The lock file in the output folder where a folder cannot be locked (not a
/// temporary: it stays).
#[cfg(not(unix))]
const LOCK_FILE: &str = ".nianbao.lock";

/// The folders this process has made in an output folder and not yet switched
/// or removed: what [`interrupted`] removes. Held across each switch, so that an
/// interruption waits for it.
static LEFTOVERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set by [`interrupted`]: the writer stops at its next file.
static STOPPING: AtomicBool = AtomicBool::new(false);

fn leftovers() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LEFTOVERS.lock().unwrap_or_else(|e| e.into_inner())
}

fn forget(path: &Path) {
    leftovers().retain(|p| p != path);
}

/// When an interruption is being handled, waits for it to end the process
/// (it removes what the writer was making, which must not be recreated).
fn stop_if_interrupted() {
    if STOPPING.load(Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
}

/// Ends the process after Ctrl-C or SIGTERM with `status` (130 or 143), having
/// removed the folders a write in progress was making. Waits for a switch in
/// progress to finish first, so that a year's folder is never left half
/// switched.
pub fn interrupted(status: i32) -> ! {
    let _held = remove_leftovers();
    std::process::exit(status)
}

/// For a process about to end on its own (`serve` stopping): stops a write in
/// progress for good, as [`interrupted`] does, without exiting.
pub fn abandon() {
    // Held for the rest of the process: the writer never gets past its next step.
    std::mem::forget(remove_leftovers());
}

/// Stops the writer and removes what it was making; returns the registry,
/// locked, so that the writer cannot go on.
fn remove_leftovers() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    STOPPING.store(true, Ordering::SeqCst);
    let paths = leftovers();
    for path in paths.iter() {
        // The writer may be finishing one file there: try again briefly.
        for _ in 0..5 {
            if std::fs::remove_dir_all(path).is_ok() || !path.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    paths
}

/// Writes one file atomically (temporary file in the same folder, then rename).
/// Unchanged files are left alone, so their timestamps do not move.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(tmp) = stage_file(path, bytes)? {
        commit(tmp, path)?;
    }
    Ok(())
}

/// True when `path` is a regular file holding exactly `bytes` (reading no more
/// than that many, so a FIFO or a huge file costs nothing).
fn holds(path: &Path, bytes: &[u8]) -> bool {
    crate::fs::read_regular(path, bytes.len() as u64).is_ok_and(|old| old == bytes)
}

/// The mode a new file gets: the old file's, else 0644 (a temporary file is
/// private, 0600, and the output is meant to be read by a browser, a web server
/// or a colleague).
#[cfg(unix)]
fn mode_for(old: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(old).map_or(0o644, |m| m.permissions().mode() & 0o7777)
}

/// Writes `bytes` to a temporary file beside `path`, or `None` when `path` already
/// holds exactly these bytes.
fn stage_file(path: &Path, bytes: &[u8]) -> Result<Option<tempfile::NamedTempFile>> {
    if path.is_dir() {
        anyhow::bail!(
            "{} is a folder, where nianbao writes a file: remove or rename the folder",
            path.display()
        );
    }
    if holds(path, bytes) {
        return Ok(None);
    }
    let dir = path
        .parent()
        .with_context(|| format!("{} has no parent folder", path.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode_for(path)))
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

/// Writes each `(path, bytes)` atomically: every file staged first, then all
/// renamed into place (for `init`, which writes a handful of files).
pub fn write_all(files: &[(PathBuf, &[u8])]) -> Result<()> {
    let mut staged = Vec::new();
    for (path, bytes) in files {
        if let Some(tmp) = stage_file(path, bytes)? {
            staged.push((tmp, path));
        }
    }
    for (tmp, path) in staged {
        commit(tmp, path)?;
    }
    Ok(())
}

/// The exclusive lock on an output folder, held while it is written.
pub struct OutputLock {
    _file: std::fs::File,
}

impl OutputLock {
    /// Takes the lock of `out_dir` (creating the folder), calling `on_wait` first
    /// when another process holds it, then waiting for it.
    pub fn acquire(out_dir: &Path, on_wait: &dyn Fn()) -> Result<OutputLock> {
        std::fs::create_dir_all(out_dir)
            .with_context(|| format!("cannot create {}", out_dir.display()))?;
        // On Unix the folder itself is locked (flock works on a folder), so that
        // no lock file shows among the output; elsewhere a file in it is.
        #[cfg(unix)]
        let (path, file) = (out_dir.to_path_buf(), std::fs::File::open(out_dir));
        #[cfg(not(unix))]
        let (path, file) = {
            let path = out_dir.join(LOCK_FILE);
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path);
            (path, file)
        };
        let file = file.with_context(|| format!("cannot open {} to lock it", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock()
                    .with_context(|| format!("cannot lock {}", path.display()))?;
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        Ok(OutputLock { _file: file })
    }
}

/// Writes the output set of every year into `out_dir/<year>/`, each year's folder
/// switched as a unit (see the module documentation), under the output folder's
/// lock (`on_wait` is called when another build holds it). Returns the folder of
/// each year.
pub fn write_years(
    out_dir: &Path,
    years: &[(i32, &OutputSet)],
    on_wait: &dyn Fn(),
) -> Result<Vec<(i32, PathBuf)>> {
    let _lock = OutputLock::acquire(out_dir, on_wait)?;
    recover(out_dir)?;
    let mut ready = Vec::new();
    for (year, set) in years {
        match stage_year(out_dir, *year, set) {
            Ok(Some(folder)) => ready.push((*year, folder)),
            Ok(None) => {}
            Err(e) => {
                // Nothing is switched: remove what was staged.
                let mut paths = leftovers();
                for folder in paths.drain(..) {
                    let _ = std::fs::remove_dir_all(folder);
                }
                return Err(e);
            }
        }
    }
    for (year, folder) in ready {
        switch(out_dir, year, &folder)?;
    }
    Ok(years
        .iter()
        .map(|(y, _)| (*y, out_dir.join(y.to_string())))
        .collect())
}

/// A temporary name of the write stage in the output folder: its kind and year.
fn parse_temp(name: &str) -> Option<(&str, i32)> {
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
fn recover(out_dir: &Path) -> Result<()> {
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

/// Flushes a folder's entries to disk (a rename is durable only then).
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Stages the new folder of `year` and returns its ready path, or `None` when the
/// folder already holds exactly `set` (no file to write, none to remove).
fn stage_year(out_dir: &Path, year: i32, set: &OutputSet) -> Result<Option<PathBuf>> {
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
    leftovers().push(staging.clone());
    remove_any(&staging)?;
    std::fs::create_dir(&staging)
        .with_context(|| format!("cannot create {}", staging.display()))?;
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
    sync_dir(&staging);
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
        .and_then(|_| file.sync_all())
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
fn switch(out_dir: &Path, year: i32, ready: &Path) -> Result<()> {
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
    sync_dir(out_dir);
    drop(paths);
    if let Some(old) = old {
        // Best effort: whatever is left is removed by the next build.
        let _ = std::fs::remove_dir_all(&old);
        forget(&old);
    }
    forget(ready);
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::output::OutputFile;

    fn set(files: &[(&str, &str)]) -> OutputSet {
        OutputSet {
            files: files.iter().map(|(n, t)| OutputFile::text(*n, t)).collect(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_year_is_switched_whole_keeping_unchanged_files_and_the_user_s_own() {
        let out = tempfile::tempdir().unwrap();
        let out = out.path();
        let first = set(&[
            ("report.zh.md", "一"),
            ("chart-a.zh.svg", "<svg/>"),
            ("metrics.json", "{}"),
        ]);
        write_years(out, &[(2020, &first)], &|| {}).unwrap();
        let year = out.join("2020");
        std::fs::write(year.join("notes.txt"), "mine").unwrap();
        std::fs::create_dir(year.join("drafts")).unwrap();
        std::fs::write(year.join("drafts/a.md"), "draft").unwrap();
        let json_time = std::fs::metadata(year.join("metrics.json"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        // The chart is turned off, the report changes, the data does not.
        let second = set(&[("report.zh.md", "二"), ("metrics.json", "{}")]);
        write_years(out, &[(2020, &second)], &|| {}).unwrap();
        assert_eq!(
            names(&year),
            ["drafts", "metrics.json", "notes.txt", "report.zh.md"]
        );
        assert_eq!(
            std::fs::read_to_string(year.join("report.zh.md")).unwrap(),
            "二"
        );
        assert_eq!(
            std::fs::read_to_string(year.join("drafts/a.md")).unwrap(),
            "draft"
        );
        let after = std::fs::metadata(year.join("metrics.json"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(after, json_time, "an unchanged file keeps its timestamp");
        assert_eq!(names(out), ["2020"]);
        // Nothing changed: the folder is not even switched.
        let inode = |p: &Path| {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(p).unwrap().ino()
        };
        let before = inode(&year);
        write_years(out, &[(2020, &second)], &|| {}).unwrap();
        assert_eq!(inode(&year), before);
    }

    #[test]
    fn an_interrupted_switch_is_finished_and_leftovers_removed() {
        let out = tempfile::tempdir().unwrap();
        let out = out.path();
        let s = set(&[("report.zh.md", "新")]);
        // A switch cut between its two renames: 2020 gone, its ready and old
        // folders there; 2021 killed while staging; and old temporary files.
        std::fs::create_dir(out.join(".nianbao-ready-2020-1")).unwrap();
        std::fs::write(out.join(".nianbao-ready-2020-1/report.zh.md"), "新").unwrap();
        std::fs::create_dir(out.join(".nianbao-old-2020-1")).unwrap();
        std::fs::create_dir_all(out.join("2021")).unwrap();
        std::fs::write(out.join("2021/report.zh.md"), "旧").unwrap();
        std::fs::write(out.join("2021/.nianbao-AbC123.tmp"), "half").unwrap();
        std::fs::create_dir(out.join(".nianbao-staging-2021-2")).unwrap();
        // 2022 lost its folder with only the old one left.
        std::fs::create_dir(out.join(".nianbao-old-2022-3")).unwrap();
        std::fs::write(out.join(".nianbao-old-2022-3/report.zh.md"), "旧").unwrap();
        write_years(out, &[(2021, &s)], &|| {}).unwrap();
        assert_eq!(names(out), ["2020", "2021", "2022"]);
        assert_eq!(
            std::fs::read_to_string(out.join("2020/report.zh.md")).unwrap(),
            "新"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("2022/report.zh.md")).unwrap(),
            "旧"
        );
        assert_eq!(names(&out.join("2021")), ["report.zh.md"]);
    }

    #[test]
    fn temporary_names_are_recognised() {
        assert_eq!(parse_temp(".nianbao-ready-2020-123"), Some(("ready", 2020)));
        assert_eq!(
            parse_temp(".nianbao-staging-1999-1"),
            Some(("staging", 1999))
        );
        assert_eq!(parse_temp(".nianbao-AbC.tmp"), None);
        assert_eq!(parse_temp(".nianbao.lock"), None);
        assert_eq!(parse_temp(".nianbao-old-x-1"), None);
    }
}
