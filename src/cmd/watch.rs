//! The file watcher of `serve`: tells when the project's inputs changed.
//!
//! It watches `nianbao.toml` (through the root folder, non-recursively: editors
//! often save by writing a new file and renaming it over the old one, which a watch
//! on the file itself would lose), and `data/` and `templates/` recursively. The
//! root is never watched recursively, since the example project holds `target/`
//! and `output/`, thousands of folders that would only bring noise (and `output/`
//! is what a rebuild writes). Events go through notify-debouncer-full, so the
//! burst of events of one save (write, chmod, rename) becomes one rebuild. The
//! "full" debouncer rather than the "mini" one because it keeps each event's kind:
//! notify reports reads too (inotify's open and close), and the build reads every
//! input, so without telling reads from writes each build would start the next.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// How long the debouncer waits for a save to settle: long enough to take an
/// editor's write + rename as one change, short enough that most of the time
/// from a save to the new page is the build's own. A save caught half written is
/// no harm: its build fails or shows the half, and the rest of the save, a moment
/// later, builds again.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// How often the debouncer looks for settled events (its default, a quarter of
/// the debounce, would add up to 12 ms).
const TICK: Duration = Duration::from_millis(10);

/// The folders watched recursively.
const WATCHED_DIRS: [&str; 2] = ["data", "templates"];

/// A running watch of one project.
pub struct Watch {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    /// Which of [`WATCHED_DIRS`] have a recursive watch (they may appear later).
    watching: [bool; 2],
}

impl Watch {
    /// Starts watching the project at `root`.
    pub fn start(root: &Path) -> anyhow::Result<Watch> {
        // Events carry absolute paths: compare them with an absolute root.
        let root = &std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let (tx, events) = std::sync::mpsc::channel();
        let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), tx)?;
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", root.display()))?;
        let mut watch = Watch {
            root: root.to_path_buf(),
            debouncer,
            events,
            watching: [false; 2],
        };
        watch.watch_new_dirs();
        Ok(watch)
    }

    /// Adds a recursive watch on `data/` or `templates/` once they exist.
    fn watch_new_dirs(&mut self) {
        for (i, name) in WATCHED_DIRS.iter().enumerate() {
            let dir = self.root.join(name);
            if !self.watching[i]
                && dir.is_dir()
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watching[i] = true;
            }
        }
    }

    /// Waits up to `timeout` for a change that matters and returns the changed
    /// inputs, relative to the root (empty when the time ran out). Changes that
    /// arrive while the caller was rebuilding are all returned at once.
    pub fn next_change(&mut self, timeout: Duration) -> Result<Vec<PathBuf>, WatchClosed> {
        let mut changed = Vec::new();
        let first = match self.events.recv_timeout(timeout) {
            Ok(batch) => batch,
            Err(RecvTimeoutError::Timeout) => return Ok(changed),
            Err(RecvTimeoutError::Disconnected) => return Err(WatchClosed),
        };
        let mut batches = vec![first];
        batches.extend(self.events.try_iter());
        for batch in batches {
            // A watcher error (say, too many watches) is not a change: skip it.
            let Ok(events) = batch else { continue };
            for event in events {
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                for path in &event.paths {
                    if let Some(rel) = self.relevant(path)
                        && !changed.contains(&rel)
                    {
                        changed.push(rel);
                    }
                }
            }
        }
        // `data/` or `templates/` itself was removed or replaced (a `git checkout`,
        // a restore from backup): its watch is gone with it, so watch it afresh.
        for (i, name) in WATCHED_DIRS.iter().enumerate() {
            if changed.iter().any(|p| p.as_os_str() == *name) {
                self.watching[i] = false;
            }
        }
        self.watch_new_dirs();
        changed.sort();
        Ok(changed)
    }

    /// The path relative to the root when a change there can alter the output.
    fn relevant(&self, path: &Path) -> Option<PathBuf> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let name = rel.file_name()?.to_string_lossy();
        if is_editor_noise(&name) {
            return None;
        }
        let mut parts = rel.components();
        let first = parts.next()?.as_os_str().to_string_lossy().into_owned();
        let nested = parts.next().is_some();
        let wanted = if nested {
            WATCHED_DIRS.contains(&first.as_str())
        } else {
            first == "nianbao.toml" || WATCHED_DIRS.contains(&first.as_str())
        };
        wanted.then(|| rel.to_path_buf())
    }
}

/// The watcher stopped (its thread is gone).
#[derive(Debug)]
pub struct WatchClosed;

/// Swap, backup and lock files that editors write beside the real one.
pub(crate) fn is_editor_noise(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || [".swp", ".swx", ".tmp", ".bak"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || name == "4913" // vim's probe file
}

#[cfg(test)]
mod tests {
    use super::is_editor_noise;

    #[test]
    fn editor_files_are_noise() {
        for n in [
            ".figures.toml.swp",
            "figures.toml~",
            "#plan.toml#",
            "4913",
            ".nianbao-x.tmp",
        ] {
            assert!(is_editor_noise(n), "{n}");
        }
        for n in ["figures.toml", "report.md", "nianbao.toml"] {
            assert!(!is_editor_noise(n), "{n}");
        }
    }
}
