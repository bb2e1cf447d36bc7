//! The rebuilds of `serve`: after a save, only what the save changed.
//!
//! Every input file is fingerprinted (its length, modification time and a hash of
//! its bytes; bytes are read again only when the length or time moved). A save
//! that changes no byte (a `touch`, an editor writing the same text) rebuilds
//! nothing. Otherwise the files that changed say which years to build:
//!
//! - `summary.toml` or `plan.toml` of a year: that year (no other report reads
//!   them);
//! - any other file of a year's folder (its figures, its targets): that year and
//!   the years whose reports show it, in their comparison with last year or in
//!   their charts (the next `max(chart_years, 2) - 1` years);
//! - anything else (`nianbao.toml`, `data/metrics.toml`, a template, a year folder
//!   added or removed): every year.
//!
//! A year whose last build failed is built again with the next, whatever changed,
//! so that its errors stay shown until they are fixed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use tokio::sync::watch;

use super::Status;
use crate::cmd::build::{self, Failure};
use crate::cmd::print_diagnostics;
use crate::diag;
use crate::pipeline::Years;

/// What is known of one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    len: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

/// Every input file of the project, by its path relative to the root.
type Fingerprint = BTreeMap<PathBuf, Seen>;

/// Which years a change asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Affected {
    /// Nothing changed.
    Nothing,
    /// These years.
    Years(BTreeSet<i32>),
    /// Every year.
    All,
}

/// The rebuild state of a `serve`.
pub(super) struct Rebuilder {
    root: PathBuf,
    out_dir: PathBuf,
    quiet: bool,
    status: watch::Sender<Status>,
    /// The inputs as the last build read them.
    inputs: Fingerprint,
    /// The years of `data/` at the last build.
    years: Vec<i32>,
    /// The years a trend chart shows (`[options] chart_years`) at the last build.
    chart_years: u32,
    /// Years to build again whatever changes: their last build failed (all of
    /// them when the first one did).
    failed: Affected,
}

impl Rebuilder {
    /// Builds every year once, and keeps what the build read.
    pub fn start(
        root: &Path,
        out_dir: &Path,
        status: watch::Sender<Status>,
        quiet: bool,
    ) -> Rebuilder {
        let mut r = Rebuilder {
            root: root.to_path_buf(),
            out_dir: out_dir.to_path_buf(),
            quiet,
            status,
            inputs: Fingerprint::new(),
            years: Vec::new(),
            chart_years: crate::model::CHART_YEARS,
            failed: Affected::Nothing,
        };
        r.inputs = fingerprint(&r.root, &r.inputs);
        r.years = crate::load::list_years(&r.root);
        r.build(&Affected::All, &[]);
        r
    }

    /// After the watcher saw `changed` (paths relative to the root): builds the
    /// years the changed bytes touch, if any.
    pub fn changed(&mut self, changed: &[PathBuf]) {
        let now = fingerprint(&self.root, &self.inputs);
        let years = crate::load::list_years(&self.root);
        let mut wanted = if years != self.years {
            Affected::All
        } else {
            affected(&self.inputs, &now, self.chart_years)
        };
        self.inputs = now;
        self.years = years;
        if wanted == Affected::Nothing {
            // Output deleted by hand (`rm -rf output`) is made again on the next
            // save, changed or not: the page would stay a 404 until a real edit
            // (found by an audit). A year that failed has no output to miss.
            let missing: BTreeSet<i32> = self
                .years
                .iter()
                .copied()
                .filter(|y| !is_failed(&self.failed, *y))
                .filter(|y| {
                    !self
                        .out_dir
                        .join(y.to_string())
                        .join("report.html")
                        .exists()
                })
                .collect();
            if !missing.is_empty() {
                wanted = Affected::Years(missing);
            }
        }
        if wanted == Affected::Nothing {
            if !self.quiet && !changed.is_empty() {
                say!("saved without changes: nothing to rebuild");
            }
            return;
        }
        wanted = union(wanted, &self.failed);
        if !self.quiet && !changed.is_empty() {
            let names: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
            say!("changed: {}", names.join(", "));
        }
        self.build(&wanted, changed);
    }

    /// Builds `wanted` into the output folder and publishes the result. On failure
    /// the previous output stays (a failed build writes nothing), the diagnostics
    /// go to the terminal and, as plain text, to the open pages.
    fn build(&mut self, wanted: &Affected, changed: &[PathBuf]) {
        let years = match wanted {
            Affected::Nothing => return,
            Affected::All => Years::All,
            Affected::Years(set) => {
                let list: Vec<i32> = set
                    .iter()
                    .copied()
                    .filter(|y| self.years.contains(y))
                    .collect();
                if list.is_empty() {
                    return;
                }
                Years::These(list)
            }
        };
        let quiet = self.quiet;
        let started = Instant::now();
        let progress = build::progress_bar(quiet);
        let result = build::build_into(&self.root, &years, &self.out_dir, &progress, quiet);
        progress.finish_and_clear();
        let elapsed = started.elapsed().as_millis();
        match result {
            Ok(built) => {
                print_diagnostics(&built.run.diags, &built.run.sources, quiet);
                if let Some(project) = &built.run.project {
                    self.chart_years = project.config.chart_years;
                }
                if !quiet {
                    let years: Vec<String> =
                        built.written.iter().map(|(y, _)| y.to_string()).collect();
                    say!("built {} in {elapsed} ms", years.join(", "));
                }
                self.failed = Affected::Nothing;
                self.status.send_modify(|s| {
                    s.generation += 1;
                    s.error = None;
                });
            }
            Err(failure) => {
                self.failed = wanted.clone();
                let mut summary = String::new();
                let text = match &failure {
                    Failure::Request(e) | Failure::Io(e) => {
                        say!("error: {e}");
                        format!("error: {e}\n")
                    }
                    Failure::Data(run) => {
                        // The terminal gets every diagnostic (in colour on a tty); the
                        // page gets the errors, without colour codes.
                        print_diagnostics(&run.diags, &run.sources, quiet);
                        let mut text = diag::render_list(&run.diags, &run.sources, true, false);
                        summary = format!(" with {}", diag::summary_line(&run.diags, &run.sources));
                        text.push_str(summary.trim_start_matches(" with "));
                        text.push('\n');
                        text
                    }
                };
                if changed.is_empty() {
                    say!("build failed{summary}; serving what output/ holds until a save fixes it");
                } else {
                    say!(
                        "rebuild failed{summary} after {elapsed} ms; still serving the last good build"
                    );
                }
                self.status.send_modify(|s| s.error = Some(text));
            }
        }
    }
}

/// Both sets of years.
fn is_failed(failed: &Affected, year: i32) -> bool {
    match failed {
        Affected::Nothing => false,
        Affected::All => true,
        Affected::Years(set) => set.contains(&year),
    }
}

fn union(a: Affected, b: &Affected) -> Affected {
    match (a, b) {
        (Affected::All, _) | (_, Affected::All) => Affected::All,
        (Affected::Nothing, b) => b.clone(),
        (a, Affected::Nothing) => a,
        (Affected::Years(mut a), Affected::Years(b)) => {
            a.extend(b);
            Affected::Years(a)
        }
    }
}

/// The years whose output depends on the files that differ between `before` and
/// `now` (see the module documentation).
fn affected(before: &Fingerprint, now: &Fingerprint, chart_years: u32) -> Affected {
    let changed = before
        .iter()
        // Bytes, not times: a touch changes nothing.
        .filter(|(path, seen)| {
            now.get(*path).map(|s| (s.len, s.hash)) != Some((seen.len, seen.hash))
        })
        .map(|(path, _)| path)
        .chain(now.keys().filter(|path| !before.contains_key(*path)));
    // A year's figures show in the reports of the years after it, up to the
    // last one whose charts reach back to it (and the next year's comparison).
    let reach = i32::try_from(chart_years.max(2)).unwrap_or(i32::MAX);
    let mut years = BTreeSet::new();
    for path in changed {
        let mut parts = path.iter().map(|p| p.to_string_lossy());
        let (Some(top), Some(year), Some(name), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Affected::All;
        };
        let Some(year) = (top == "data")
            .then(|| crate::load::year_of(&year))
            .flatten()
        else {
            return Affected::All;
        };
        if name == "summary.toml" || name == "plan.toml" {
            years.insert(year);
        } else {
            years.extend(year..year.saturating_add(reach));
        }
    }
    if years.is_empty() {
        Affected::Nothing
    } else {
        Affected::Years(years)
    }
}

/// The fingerprint of every input file: `nianbao.toml` and everything under
/// `data/` and `templates/` but editors' own files. A file whose length and
/// modification time are those of `known` is not read again.
fn fingerprint(root: &Path, known: &Fingerprint) -> Fingerprint {
    let mut files = vec![root.join("nianbao.toml")];
    for dir in ["data", "templates"] {
        files.extend(crate::fs::walk(&root.join(dir)).files);
    }
    let mut out = Fingerprint::new();
    for path in files {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let noise = rel
            .file_name()
            .is_some_and(|n| super::super::watch::is_editor_noise(&n.to_string_lossy()));
        if noise {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let (len, modified) = (meta.len(), meta.modified().ok());
        let seen = match known.get(rel) {
            Some(s) if s.len == len && s.modified == modified && modified.is_some() => s.clone(),
            _ => Seen {
                len,
                modified,
                hash: hash_file(&path),
            },
        };
        out.insert(rel.to_path_buf(), seen);
    }
    out
}

/// A hash of the file's bytes (0 when it cannot be read: reading it is the
/// build's business, and its error is the build's to report).
fn hash_file(path: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let Ok(bytes) = crate::fs::read_regular(path, crate::fs::MAX_INPUT) else {
        return 0;
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(files: &[(&str, u64)]) -> Fingerprint {
        files
            .iter()
            .map(|(p, h)| {
                (
                    PathBuf::from(p),
                    Seen {
                        len: 1,
                        modified: None,
                        hash: *h,
                    },
                )
            })
            .collect()
    }

    fn years(list: &[i32]) -> Affected {
        Affected::Years(list.iter().copied().collect())
    }

    #[test]
    fn a_change_asks_for_the_years_that_show_it() {
        let before = print(&[
            ("nianbao.toml", 1),
            ("data/metrics.toml", 1),
            ("data/2006/figures.toml", 1),
            ("data/2006/summary.toml", 1),
            ("templates/report.md", 1),
        ]);
        let with = |path: &str, hash: u64| {
            let mut now = before.clone();
            now.insert(PathBuf::from(path), before[Path::new(path)].clone());
            now.get_mut(Path::new(path)).unwrap().hash = hash;
            now
        };
        assert_eq!(affected(&before, &before, 10), Affected::Nothing);
        assert_eq!(
            affected(&before, &with("data/2006/summary.toml", 2), 10),
            years(&[2006])
        );
        assert_eq!(
            affected(&before, &with("data/2006/figures.toml", 2), 3),
            years(&[2006, 2007, 2008])
        );
        // Last year's values are in every report, whatever the charts show.
        assert_eq!(
            affected(&before, &with("data/2006/figures.toml", 2), 1),
            years(&[2006, 2007])
        );
        for shared in ["nianbao.toml", "data/metrics.toml", "templates/report.md"] {
            assert_eq!(affected(&before, &with(shared, 2), 10), Affected::All);
        }
        let mut added = before.clone();
        added.insert(
            PathBuf::from("data/2006/targets.toml"),
            before[Path::new("nianbao.toml")].clone(),
        );
        assert_eq!(affected(&before, &added, 2), years(&[2006, 2007]));
        let mut removed = before.clone();
        removed.remove(Path::new("data/2006/summary.toml"));
        assert_eq!(affected(&before, &removed, 2), years(&[2006]));
    }

    #[test]
    fn failed_years_are_built_again() {
        assert_eq!(union(years(&[2006]), &years(&[2001])), years(&[2001, 2006]));
        assert_eq!(union(Affected::Nothing, &years(&[2001])), years(&[2001]));
        assert_eq!(union(years(&[2006]), &Affected::All), Affected::All);
    }

    #[test]
    fn a_touch_is_no_change() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("nianbao.toml"), "a = 1\n").unwrap();
        std::fs::create_dir_all(root.join("data/2006")).unwrap();
        std::fs::write(root.join("data/2006/figures.toml"), "x = 1\n").unwrap();
        let first = fingerprint(root, &Fingerprint::new());
        assert_eq!(first.len(), 2);
        // Same bytes, a new time: read again, same hash.
        std::fs::write(root.join("data/2006/figures.toml"), "x = 1\n").unwrap();
        let f = std::fs::File::options()
            .write(true)
            .open(root.join("data/2006/figures.toml"))
            .unwrap();
        f.set_modified(SystemTime::UNIX_EPOCH).unwrap();
        let second = fingerprint(root, &first);
        assert_eq!(affected(&first, &second, 10), Affected::Nothing);
        std::fs::write(root.join("data/2006/figures.toml"), "x = 2\n").unwrap();
        std::fs::write(root.join("data/2006/.figures.toml.swp"), "junk").unwrap();
        let third = fingerprint(root, &second);
        assert_eq!(
            affected(&second, &third, 10),
            years(&[2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015])
        );
    }
}
