//! Stage 1, load: reads a report project from disk into the [`crate::model`] types,
//! keeping the source span of every value. This file decides what is read (which
//! files, in which folders, for which years); [`files`] reads them (as UTF-8, its
//! I/O problems as diagnostics); the other files beside it parse each kind of file
//! from its text, without I/O. Nothing is computed here; every problem found while
//! reading becomes a diagnostic, and reading goes on so that one run reports all.

pub mod catalogue;
pub mod config;
pub mod figures;
mod files;
pub mod narrative;
pub mod toml_read;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, FileId, Loc, Sources};
use crate::model::{Catalogue, Config, Plan, Project, Summary, TargetDef, TemplateFile, YearData};
pub use files::DataDir;
use files::present;

/// A failure that stops loading before any diagnostics can be gathered (no project).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// There is no `nianbao.toml`.
    #[error("{0} is not a nianbao project: it has no nianbao.toml")]
    NotAProject(String),
}

/// The years present in `data/`, from the folder names: exactly four ASCII
/// digits, 1000 to 9999 (`0999` is not year 999, and `2006a` is no year).
pub fn list_years(root: &Path) -> Vec<i32> {
    DataDir::read(root).years()
}

/// Why [`list_years`] found none, for the message that says so: `data/` cannot
/// be listed, or holds years as files. Empty when it is simply empty.
pub fn why_no_years(root: &Path) -> String {
    let data = root.join("data");
    match std::fs::read_dir(&data) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => format!(": it cannot be listed ({e})"),
        Ok(_) => {
            let mut files: Vec<String> = DataDir::read(root)
                .files()
                .filter(|name| year_of(name).is_some())
                .map(|name| format!("data/{name}"))
                .collect();
            files.sort();
            match files.as_slice() {
                [] => String::new(),
                [one] => format!(": {one} is a file, not a folder"),
                many => format!(": {} are files, not folders", many.join(", ")),
            }
        }
    }
}

/// The year a folder name stands for, when it is one.
pub fn year_of(name: &str) -> Option<i32> {
    let plain = name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit());
    let year: i32 = name.parse().ok().filter(|_| plain)?;
    (1000..=9999).contains(&year).then_some(year)
}

/// Why a name in `data/` that looks like a year (it holds three digits or more,
/// of any script) is not one; `None` for a year, or for a name nothing like one.
pub fn not_a_year(name: &str) -> Option<&'static str> {
    if year_of(name).is_some() || name.chars().filter(|c| c.is_numeric()).count() < 3 {
        return None;
    }
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(char::is_numeric);
    Some(
        if name.chars().any(|c| c.is_numeric() && !c.is_ascii_digit()) {
            "its digits are not ASCII digits (full-width digits such as ２０２１ are not read as a year): rename it with the digits 0-9"
        } else if name.trim() != name || name.contains(char::is_whitespace) {
            "its name has spaces: rename it to the four digits alone"
        } else if digits_only(name) && name.len() == 4 {
            "a year is from 1000 to 9999"
        } else if digits_only(name) {
            "a year folder is named with exactly four digits"
        } else {
            "a year folder is named with four digits and nothing else"
        },
    )
}

struct Loader {
    root: PathBuf,
    sources: Sources,
    diags: Diagnostics,
}

/// What [`load`] found.
pub struct Loaded {
    /// The project, when `nianbao.toml` could be read.
    pub project: Option<Project>,
    /// Every file read.
    pub sources: Sources,
    /// Problems of the files shared by all years.
    pub diags: Diagnostics,
    /// Problems of each year's files, kept apart so that a broken year does not
    /// stop another year from building.
    pub year_diags: BTreeMap<i32, Diagnostics>,
}

/// Which years to read, and how much of each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    /// Years read whole: figures, targets, summary and plan.
    pub whole: BTreeSet<i32>,
    /// Years of which only the figures are read (for the charts and last year's
    /// values of the years read whole).
    pub figures: BTreeSet<i32>,
    /// Years read whole but for their summary and plan, which [`narrative`] reads
    /// when the year's turn comes: a build of every year then holds a few years'
    /// narratives at a time, not the whole history's.
    pub narrative_later: BTreeSet<i32>,
}

impl Wanted {
    /// Every year of the project, whole.
    pub fn all(root: &Path) -> Wanted {
        Wanted {
            whole: list_years(root).into_iter().collect(),
            ..Wanted::default()
        }
    }
}

/// Loads a project: `nianbao.toml`, the catalogue, the templates, and the years
/// `wanted` asks for once the configuration is read (a build of one year reads the
/// narrative of that year only, and the figures of the years its charts show).
pub fn load(
    root: &Path,
    wanted: impl FnOnce(Option<&Config>) -> Wanted,
) -> Result<Loaded, LoadError> {
    load_listed(root, DataDir::read(root), wanted)
}

/// [`load`] with `data/` as the caller listed it (it chose the years from it).
pub fn load_listed(
    root: &Path,
    data: DataDir,
    wanted: impl FnOnce(Option<&Config>) -> Wanted,
) -> Result<Loaded, LoadError> {
    let config_path = root.join("nianbao.toml");
    // A folder or an unreadable file of that name is a project with a broken
    // nianbao.toml: `read` reports it with the other diagnostics.
    if !config_path.exists() {
        return Err(LoadError::NotAProject(root.display().to_string()));
    }
    let mut loader = Loader {
        root: root.to_path_buf(),
        sources: Sources::default(),
        diags: Diagnostics::default(),
    };
    let config = loader.config();
    let catalogue = loader.catalogue();
    let templates = loader.templates();
    loader.files_where_folders_belong(&data);
    loader.folders_that_are_not_years(&data);
    let mut wanted = wanted(config.as_ref());
    if config.is_none() {
        // Nothing goes further than this: read every year asked for whole now, so
        // that this one run reports the problems of its narrative too.
        let later = std::mem::take(&mut wanted.narrative_later);
        wanted.whole.extend(later);
    }
    let mut years = BTreeMap::new();
    let mut year_diags = BTreeMap::new();
    for year in data.years() {
        let part = if wanted.whole.contains(&year) {
            Part::Whole
        } else if wanted.narrative_later.contains(&year) {
            Part::AllButNarrative
        } else if wanted.figures.contains(&year) {
            Part::Figures
        } else {
            continue;
        };
        let shared = std::mem::take(&mut loader.diags);
        if let Some(data) = loader.year(year, part) {
            years.insert(year, data);
        }
        year_diags.insert(year, std::mem::replace(&mut loader.diags, shared));
    }
    let project = config.map(|config| Project {
        root: root.to_path_buf(),
        config,
        catalogue,
        years,
        templates,
    });
    Ok(Loaded {
        project,
        sources: loader.sources,
        diags: loader.diags,
        year_diags,
    })
}

/// How much of a year [`Loader::year`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Figures,
    AllButNarrative,
    Whole,
}

/// A year's narrative as [`NarrativeFiles::parse`] made it.
#[derive(Debug, Default)]
pub struct Narrative {
    /// `summary.toml`, when there is one and it parses.
    pub summary: Option<Summary>,
    /// `plan.toml`, likewise.
    pub plan: Option<Plan>,
    /// Problems of the two files, reading and parsing, the summary's first.
    pub diags: Diagnostics,
}

/// A year's `summary.toml` and `plan.toml` read (registered in the sources),
/// not yet parsed: reading takes the sources, which one thread owns; parsing,
/// most of the work, can then run on any.
#[derive(Debug, Default)]
pub struct NarrativeFiles {
    summary: FileRead,
    plan: FileRead,
}

#[derive(Debug, Default)]
struct FileRead {
    text: Option<(FileId, Arc<str>)>,
    /// Problems of reading it (not UTF-8, not a regular file …).
    diags: Diagnostics,
}

impl NarrativeFiles {
    /// The files read, to release with [`Sources::release`] once the year is done.
    pub fn ids(&self) -> Vec<FileId> {
        [&self.summary, &self.plan]
            .iter()
            .filter_map(|f| f.text.as_ref().map(|(id, _)| *id))
            .collect()
    }

    /// Parses both files.
    pub fn parse(&self) -> Narrative {
        let mut diags = self.summary.diags.clone();
        let summary = self
            .summary
            .text
            .as_ref()
            .and_then(|(id, src)| narrative::parse_summary(*id, src, &mut diags));
        diags.extend(self.plan.diags.clone());
        let plan = self
            .plan
            .text
            .as_ref()
            .and_then(|(id, src)| narrative::parse_plan(*id, src, &mut diags));
        Narrative {
            summary,
            plan,
            diags,
        }
    }
}

/// Reads the summary and plan of `year` (a year [`load`] read as
/// [`Wanted::narrative_later`]), registering the files in `sources`.
pub fn narrative_files(root: &Path, year: i32, sources: &mut Sources) -> NarrativeFiles {
    let mut loader = Loader {
        root: root.to_path_buf(),
        sources: std::mem::take(sources),
        diags: Diagnostics::default(),
    };
    let files = loader.narrative_files(year);
    *sources = loader.sources;
    files
}

/// The targets the plan of `year` set for the year after (`[targets]` of
/// `data/<year>/plan.toml`), with the file registered in `sources` so that a
/// diagnostic may point at them (release it when none does); `None` without a
/// plan, or with one that does not read (its own problems are its own year's to
/// report).
pub fn planned_targets(
    root: &Path,
    year: i32,
    sources: &mut Sources,
) -> Option<(Vec<TargetDef>, FileId)> {
    let path = root.join("data").join(year.to_string()).join("plan.toml");
    if !present(&path) {
        return None;
    }
    let mut loader = Loader {
        root: root.to_path_buf(),
        sources: std::mem::take(sources),
        diags: Diagnostics::default(),
    };
    let read = loader.read(&path);
    *sources = loader.sources;
    let (id, src) = read?;
    let mut quiet = Diagnostics::default();
    let targets = narrative::parse_plan(id, &src, &mut quiet)
        .filter(|_| !quiet.has_errors())
        .map(|p| p.targets);
    if targets.is_none() {
        sources.release(id);
    }
    targets.map(|t| (t, id))
}

impl Loader {
    /// Reads the summary and plan of `year`, each with its own diagnostics.
    fn narrative_files(&mut self, year: i32) -> NarrativeFiles {
        let dir = self.root.join("data").join(year.to_string());
        let mut read = |name: &str| {
            let shared = std::mem::take(&mut self.diags);
            let text = self.optional(&dir.join(name));
            FileRead {
                text,
                diags: std::mem::replace(&mut self.diags, shared),
            }
        };
        NarrativeFiles {
            summary: read("summary.toml"),
            plan: read("plan.toml"),
        }
    }

    fn config(&mut self) -> Option<Config> {
        let (file, src) = self.read(&self.root.join("nianbao.toml"))?;
        config::parse(file, &src, &mut self.diags)
    }

    fn catalogue(&mut self) -> Catalogue {
        let path = self.root.join("data").join("metrics.toml");
        if !present(&path) {
            self.diags.push(
                Diagnostic::error("the project has no metric catalogue")
                    .in_file("data/metrics.toml")
                    .help("create data/metrics.toml with at least one [metrics.NAME] table"),
            );
            return Catalogue::default();
        }
        match self.read(&path) {
            Some((file, src)) => catalogue::parse(file, &src, &mut self.diags),
            None => Catalogue::default(),
        }
    }

    fn year(&mut self, year: i32, part: Part) -> Option<YearData> {
        let dir = self.root.join("data").join(year.to_string());
        let figures_path = dir.join("figures.toml");
        if !present(&figures_path) {
            self.diags.push(
                Diagnostic::error(format!("the year {year} has no figures.toml"))
                    .in_file(self.display(&dir))
                    .help(format!(
                        "add data/{year}/figures.toml, or run `nianbao new-year {year}`"
                    )),
            );
            return None;
        }
        let (file, src) = self.read(&figures_path)?;
        let mut data = figures::parse(file, &src, year, &mut self.diags)?;
        if part == Part::Figures {
            return Some(data);
        }
        if let Some((file, src)) = self.optional(&dir.join("targets.toml")) {
            data.targets = figures::parse_targets(file, &src, &mut self.diags);
        }
        if part == Part::Whole {
            let read = self.narrative_files(year).parse();
            self.diags.extend(read.diags);
            data.summary = read.summary;
            data.plan = read.plan;
        }
        Some(data)
    }

    /// A folder in `data/` that looks like a year and is not one is passed over:
    /// say so, naming it, rather than leave the year missing without a word.
    fn folders_that_are_not_years(&mut self, data: &DataDir) {
        let mut found: Vec<(String, &str)> = data
            .folders()
            .filter_map(|name| Some((format!("data/{name}"), not_a_year(name)?)))
            .collect();
        found.sort();
        for (folder, why) in found {
            self.diags.push(
                Diagnostic::warning("this folder looks like a year but is not read as one")
                    .in_file(folder)
                    .help(format!("{why}, as in data/2006")),
            );
        }
    }

    fn templates(&mut self) -> Vec<TemplateFile> {
        let dir = self.root.join("templates");
        let walked = crate::fs::walk(&dir);
        let mut files = walked.files;
        files.sort();
        for (folder, e) in &walked.unreadable {
            self.diags.push(
                Diagnostic::error(format!("cannot read the folder: {e}"))
                    .in_file(self.display(folder))
                    .help("check the folder's permissions: its templates would be left out, and the built-in ones used instead")
                    .io(),
            );
        }
        let mut loops = walked.loops;
        loops.sort();
        for link in loops {
            self.diags.push(
                Diagnostic::warning("a link to a folder that contains it is not followed")
                    .in_file(self.display(&link))
                    .help("it would lead round in a circle; remove the link"),
            );
        }
        let mut folders: Vec<String> = walked
            .dirs
            .iter()
            .filter_map(|d| d.strip_prefix(&dir).ok())
            .map(|rel| rel.to_string_lossy().replace('\\', "/"))
            .filter(|name| is_template_name(name))
            .collect();
        folders.sort();
        for name in folders {
            self.diags.push(
                Diagnostic::error("a folder stands where a template file belongs")
                    .in_file(format!("templates/{name}"))
                    .help("a template is a file; remove the folder or rename it"),
            );
        }
        let mut out = Vec::new();
        let mut passed_over = Vec::new();
        for path in files {
            let Ok(rel) = path.strip_prefix(&dir) else {
                continue;
            };
            let name = rel.to_string_lossy().replace('\\', "/");
            let base = name.rsplit('/').next().unwrap_or(&name);
            // An editor's swap, backup or lock file (`.plan.md.swp`, `plan.md~`,
            // `#plan.md#`) comes and goes while the user edits: never a template.
            if base.starts_with('.') || base.ends_with('~') || base.starts_with('#') {
                continue;
            }
            if !is_template_name(&name) {
                passed_over.push(name);
                continue;
            }
            if let Some((file, text)) = self.read(&path) {
                // Text of a template goes into every report as it is: a NUL or
                // an escape sequence makes the HTML invalid and the Markdown
                // unreadable (found by an audit; data texts were checked already).
                if let Some((at, c)) = text.char_indices().find(|(_, c)| toml_read::unshowable(*c))
                {
                    self.diags.push(
                        Diagnostic::error(format!(
                            "the template holds U+{:04X}, a character no report can show",
                            u32::from(c)
                        ))
                        .at(
                            Loc {
                                file,
                                span: at..at + c.len_utf8(),
                            },
                            "this character",
                        )
                        .help("remove it: a control character or a noncharacter, pasted in by accident"),
                    );
                }
                // An empty partial leaves its part out, on purpose; an empty
                // report leaves everything out (an audit: no word of it).
                if matches!(name.as_str(), "report.md" | "base.md" | "report.html")
                    && text.trim().is_empty()
                {
                    self.diags.push(
                        Diagnostic::warning(
                            "the template is empty: every report made from it is empty",
                        )
                        .in_file(format!("templates/{name}"))
                        .help(format!(
                            "delete it to use the built-in {name}, or copy that one in with `nianbao templates eject {name}`"
                        )),
                    );
                }
                out.push(TemplateFile { name, text, file });
            }
        }
        for name in passed_over {
            self.diags.push(
                Diagnostic::warning("this file is not a template and is passed over")
                    .in_file(format!("templates/{name}"))
                    .help(format!(
                        "templates are {} files",
                        TEMPLATE_EXTENSIONS.join(", ")
                    )),
            );
        }
        out
    }
}

/// The endings of the files in `templates/` that are templates: the built-ins'
/// (`.md`, `.html`, `.css`) and the other text formats Tera escapes for.
const TEMPLATE_EXTENSIONS: [&str; 6] = [".md", ".html", ".htm", ".css", ".xml", ".svg"];

fn is_template_name(name: &str) -> bool {
    TEMPLATE_EXTENSIONS.iter().any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::list_years;

    #[test]
    fn years_are_the_folders_named_as_years_links_followed() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        for name in ["2006", "2007", "0999", "2006a", "archive"] {
            std::fs::create_dir_all(data.join(name)).unwrap();
        }
        // A file named as a year is no year; a link to a folder is one.
        std::fs::write(data.join("2008"), "").unwrap();
        let elsewhere = root.path().join("kept-elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&elsewhere, data.join("2009")).unwrap();
            std::os::unix::fs::symlink(data.join("2008"), data.join("2010")).unwrap();
            std::os::unix::fs::symlink(root.path().join("nowhere"), data.join("2011")).unwrap();
        }
        let expected: &[i32] = if cfg!(unix) {
            &[2006, 2007, 2009]
        } else {
            &[2006, 2007]
        };
        assert_eq!(list_years(root.path()), expected);
    }
}
