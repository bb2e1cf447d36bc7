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
//! - **Nothing is switched until everything rendered.** A build hands each year
//!   to a [`Stager`] as soon as it is made, which stages it (under hidden names)
//!   and lets the build drop it, so that a build's memory does not grow with the
//!   years; only when every year rendered and staged are they switched, so a
//!   failed build leaves the previous output as it was (and removes what it
//!   staged, and the output folder itself if it made it).
//! - **Durable before it shows.** What is staged reaches the disk before the
//!   first switch: on Linux with one `syncfs` of the output's file system (the
//!   staged files are not flushed one by one: a fresh 50-year build would wait
//!   for about a thousand fsyncs), elsewhere each file and folder as it is
//!   written; the output folder is flushed after the switches.
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

use crate::output::OutputSet;

mod folder;

#[cfg(test)]
use folder::parse_temp;
use folder::{flush_staged, flush_switched, recover, stage_year, switch};

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
    // A device, a FIFO or a socket is not replaced by a file of the same name
    // (`--out /dev/null` once put a file where the device was).
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        anyhow::bail!(
            "{} is not a regular file, where nianbao writes one: give the path of a file",
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
        if out_dir.exists() && !out_dir.is_dir() {
            anyhow::bail!(
                "{} is a file, not a folder: the output goes into a folder; remove the file or give --out another path",
                out_dir.display()
            );
        }
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
    on_wait: &(dyn Fn() + Sync),
) -> Result<Vec<(i32, PathBuf)>> {
    let stager = Stager::new(out_dir, on_wait);
    for (year, set) in years {
        stager.stage(*year, set);
    }
    stager.finish()
}

/// A write in progress: years are staged one by one as they are made (from any
/// thread), so that a build need not hold every year's files in memory, and are
/// switched together by [`Stager::finish`], or not at all ([`Stager::abandon`],
/// or dropping it).
pub struct Stager<'a> {
    out_dir: PathBuf,
    on_wait: &'a (dyn Fn() + Sync),
    /// Whether the output folder was there before (else a failed build removes
    /// the empty folder it made, leaving no trace).
    existed: bool,
    state: Mutex<StagerState>,
}

#[derive(Default)]
struct StagerState {
    /// Taken at the first year staged, held until the last is switched.
    lock: Option<OutputLock>,
    /// The folders staged, by year.
    ready: Vec<(i32, PathBuf)>,
    /// Every year handed over (staged, or already holding its set).
    years: Vec<i32>,
    /// The first failure; after it, nothing more is staged.
    error: Option<anyhow::Error>,
}

impl<'a> Stager<'a> {
    /// A write into `out_dir`; nothing is touched until the first year is staged.
    pub fn new(out_dir: &Path, on_wait: &'a (dyn Fn() + Sync)) -> Stager<'a> {
        Stager {
            out_dir: out_dir.to_path_buf(),
            on_wait,
            existed: out_dir.exists(),
            state: Mutex::new(StagerState::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, StagerState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stages the folder of `year`. The first call takes the output folder's lock
    /// and recovers from an interrupted build; a failure is kept for
    /// [`Stager::finish`] and stops further staging.
    pub fn stage(&self, year: i32, set: &OutputSet) {
        {
            let mut state = self.state();
            if state.error.is_some() {
                return;
            }
            if state.lock.is_none() {
                let locked = OutputLock::acquire(&self.out_dir, self.on_wait)
                    .and_then(|lock| recover(&self.out_dir).map(|()| lock));
                match locked {
                    Ok(lock) => state.lock = Some(lock),
                    Err(e) => {
                        state.error = Some(e);
                        return;
                    }
                }
            }
            state.years.push(year);
        }
        // Years are staged side by side: each has its own staging folder.
        let staged = stage_year(&self.out_dir, year, set);
        let mut state = self.state();
        match staged {
            Ok(Some(folder)) => state.ready.push((year, folder)),
            Ok(None) => {}
            Err(e) => {
                if state.error.is_none() {
                    state.error = Some(e);
                }
            }
        }
    }

    /// Switches every staged year into place, in year order, and returns the
    /// folder of each year handed over; or, after a failure, removes what was
    /// staged and returns the failure.
    pub fn finish(self) -> Result<Vec<(i32, PathBuf)>> {
        let mut state = std::mem::take(&mut *self.state());
        if let Some(e) = state.error.take() {
            self.remove_staged(&mut state);
            return Err(e);
        }
        state.ready.sort();
        if !state.ready.is_empty()
            && let Err(e) = flush_staged(&self.out_dir)
        {
            self.remove_staged(&mut state);
            return Err(e);
        }
        for (year, folder) in std::mem::take(&mut state.ready) {
            switch(&self.out_dir, year, &folder)?;
        }
        flush_switched(&self.out_dir);
        state.years.sort_unstable();
        Ok(state
            .years
            .iter()
            .map(|y| (*y, self.out_dir.join(y.to_string())))
            .collect())
    }

    /// Removes everything staged: the output stays as it was.
    pub fn abandon(self) {
        let mut state = std::mem::take(&mut *self.state());
        self.remove_staged(&mut state);
    }

    fn remove_staged(&self, state: &mut StagerState) {
        for (_, folder) in state.ready.drain(..) {
            let _ = std::fs::remove_dir_all(&folder);
            forget(&folder);
        }
        {
            // A staging folder of a year that failed half way.
            let mut paths = leftovers();
            paths.retain(|p| {
                let ours = p.parent() == Some(self.out_dir.as_path());
                if ours {
                    let _ = std::fs::remove_dir_all(p);
                }
                !ours
            });
        }
        if !self.existed && state.lock.is_some() {
            #[cfg(not(unix))]
            let _ = std::fs::remove_file(self.out_dir.join(LOCK_FILE));
            // Only when empty: anything else in it is not ours to remove.
            let _ = std::fs::remove_dir(&self.out_dir);
        }
        state.lock = None;
    }
}

impl Drop for Stager<'_> {
    fn drop(&mut self) {
        let mut state = std::mem::take(&mut *self.state());
        if !state.ready.is_empty() {
            self.remove_staged(&mut state);
        }
    }
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
    fn a_stager_takes_years_from_many_threads_and_an_abandoned_one_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let wait = || {};
        let stager = Stager::new(&out, &wait);
        let sets: Vec<(i32, OutputSet)> = (2000..2008)
            .map(|y| (y, set(&[("report.zh.md", &y.to_string())])))
            .collect();
        std::thread::scope(|scope| {
            for (year, s) in &sets {
                let stager = &stager;
                scope.spawn(move || stager.stage(*year, s));
            }
        });
        // Staged, not switched: nothing shows yet but hidden folders.
        assert!(names(&out).iter().all(|n| n.starts_with(TEMP_PREFIX)));
        let written = stager.finish().unwrap();
        assert_eq!(written.len(), 8);
        assert_eq!(names(&out).len(), 8);
        assert_eq!(
            std::fs::read_to_string(out.join("2003/report.zh.md")).unwrap(),
            "2003"
        );

        // A build that fails after staging a year: the output stays as it was.
        let stager = Stager::new(&out, &wait);
        stager.stage(2003, &set(&[("report.zh.md", "changed")]));
        stager.abandon();
        assert_eq!(names(&out).len(), 8);
        assert_eq!(
            std::fs::read_to_string(out.join("2003/report.zh.md")).unwrap(),
            "2003"
        );
        // Into a folder that was not there: not even the folder is left.
        let fresh = dir.path().join("fresh");
        let stager = Stager::new(&fresh, &wait);
        stager.stage(2003, &set(&[("report.zh.md", "x")]));
        drop(stager);
        assert!(!fresh.exists());
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
