//! Stage 1, load: reads a report project from disk into a [`Project`], keeping the
//! source span of every value. Nothing is computed here; every problem found while
//! reading becomes a diagnostic, and reading goes on so that one run reports all.

pub mod toml_read;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use indexmap::IndexMap;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Diagnostics, FileId, Loc, Sources};
use crate::exact::{Exact, Rounding};
use crate::formula::{self, Expr};
pub use toml_read::LocStr;
use toml_read::{Reader, Val, get};

/// The languages of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese, the language of the original.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Both languages, Chinese first.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The language code (`zh`, `en`), as used in file names and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Reads a language code.
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A user-facing text in both languages (`{ zh = "…", en = "…" }`).
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The Chinese text.
    pub zh: Option<LocStr>,
    /// The English text.
    pub en: Option<LocStr>,
    /// The whole value.
    pub loc: Loc,
}

impl Text {
    /// The text in `lang`, if written.
    pub fn get(&self, lang: Lang) -> Option<&LocStr> {
        match lang {
            Lang::Zh => self.zh.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }

    /// The text in `lang`, to change it.
    pub fn get_mut(&mut self, lang: Lang) -> Option<&mut LocStr> {
        match lang {
            Lang::Zh => self.zh.as_mut(),
            Lang::En => self.en.as_mut(),
        }
    }

    /// The text in `lang`, or the other language's when missing (`true` = fallback).
    pub fn get_or_fallback(&self, lang: Lang) -> (&str, bool) {
        match (self.get(lang), self.zh.as_ref().or(self.en.as_ref())) {
            (Some(s), _) => (&s.text, false),
            (None, Some(other)) => (&other.text, true),
            (None, None) => ("", true),
        }
    }
}

/// A unit, possibly different per language (`人` / `persons`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Unit {
    /// Chinese unit.
    pub zh: String,
    /// English unit.
    pub en: String,
}

impl Unit {
    /// The unit in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Which way is good for a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Up is good.
    Higher,
    /// Down is good.
    Lower,
}

/// `nianbao.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The organisation that publishes the report.
    pub organisation: Text,
    /// Title pattern with `{year}` and `{next}`.
    pub title: Option<Text>,
    /// How displayed values are rounded.
    pub rounding: Rounding,
}

/// A metric of the catalogue.
#[derive(Debug, Clone)]
pub struct MetricDef {
    /// Its name (the key in `[metrics.NAME]`).
    pub name: String,
    /// Where the name is written.
    pub name_loc: Loc,
    /// Chinese and English labels.
    pub label: Text,
    /// The formula text.
    pub formula_src: LocStr,
    /// The parsed formula, when it parsed.
    pub formula: Option<Expr>,
    /// The unit.
    pub unit: Unit,
    /// Displayed decimal places.
    pub decimals: u32,
    /// The good direction.
    pub better: Option<Better>,
    /// Whether the trend chart shows it.
    pub chart: bool,
    /// Figure paths that make up this total (for breakdown charts).
    pub parts: Vec<(String, Loc)>,
    /// The label of each part, when the catalogue gives one
    /// (`parts = [{ figure = "births.by_order.first", zh = "一孩", en = "First births" }]`).
    pub part_labels: Vec<Option<Text>>,
}

impl MetricDef {
    /// True when the unit is a rate (`%` or `‰`): year-over-year changes are in points.
    pub fn is_rate(&self) -> bool {
        matches!(self.unit.zh.as_str(), "%" | "‰" | "％")
    }
}

/// A consistency check of the catalogue.
#[derive(Debug, Clone)]
pub struct CheckDef {
    /// The rule text.
    pub rule_src: LocStr,
    /// The parsed rule.
    pub rule: Option<Expr>,
    /// The message shown when the rule fails.
    pub message: Option<Text>,
}

/// `data/metrics.toml`.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Metrics in the order written.
    pub metrics: IndexMap<String, MetricDef>,
    /// Checks in the order written.
    pub checks: Vec<CheckDef>,
    /// The file, when it was read.
    pub file: Option<FileId>,
}

/// A node of the figure tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// A number, exactly as written.
    Number(Exact, Loc),
    /// A nested table.
    Table(IndexMap<String, Figure>, Loc),
}

impl Figure {
    /// Follows a dotted path from a table of figures.
    pub fn lookup<'a>(root: &'a IndexMap<String, Figure>, path: &[String]) -> Option<&'a Figure> {
        let (first, rest) = path.split_first()?;
        let mut node = root.get(first)?;
        for seg in rest {
            match node {
                Figure::Table(t, _) => node = t.get(seg)?,
                Figure::Number(..) => return None,
            }
        }
        Some(node)
    }

    /// Every dotted path to a number under `root`, in the order written.
    pub fn paths(root: &IndexMap<String, Figure>) -> Vec<String> {
        fn walk(prefix: &str, table: &IndexMap<String, Figure>, out: &mut Vec<String>) {
            for (k, v) in table {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                match v {
                    Figure::Number(..) => out.push(path),
                    Figure::Table(t, _) => walk(&path, t, out),
                }
            }
        }
        let mut out = Vec::new();
        walk("", root, &mut out);
        out
    }
}

/// The status of a year's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Published figures.
    #[default]
    Final,
    /// 快报: may be revised by the yearbook.
    Preliminary,
    /// A year still being written.
    Draft,
}

/// A target for one metric.
#[derive(Debug, Clone)]
pub struct TargetDef {
    /// The metric.
    pub metric: String,
    /// Where the target is written.
    pub loc: Loc,
    /// Lower bound.
    pub min: Option<Exact>,
    /// Upper bound.
    pub max: Option<Exact>,
}

/// A numbered part of the summary or the plan.
#[derive(Debug, Clone)]
pub struct Section {
    /// Its heading.
    pub title: Text,
    /// Its paragraph.
    pub text: Option<Text>,
    /// 一是 … 二是 …
    pub points: Vec<Text>,
}

/// `summary.toml`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Lead paragraph.
    pub opening: Option<Text>,
    /// A paragraph on the indicators, shown above the indicator table.
    pub indicators: Option<Text>,
    /// Numbered sections.
    pub sections: Vec<Section>,
    /// 存在问题.
    pub shortcomings: Option<Text>,
}

/// `plan.toml`.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// 指导思想.
    pub guiding_principle: Option<Text>,
    /// Key items.
    pub items: Vec<Section>,
    /// Targets for the plan year.
    pub targets: Vec<TargetDef>,
}

/// One year of data.
#[derive(Debug, Clone)]
pub struct YearData {
    /// The year (the folder name).
    pub year: i32,
    /// First day of the reporting period.
    pub start: NaiveDate,
    /// Last day of the reporting period.
    pub end: NaiveDate,
    /// Status of the figures.
    pub status: Status,
    /// Free-text notes of `[source]` (document, publisher, note …).
    pub source_notes: Vec<(String, String)>,
    /// The raw figures.
    pub figures: IndexMap<String, Figure>,
    /// Dotted paths of figures that are written but unusable (`nan`, a string …):
    /// already reported, so formulas naming them are not reported again as unknown.
    pub bad_figures: Vec<String>,
    /// The `figures.toml` file.
    pub figures_file: FileId,
    /// `targets.toml`.
    pub targets: Vec<TargetDef>,
    /// `summary.toml`.
    pub summary: Option<Summary>,
    /// `plan.toml`.
    pub plan: Option<Plan>,
}

/// A template file of the project that overrides a built-in one.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Its name relative to `templates/` (`partials/summary.md`).
    pub name: String,
    /// Its text.
    pub text: Arc<str>,
    /// Its source id.
    pub file: FileId,
}

/// A whole report project.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project folder.
    pub root: PathBuf,
    /// `nianbao.toml`.
    pub config: Config,
    /// `data/metrics.toml`.
    pub catalogue: Catalogue,
    /// Every year in `data/`, oldest first.
    pub years: BTreeMap<i32, YearData>,
    /// Template overrides from `templates/`.
    pub templates: Vec<TemplateFile>,
}

/// A failure that stops loading before any diagnostics can be gathered (no project).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// There is no `nianbao.toml`.
    #[error("{0} is not a nianbao project: it has no nianbao.toml")]
    NotAProject(String),
}

/// The years present in `data/`, from the folder names.
pub fn list_years(root: &Path) -> Vec<i32> {
    let mut years = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root.join("data")) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.len() == 4
                && name.bytes().all(|b| b.is_ascii_digit())
                && entry.path().is_dir()
                && let Ok(year) = name.parse::<i32>()
            {
                years.push(year);
            }
        }
    }
    years.sort_unstable();
    years
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

/// Loads a project: `nianbao.toml`, the catalogue, every year and the templates.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
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
    loader.files_where_folders_belong();
    let mut years = BTreeMap::new();
    let mut year_diags = BTreeMap::new();
    for year in list_years(root) {
        let shared = std::mem::take(&mut loader.diags);
        if let Some(data) = loader.year(year) {
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

impl Loader {
    fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    }

    /// Reads a file as UTF-8 text; problems become diagnostics.
    fn read(&mut self, path: &Path) -> Option<(FileId, Arc<str>)> {
        let display = self.display(path);
        if path.is_dir() {
            self.diags.push(
                Diagnostic::error("a folder stands where a file belongs")
                    .in_file(display)
                    .help("remove the folder or rename it"),
            );
            return None;
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(format!("cannot read the file: {e}"))
                        .in_file(display)
                        .help("check the file's permissions")
                        .io(),
                );
                return None;
            }
        };
        let text: Arc<str> = match String::from_utf8(bytes) {
            Ok(t) => Arc::from(t.strip_prefix('\u{feff}').unwrap_or(&t)),
            Err(e) => {
                // Keep the file (invalid bytes replaced) so that the error can show the
                // line; the bytes before the first invalid one are unchanged, so the
                // offset holds in the replaced text too.
                let at = e.utf8_error().valid_up_to();
                let bad = e.as_bytes().get(at).copied().unwrap_or(0);
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let width = lossy[at..].chars().next().map_or(0, char::len_utf8);
                let (gbk, utf16) = (
                    "save it as UTF-8; a file saved as GBK or GB18030 can be converted with `iconv -f GB18030 -t UTF-8`",
                    "save it as UTF-8: it looks like UTF-16, which some Windows editors call \"Unicode\"",
                );
                let help = if e.as_bytes().starts_with(&[0xff, 0xfe])
                    || e.as_bytes().starts_with(&[0xfe, 0xff])
                {
                    utf16
                } else {
                    gbk
                };
                let id = self.sources.add(path, display, Arc::from(lossy));
                self.diags.push(
                    Diagnostic::error(format!(
                        "the file is not UTF-8 text: byte 0x{bad:02X} at offset {at} cannot be read"
                    ))
                    .at(
                        Loc {
                            file: id,
                            span: at..at + width,
                        },
                        "not UTF-8",
                    )
                    .help(help),
                );
                return None;
            }
        };
        let id = self.sources.add(path, display, text.clone());
        Some((id, text))
    }

    fn reader<'s>(&'s mut self, file: FileId, src: &'s str) -> Reader<'s> {
        Reader {
            file,
            src,
            diags: &mut self.diags,
        }
    }

    fn config(&mut self) -> Option<Config> {
        let path = self.root.join("nianbao.toml");
        let (file, src) = self.read(&path)?;
        let mut r = self.reader(file, &src);
        let doc = r.parse()?;
        let table = doc.get_ref();
        r.unknown_keys(
            table,
            &[
                "organisation",
                "organization",
                "title",
                "rounding",
                "options",
            ],
            "nianbao.toml",
        );
        let organisation = match get(table, "organisation").or_else(|| get(table, "organization")) {
            Some(v) => text(&mut r, "`organisation`", v),
            None => {
                r.missing(
                    "organisation",
                    "nianbao.toml",
                    0..0,
                    Some("add `organisation = { zh = \"…\", en = \"…\" }`".into()),
                );
                None
            }
        };
        let title = get(table, "title").and_then(|v| text(&mut r, "`title`", v));
        let mut rounding = Rounding::default();
        let mut rounding_val = get(table, "rounding");
        if let Some(options) = get(table, "options")
            && let Some(opts) = r.table("`options`", options)
        {
            r.unknown_keys(opts, &["rounding"], "[options]");
            rounding_val = rounding_val.or_else(|| get(opts, "rounding"));
        }
        if let Some(v) = rounding_val
            && let Some(s) = r.string("`rounding`", v)
        {
            match Rounding::parse(&s.text) {
                Some(mode) => rounding = mode,
                None => r.diags.push(
                    Diagnostic::error(format!("unknown rounding `{}`", s.text))
                        .at(s.loc, "unknown rounding")
                        .help("use \"half-away-from-zero\" (四舍五入, the default) or \"half-even\" (GB/T 8170-2008)"),
                ),
            }
        }
        Some(Config {
            organisation: organisation?,
            title,
            rounding,
        })
    }

    fn catalogue(&mut self) -> Catalogue {
        let path = self.root.join("data").join("metrics.toml");
        let mut catalogue = Catalogue::default();
        if !path.exists() {
            self.diags.push(
                Diagnostic::error("the project has no metric catalogue")
                    .in_file("data/metrics.toml")
                    .help("create data/metrics.toml with at least one [metrics.NAME] table"),
            );
            return catalogue;
        }
        let Some((file, src)) = self.read(&path) else {
            return catalogue;
        };
        catalogue.file = Some(file);
        let mut r = self.reader(file, &src);
        let Some(doc) = r.parse() else {
            return catalogue;
        };
        let table = doc.get_ref();
        r.unknown_keys(table, &["metrics", "checks"], "data/metrics.toml");
        if let Some(v) = get(table, "metrics")
            && let Some(metrics) = r.table("`metrics`", v)
        {
            for (key, value) in metrics.iter() {
                let name = key.get_ref().to_string();
                let name_loc = r.loc(key.span());
                if name.contains(|c: char| !(c == '_' || c.is_alphanumeric()))
                    || name.starts_with(|c: char| c.is_ascii_digit())
                {
                    r.diags.push(
                        Diagnostic::error(format!("`{name}` cannot be a metric name"))
                            .at(name_loc, "not a plain name")
                            .help("metric names are letters, digits and `_`, not starting with a digit"),
                    );
                    continue;
                }
                if let Some(def) = metric(&mut r, name.clone(), name_loc, value) {
                    catalogue.metrics.insert(name, def);
                }
            }
        } else if get(table, "metrics").is_none() {
            r.diags.push(
                Diagnostic::warning("the catalogue defines no metrics")
                    .at(r.loc(0..0), "")
                    .help("add a [metrics.NAME] table with zh, en, formula"),
            );
        }
        if let Some(v) = get(table, "checks") {
            for item in r.tables("`checks`", v) {
                if let Some(check) = check(&mut r, item) {
                    catalogue.checks.push(check);
                }
            }
        }
        catalogue
    }

    fn year(&mut self, year: i32) -> Option<YearData> {
        let dir = self.root.join("data").join(year.to_string());
        let figures_path = dir.join("figures.toml");
        if !figures_path.exists() {
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
        let mut r = self.reader(file, &src);
        let doc = r.parse()?;
        let table = doc.get_ref();
        let (start, end) = match get(table, "period") {
            Some(v) => {
                let p = r.table("`period`", v);
                let start = p
                    .and_then(|p| get(p, "start"))
                    .and_then(|v| r.date("`period.start`", v));
                let end = p
                    .and_then(|p| get(p, "end"))
                    .and_then(|v| r.date("`period.end`", v));
                if let Some(p) = p {
                    r.unknown_keys(p, &["start", "end"], "[period]");
                    for key in ["start", "end"] {
                        if get(p, key).is_none() {
                            r.missing(
                                key,
                                "[period]",
                                v.span(),
                                Some(format!("add `{key} = {year}-01-01`")),
                            );
                        }
                    }
                }
                if let (Some(s), Some(e)) = (start, end)
                    && s > e
                {
                    r.diags.push(
                        Diagnostic::error("the period ends before it starts")
                            .at(r.loc(v.span()), format!("{s} is after {e}")),
                    );
                }
                (start, end)
            }
            None => {
                r.diags.push(
                    Diagnostic::warning(format!(
                        "figures.toml has no [period]; the calendar year {year} is assumed"
                    ))
                    .at(r.loc(0..0), "")
                    .help(format!(
                        "add [period] with start = {year}-01-01 and end = {year}-12-31"
                    )),
                );
                (None, None)
            }
        };
        let mut status = Status::Final;
        let mut source_notes = Vec::new();
        if let Some(v) = get(table, "source")
            && let Some(s) = r.table("`source`", v)
        {
            for (key, value) in s.iter() {
                let key_name = key.get_ref().as_ref();
                if key_name == "status" {
                    if let Some(st) = r.string("`source.status`", value) {
                        match st.text.as_str() {
                            "final" => status = Status::Final,
                            "preliminary" => status = Status::Preliminary,
                            "draft" => status = Status::Draft,
                            other => r.diags.push(
                                Diagnostic::error(format!("unknown status `{other}`"))
                                    .at(st.loc, "unknown status")
                                    .help("use \"final\", \"preliminary\" (快报) or \"draft\""),
                            ),
                        }
                    }
                } else if let Some(text) = r.string(&format!("`source.{key_name}`"), value) {
                    source_notes.push((key_name.to_string(), text.text));
                }
            }
        }
        let mut bad_figures = Vec::new();
        let figures = figure_table(&mut r, table, "", true, &mut bad_figures);
        let mut data = YearData {
            year,
            start: start.or_else(|| NaiveDate::from_ymd_opt(year, 1, 1))?,
            end: end.or_else(|| NaiveDate::from_ymd_opt(year, 12, 31))?,
            status,
            source_notes,
            figures,
            bad_figures,
            figures_file: file,
            targets: Vec::new(),
            summary: None,
            plan: None,
        };
        if let Some((file, src)) = self.optional(&dir.join("targets.toml")) {
            let mut r = self.reader(file, &src);
            if let Some(doc) = r.parse() {
                data.targets = targets(&mut r, doc.get_ref(), "targets.toml");
            }
        }
        if let Some((file, src)) = self.optional(&dir.join("summary.toml")) {
            let mut r = self.reader(file, &src);
            if let Some(doc) = r.parse() {
                data.summary = Some(summary(&mut r, doc.get_ref()));
            }
        }
        if let Some((file, src)) = self.optional(&dir.join("plan.toml")) {
            let mut r = self.reader(file, &src);
            if let Some(doc) = r.parse() {
                data.plan = Some(plan(&mut r, doc.get_ref()));
            }
        }
        Some(data)
    }

    fn optional(&mut self, path: &Path) -> Option<(FileId, Arc<str>)> {
        if path.exists() { self.read(path) } else { None }
    }

    /// A file named like a year in `data/`, or a file named `templates`, stands where
    /// a folder belongs: it would otherwise be passed over without a word.
    fn files_where_folders_belong(&mut self) {
        let mut found = Vec::new();
        if let Ok(entries) = std::fs::read_dir(self.root.join("data")) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.len() == 4
                    && name.bytes().all(|b| b.is_ascii_digit())
                    && entry.path().is_file()
                {
                    found.push((
                        format!("data/{name}"),
                        format!("a year is a folder: data/{name}/figures.toml"),
                    ));
                }
            }
        }
        if self.root.join("templates").is_file() {
            found.push((
                "templates".to_string(),
                "templates/ is a folder of template files".to_string(),
            ));
        }
        found.sort();
        for (file, help) in found {
            self.diags.push(
                Diagnostic::error("a file stands where a folder belongs")
                    .in_file(file)
                    .help(help),
            );
        }
    }

    fn templates(&mut self) -> Vec<TemplateFile> {
        let dir = self.root.join("templates");
        let mut files = Vec::new();
        collect_files(&dir, &mut files);
        files.sort();
        let mut out = Vec::new();
        for path in files {
            let Ok(rel) = path.strip_prefix(&dir) else {
                continue;
            };
            let name = rel.to_string_lossy().replace('\\', "/");
            if name.starts_with('.') || name.ends_with('~') {
                continue;
            }
            if let Some((file, text)) = self.read(&path) {
                out.push(TemplateFile { name, text, file });
            }
        }
        out
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A `{ zh, en }` text.
fn text(r: &mut Reader, what: &str, v: &Val) -> Option<Text> {
    let table = r.table(what, v)?;
    r.unknown_keys(table, &["zh", "en"], what);
    let zh = get(table, "zh").and_then(|s| r.string(&format!("`zh` of {what}"), s));
    let en = get(table, "en").and_then(|s| r.string(&format!("`en` of {what}"), s));
    if zh.is_none() && en.is_none() {
        r.diags.push(
            Diagnostic::error(format!("{what} has neither `zh` nor `en`"))
                .at(r.loc(v.span()), "empty text")
                .help("write it as { zh = \"…\", en = \"…\" }"),
        );
        return None;
    }
    Some(Text {
        zh,
        en,
        loc: r.loc(v.span()),
    })
}

fn metric(r: &mut Reader, name: String, name_loc: Loc, v: &Val) -> Option<MetricDef> {
    let what = format!("metric `{name}`");
    let table = r.table(&what, v)?;
    const KNOWN: [&str; 11] = [
        "zh",
        "en",
        "formula",
        "unit",
        "decimals",
        "better",
        "chart",
        "parts",
        "description",
        "note",
        "source",
    ];
    r.unknown_keys(table, &KNOWN, &what);
    let zh = get(table, "zh").and_then(|s| r.string(&format!("`zh` of {what}"), s));
    let en = get(table, "en").and_then(|s| r.string(&format!("`en` of {what}"), s));
    // A metric without a label still builds, under its name; the warning says so.
    let (zh, en) = if zh.is_none() && en.is_none() {
        r.diags.push(
            Diagnostic::warning(format!("{what} has no label; its name is shown instead"))
                .at(name_loc.clone(), "no zh or en label")
                .help("give the metric a label: zh = \"…\", en = \"…\""),
        );
        let named = LocStr {
            text: name.clone(),
            loc: name_loc.clone(),
            offsets: None,
        };
        (Some(named.clone()), Some(named))
    } else {
        (zh, en)
    };
    let label = Text {
        zh,
        en,
        loc: r.loc(v.span()),
    };
    // A metric without a usable formula is still kept (undefined), so that formulas
    // using it do not also report it as unknown.
    let formula_src = match get(table, "formula") {
        Some(f) => r.string(&format!("`formula` of {what}"), f),
        None => {
            r.missing(
                "formula",
                &what,
                name_loc.span.clone(),
                Some("add `formula = \"…\"`, e.g. `births.total / population.total * 1000`".into()),
            );
            None
        }
    };
    let formula = formula_src.as_ref().and_then(|src| parse_formula(r, src));
    let formula_src = formula_src.unwrap_or_else(|| LocStr {
        text: String::new(),
        loc: name_loc.clone(),
        offsets: None,
    });
    let unit = match get(table, "unit") {
        None => Unit::default(),
        Some(u) => match u.get_ref() {
            DeValue::String(s) => Unit {
                zh: s.to_string(),
                en: s.to_string(),
            },
            DeValue::Table(_) => {
                let t = text(r, &format!("`unit` of {what}"), u);
                Unit {
                    zh: t
                        .as_ref()
                        .and_then(|t| t.zh.as_ref())
                        .map(|s| s.text.clone())
                        .unwrap_or_default(),
                    en: t
                        .as_ref()
                        .and_then(|t| t.en.as_ref())
                        .map(|s| s.text.clone())
                        .unwrap_or_default(),
                }
            }
            _ => {
                r.type_error(&format!("`unit` of {what}"), "a string or { zh, en }", u);
                Unit::default()
            }
        },
    };
    let decimals = get(table, "decimals")
        .and_then(|d| r.small_uint(&format!("`decimals` of {what}"), d, 12))
        .unwrap_or(0);
    let better = get(table, "better").and_then(|b| {
        let s = r.string(&format!("`better` of {what}"), b)?;
        match s.text.as_str() {
            "higher" => Some(Better::Higher),
            "lower" => Some(Better::Lower),
            other => {
                r.diags.push(
                    Diagnostic::error(format!(
                        "`better` must be \"higher\" or \"lower\", not `{other}`"
                    ))
                    .at(s.loc, "unknown direction"),
                );
                None
            }
        }
    });
    let chart = get(table, "chart")
        .and_then(|c| r.boolean(&format!("`chart` of {what}"), c))
        .unwrap_or(false);
    let mut parts = Vec::new();
    let mut part_labels = Vec::new();
    if let Some(p) = get(table, "parts") {
        match p.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    // A part is a figure path, or { figure = "…", zh = "…", en = "…" }.
                    if let DeValue::Table(t) = item.get_ref() {
                        let ctx = format!("a part of {what}");
                        r.unknown_keys(t, &["figure", "zh", "en"], &ctx);
                        let Some(figure) = get(t, "figure") else {
                            r.missing(
                                "figure",
                                &ctx,
                                item.span(),
                                Some("add `figure = \"births.by_order.first\"`".into()),
                            );
                            continue;
                        };
                        let Some(s) = r.string(&format!("{ctx}.figure"), figure) else {
                            continue;
                        };
                        let zh = get(t, "zh").and_then(|v| r.string(&format!("{ctx}.zh"), v));
                        let en = get(t, "en").and_then(|v| r.string(&format!("{ctx}.en"), v));
                        let label = (zh.is_some() || en.is_some()).then(|| Text {
                            zh,
                            en,
                            loc: r.loc(item.span()),
                        });
                        parts.push((s.text, s.loc));
                        part_labels.push(label);
                    } else if let Some(s) = r.string(&format!("each of {what}.parts"), item) {
                        parts.push((s.text, s.loc));
                        part_labels.push(None);
                    }
                }
            }
            _ => r.type_error(&format!("`parts` of {what}"), "an array of figure paths", p),
        }
    }
    Some(MetricDef {
        name,
        name_loc,
        label,
        formula_src,
        formula,
        unit,
        decimals,
        better,
        chart,
        parts,
        part_labels,
    })
}

fn parse_formula(r: &mut Reader, src: &LocStr) -> Option<Expr> {
    match formula::parse(&src.text) {
        Ok(expr) => Some(expr),
        Err(err) => {
            r.diags.push(
                Diagnostic::error(format!("formula syntax error: {}", err.message))
                    .at(src.map(&err.span), err.message.clone())
                    .help_opt(err.help),
            );
            None
        }
    }
}

fn check(r: &mut Reader, v: &Val) -> Option<CheckDef> {
    let table = r.table("a check", v)?;
    r.unknown_keys(table, &["rule", "zh", "en"], "[[checks]]");
    let rule_src = match get(table, "rule") {
        Some(s) => r.string("`rule`", s)?,
        None => {
            r.missing(
                "rule",
                "[[checks]]",
                v.span(),
                Some("add `rule = \"a <= b\"`".into()),
            );
            return None;
        }
    };
    let rule = parse_formula(r, &rule_src);
    let zh = get(table, "zh").and_then(|s| r.string("`zh`", s));
    let en = get(table, "en").and_then(|s| r.string("`en`", s));
    let message = (zh.is_some() || en.is_some()).then(|| Text {
        zh,
        en,
        loc: r.loc(v.span()),
    });
    Some(CheckDef {
        rule_src,
        rule,
        message,
    })
}

/// Reads the free-form tables of figures. `top` skips the reserved `[period]` and
/// `[source]` tables.
fn figure_table(
    r: &mut Reader,
    table: &DeTable,
    prefix: &str,
    top: bool,
    bad: &mut Vec<String>,
) -> IndexMap<String, Figure> {
    let mut out = IndexMap::new();
    for (key, value) in table.iter() {
        let name = key.get_ref().to_string();
        if top && (name == "period" || name == "source") {
            continue;
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let loc = r.loc(value.span());
        match value.get_ref() {
            DeValue::Table(t) => {
                let inner = figure_table(r, t, &path, false, bad);
                out.insert(name, Figure::Table(inner, loc));
            }
            DeValue::Integer(_) | DeValue::Float(_) => {
                match r.number(&format!("the figure `{path}`"), value) {
                    Some(n) => {
                        out.insert(name, Figure::Number(n, loc));
                    }
                    None => bad.push(path),
                }
            }
            _ => {
                r.diags.push(
                    Diagnostic::error(format!(
                        "the figure `{path}` must be a number or a table of numbers, found {}",
                        toml_read::type_name(value.get_ref())
                    ))
                    .at(loc, "not a number")
                    .help("figures are numbers; put words in summary.toml, and notes in [source]"),
                );
                bad.push(path);
            }
        }
    }
    out
}

fn targets(r: &mut Reader, table: &DeTable, context: &str) -> Vec<TargetDef> {
    let mut out = Vec::new();
    for (key, value) in table.iter() {
        let metric = key.get_ref().to_string();
        let what = format!("the target for `{metric}`");
        let Some(t) = r.table(&what, value) else {
            continue;
        };
        r.unknown_keys(t, &["min", "max"], &format!("{context} [{metric}]"));
        let min = get(t, "min").and_then(|v| r.number(&format!("`min` of {what}"), v));
        let max = get(t, "max").and_then(|v| r.number(&format!("`max` of {what}"), v));
        if get(t, "min").is_none() && get(t, "max").is_none() {
            r.diags.push(
                Diagnostic::error(format!("{what} has neither `min` nor `max`"))
                    .at(r.loc(value.span()), "empty target")
                    .help("add `min = …` and/or `max = …`"),
            );
            continue;
        }
        if let (Some(lo), Some(hi)) = (&min, &max)
            && lo > hi
        {
            r.diags.push(
                Diagnostic::error(format!("{what} has min above max"))
                    .at(r.loc(value.span()), "no value can meet this"),
            );
        }
        out.push(TargetDef {
            metric,
            loc: r.loc(key.span()),
            min,
            max,
        });
    }
    out
}

fn section(r: &mut Reader, what: &str, v: &Val) -> Option<Section> {
    let table = r.table(what, v)?;
    r.unknown_keys(table, &["title", "text", "points"], what);
    let title = match get(table, "title") {
        Some(t) => text(r, &format!("`title` of {what}"), t),
        None => {
            r.missing(
                "title",
                what,
                v.span(),
                Some("add `title = { zh = \"…\", en = \"…\" }`".into()),
            );
            None
        }
    };
    let body = get(table, "text").and_then(|t| text(r, &format!("`text` of {what}"), t));
    let mut points = Vec::new();
    if let Some(p) = get(table, "points") {
        match p.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let Some(t) = text(r, &format!("a point of {what}"), item) {
                        points.push(t);
                    }
                }
            }
            _ => r.type_error(
                &format!("`points` of {what}"),
                "an array of { zh, en } texts",
                p,
            ),
        }
    }
    Some(Section {
        title: title?,
        text: body,
        points,
    })
}

fn summary(r: &mut Reader, table: &DeTable) -> Summary {
    r.unknown_keys(
        table,
        &["opening", "indicators", "sections", "shortcomings"],
        "summary.toml",
    );
    let opening = get(table, "opening").and_then(|v| text(r, "`opening`", v));
    let indicators = get(table, "indicators").and_then(|v| text(r, "`indicators`", v));
    let mut sections = Vec::new();
    if let Some(v) = get(table, "sections") {
        for (i, item) in r.tables("`sections`", v).into_iter().enumerate() {
            if let Some(s) = section(r, &format!("section {}", i + 1), item) {
                sections.push(s);
            }
        }
    }
    let shortcomings = get(table, "shortcomings").and_then(|v| text(r, "`shortcomings`", v));
    Summary {
        opening,
        indicators,
        sections,
        shortcomings,
    }
}

fn plan(r: &mut Reader, table: &DeTable) -> Plan {
    r.unknown_keys(
        table,
        &["guiding_principle", "items", "targets"],
        "plan.toml",
    );
    let guiding_principle =
        get(table, "guiding_principle").and_then(|v| text(r, "`guiding_principle`", v));
    let mut items = Vec::new();
    if let Some(v) = get(table, "items") {
        for (i, item) in r.tables("`items`", v).into_iter().enumerate() {
            if let Some(s) = section(r, &format!("plan item {}", i + 1), item) {
                items.push(s);
            }
        }
    }
    let targets = match get(table, "targets") {
        Some(v) => match r.table("`targets`", v) {
            Some(t) => targets(r, t, "plan.toml [targets]"),
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    Plan {
        guiding_principle,
        items,
        targets,
    }
}
