//! The template context: what a template (and a narrative text) can use, as typed
//! records, so that a field renamed here is a compile error rather than a blank in a
//! template. Every number arrives as text already formatted for the language, so no
//! binary float ever reaches Tera. `docs/templates.md` documents each field;
//! `nianbao vars` prints them.

use indexmap::IndexMap;
use serde::Serialize;

use super::format;
pub use super::labels::Labels;
use crate::compute::change::{ChangeKind, change, change_kind};
use crate::compute::{TargetResult, YearValues};
use crate::exact::{Exact, Rounding};
use crate::i18n::{Lang, Words};
use crate::model::{Better, Figure, MetricDef, MetricKind, Project, Status, Text, YearData};

/// Everything a report template sees for one year and language.
#[derive(Debug, Clone, Serialize)]
pub struct ReportContext {
    /// `zh` or `en`.
    pub lang: &'static str,
    /// The report year.
    pub year: i32,
    /// The plan year.
    pub next_year: i32,
    /// Every year of the project up to this one that computed, oldest first.
    pub years: Vec<i32>,
    /// The year compared with (`year - 1`), when its data is there and computes.
    pub prev_year: Option<i32>,
    /// The organisation.
    pub org: String,
    /// The report's title.
    pub title: String,
    /// The reporting period.
    pub period: Period,
    /// `final`, `preliminary` or `draft`.
    pub status: Status,
    /// The banner text of a non-final year.
    pub banner: Option<&'static str>,
    /// The banner's title (草稿, 快报 …).
    pub banner_title: Option<&'static str>,
    /// The free-text notes of `[source]`.
    pub source: IndexMap<String, String>,
    /// The figures, formatted for the language.
    pub f: FigureTree,
    /// The figures unformatted: a whole number as a number (to compare), any other
    /// as its exact decimal text.
    pub figures: FigureTree,
    /// Each metric's value with its unit.
    pub m: IndexMap<String, String>,
    /// Each metric's number without its unit.
    pub n: IndexMap<String, String>,
    /// Each metric's value last year with its unit, or "—".
    pub prev: IndexMap<String, String>,
    /// Each metric's change from last year, as running text says it, or "—".
    pub chg: IndexMap<String, String>,
    /// Every metric, in catalogue order.
    pub metrics: Vec<MetricRecord>,
    /// Every metric, by name.
    pub metric: IndexMap<String, MetricRecord>,
    /// The year's targets, judged.
    pub targets: Vec<TargetRecord>,
    /// The year's targets by metric name.
    pub target: IndexMap<String, TargetRecord>,
    /// True only when the year has targets and every one has a value and is met.
    pub targets_all_met: bool,
    /// The targets not met, or that cannot be judged (their value is undefined).
    pub targets_unmet: Vec<TargetRecord>,
    /// Next year's targets.
    pub plan_targets: Vec<TargetRecord>,
    /// The fixed wording.
    pub t: Labels,
    /// The number of each part of the report that it has, in order, for the
    /// headings of the first level (`一、主要指标完成情况`).
    pub parts: Parts,
    /// The trend charts.
    pub charts: Vec<ChartRef>,
    /// The rendered summary (absent while the narrative itself renders).
    pub summary: Option<SummaryText>,
    /// The rendered plan.
    pub plan: Option<PlanText>,
}

/// The numbers of the parts of a report: the indicators are always the first; the
/// summary, the shortcomings and the plan follow when the year has them.
#[derive(Debug, Clone, Serialize)]
pub struct Parts {
    /// The indicators.
    pub indicators: u32,
    /// The summary of the year's work.
    pub summary: Option<u32>,
    /// The shortcomings.
    pub shortcomings: Option<u32>,
    /// Next year's plan.
    pub plan: Option<u32>,
}

impl Parts {
    fn of(year: &YearData) -> Parts {
        let mut next = 1;
        let mut take = |present: bool| {
            present.then(|| {
                next += 1;
                next
            })
        };
        let summary = take(year.summary.is_some());
        let shortcomings = take(
            year.summary
                .as_ref()
                .is_some_and(|s| s.shortcomings.is_some()),
        );
        let plan = take(year.plan.is_some());
        Parts {
            indicators: 1,
            summary,
            shortcomings,
            plan,
        }
    }
}

/// The reporting period.
#[derive(Debug, Clone, Serialize)]
pub struct Period {
    /// First day, ISO.
    pub start: String,
    /// Last day, ISO.
    pub end: String,
    /// First day in words.
    pub start_text: String,
    /// Last day in words.
    pub end_text: String,
    /// The whole period in words.
    pub text: String,
}

/// A tree of figures: numbers as text, tables by key.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum FigureTree {
    /// A number, as text.
    Number(String),
    /// A whole number in `figures`, as a number, so that a template can compare it
    /// (exactly: a template's integers are integers).
    Integer(i64),
    /// A table.
    Table(IndexMap<String, FigureTree>),
}

/// One metric as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct MetricRecord {
    /// Its name.
    pub name: String,
    /// Its label.
    pub label: String,
    /// The rounded number for the language, or "—".
    pub number: String,
    /// The number with its unit.
    pub display: String,
    /// The rounded number as a plain decimal.
    pub value: Option<String>,
    /// The unrounded value.
    pub exact: Option<String>,
    /// The unit.
    pub unit: String,
    /// Displayed decimal places.
    pub decimals: u32,
    /// Whether the value is defined.
    pub defined: bool,
    /// The good direction.
    pub better: Option<Better>,
    /// Whether it is a rate.
    pub is_rate: bool,
    /// `count`, `rate` or `ratio`: how its change is worded.
    pub kind: MetricKind,
    /// Last year's value with its unit, or "—".
    pub previous: String,
    /// The change from last year, signed, with the unit of the change
    /// (`+0.72个千分点`, `+0.72 ‰ pts`), or "—".
    pub change: String,
    /// The change as running text says it (`提高0.72个千分点`), or "—".
    pub change_text: String,
    /// `up`, `down` or `same`; absent without a previous value.
    pub direction: Option<&'static str>,
    /// Whether the change is for the better, by `better`; absent when `better` is
    /// not set or nothing changed.
    pub improved: Option<bool>,
    /// The change as the indicator table shows it: the arrow of `direction`, the
    /// signed change and the verdict of `improved` (`↓ -0.34个千分点，向好`), or "—".
    pub trend: String,
}

/// A target as templates see it: the bound in words, the actual value, met or not.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TargetRecord {
    /// The metric's name.
    pub name: String,
    /// Its label.
    pub label: String,
    /// The target in words.
    pub target: String,
    /// The lower bound, exact.
    pub min: Option<String>,
    /// The upper bound, exact.
    pub max: Option<String>,
    /// The actual value with its unit.
    pub actual: String,
    /// Met or not; absent when undetermined.
    pub met: Option<bool>,
    /// The verdict in words.
    pub result: &'static str,
}

/// A chart as the Markdown templates link it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChartRef {
    /// The metric.
    pub metric: String,
    /// The SVG file beside the report.
    pub file: String,
    /// Alternative text, escaped for `![…]`.
    pub alt: String,
}

/// The rendered summary (`summary.*`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SummaryText {
    /// The opening paragraph.
    pub opening: Option<String>,
    /// The indicators paragraph.
    pub indicators: Option<String>,
    /// The sections.
    pub sections: Vec<SectionText>,
    /// The shortcomings paragraph.
    pub shortcomings: Option<String>,
}

/// The rendered plan (`plan.*`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanText {
    /// The guiding principle.
    pub guiding_principle: Option<String>,
    /// The key items.
    pub items: Vec<SectionText>,
}

/// A rendered section or plan item. A text that failed to render is absent.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SectionText {
    /// Its heading.
    pub title: Option<String>,
    /// Its paragraph.
    pub text: Option<String>,
    /// Its points.
    pub points: Vec<Option<String>>,
}

/// What the lists and optional parts of a report context hold, one record of
/// each, for looking up a field where this year's context has none to look in
/// (no plan, every target met): [`super::names::unknown_among`]'s `shapes`.
pub fn shapes() -> &'static tera::Value {
    static SHAPES: std::sync::OnceLock<tera::Value> = std::sync::OnceLock::new();
    SHAPES.get_or_init(|| {
        let text = || Some(String::new());
        let section = SectionText {
            title: text(),
            text: text(),
            points: vec![text()],
        };
        let target = TargetRecord::default();
        tera::Value::from_serializable(&serde_json::json!({
            "summary": SummaryText {
                opening: text(),
                indicators: text(),
                sections: vec![section.clone()],
                shortcomings: text(),
            },
            "plan": PlanText {
                guiding_principle: text(),
                items: vec![section],
            },
            "targets": [target.clone()],
            "targets_unmet": [target.clone()],
            "plan_targets": [target],
            "charts": [ChartRef::default()],
        }))
    })
}

/// The organisation's name in `lang`, the other language's standing in; when it
/// has none at all, the placeholder `check` warns of ("(to be written)"), not a
/// blank that leaves " · 统计时段" and an empty 落款 line.
pub fn organisation(project: &Project, lang: Lang) -> String {
    let name = text_in(&project.config.organisation, lang);
    if name.trim().is_empty() {
        lang.words().unwritten_md.to_string()
    } else {
        name
    }
}

fn text_in(t: &Text, lang: Lang) -> String {
    t.or_fallback(lang).to_string()
}

/// The title of a year's report from the pattern in `nianbao.toml`.
pub fn title(project: &Project, year: i32, lang: Lang) -> String {
    let pattern = match &project.config.title {
        // Left empty in both languages: the placeholder `check` warns of, not an
        // empty heading.
        Some(t) if t.get_or_fallback(lang).0.trim().is_empty() => {
            lang.words().unwritten_md.to_string()
        }
        Some(t) => text_in(t, lang),
        None => lang.words().default_title.to_string(),
    };
    pattern
        .replace("{year}", &year.to_string())
        .replace("{next}", &(year + 1).to_string())
}

impl MetricRecord {
    /// The record of metric `m` with value `value`, and `previous`, last year's.
    pub fn new(
        m: &MetricDef,
        value: Option<&Exact>,
        previous: Option<&Exact>,
        mode: Rounding,
        lang: Lang,
    ) -> MetricRecord {
        let number = format::value(value, m.decimals, mode, lang);
        let delta = change(m, previous, value, mode);
        let signed = format::change_signed(m, delta.as_ref(), mode, lang);
        let good = delta.as_ref().and_then(|d| d.good);
        let direction = delta.as_ref().map(|d| d.direction);
        MetricRecord {
            name: m.name.clone(),
            label: text_in(&m.label, lang),
            display: format::with_unit(&number, &m.unit, lang),
            number,
            value: value.map(|v| v.to_fixed(m.decimals, mode)),
            exact: value.map(|v| v.to_exact_string_for(m.decimals)),
            unit: m.unit.get(lang).to_string(),
            decimals: m.decimals,
            defined: value.is_some(),
            better: m.better,
            // Whether the change is computed in points (`compute::change_kind`),
            // not the kind alone: a `kind = "rate"` without a unit changes in
            // points, and a `kind = "ratio"` in `%` too (a difference of two
            // percentages is in points); a rate per 10,000 does not.
            is_rate: matches!(
                change_kind(m),
                ChangeKind::PercentPoints | ChangeKind::PermillePoints
            ),
            kind: m.kind(),
            // PRODUCT.md: where either value is undefined, `prev` and `chg` both
            // read "—": last year's value alone would invite a comparison the
            // report cannot make.
            previous: format::with_unit(
                &format::value(previous.filter(|_| value.is_some()), m.decimals, mode, lang),
                &m.unit,
                lang,
            ),
            trend: format::change_cell(m, delta.as_ref(), mode, lang),
            change: signed,
            change_text: format::change_phrase(m, delta.as_ref(), mode, lang),
            direction: direction.map(|d| d.code()),
            improved: good,
        }
    }
}

impl MetricRecord {
    /// The record with its text from the data escaped for Markdown: what the
    /// Markdown templates see.
    fn for_markdown(mut self) -> MetricRecord {
        let md = crate::escape::markdown;
        self.label = md(&self.label);
        self.display = md(&self.display);
        self.unit = md(&self.unit);
        self.previous = md(&self.previous);
        self.change = md(&self.change);
        self.change_text = md(&self.change_text);
        self.trend = md(&self.trend);
        self
    }
}

impl TargetRecord {
    /// The record with its text from the data escaped for Markdown.
    fn for_markdown(mut self) -> TargetRecord {
        let md = crate::escape::markdown;
        self.label = md(&self.label);
        self.target = md(&self.target);
        self.actual = md(&self.actual);
        self
    }

    /// The record of a judged target; `None` when its metric is not in the catalogue.
    pub fn new(
        project: &Project,
        t: &TargetResult,
        value: Option<&Exact>,
        lang: Lang,
    ) -> Option<TargetRecord> {
        let mode = project.config.rounding;
        let m = project.catalogue.metrics.get(&t.metric)?;
        let w = lang.words();
        let bound = |v: &Exact| {
            format::with_unit(&format::number(&v.to_exact_string(), lang), &m.unit, lang)
        };
        let sep = w.space;
        let target = match (&t.min, &t.max) {
            // "95至95" reads as a slip: one value is "等于95" / "exactly 95".
            (Some(lo), Some(hi)) if lo == hi => format!("{}{sep}{}", w.exactly, bound(lo)),
            (Some(lo), Some(hi)) => format!("{}{sep}{}{sep}{}", bound(lo), w.between, bound(hi)),
            (Some(lo), None) => format!("{}{sep}{}", w.at_least, bound(lo)),
            (None, Some(hi)) => format!("{}{sep}{}", w.at_most, bound(hi)),
            (None, None) => String::new(),
        };
        let number = format::value(value, m.decimals, mode, lang);
        Some(TargetRecord {
            name: m.name.clone(),
            label: text_in(&m.label, lang),
            target,
            min: t.min.as_ref().map(Exact::to_exact_string),
            max: t.max.as_ref().map(Exact::to_exact_string),
            actual: format::with_unit(&number, &m.unit, lang),
            met: t.met,
            result: verdict(t.met, w),
        })
    }
}

fn verdict(met: Option<bool>, w: &Words) -> &'static str {
    match met {
        Some(true) => w.met,
        Some(false) => w.not_met,
        None => w.unknown,
    }
}

fn figure_tree(table: &IndexMap<String, Figure>, lang: Option<Lang>) -> FigureTree {
    let map = table
        .iter()
        .map(|(k, v)| {
            let value = match v {
                Figure::Number(n, _) => match (lang, n.to_i64()) {
                    (Some(l), _) => FigureTree::Number(format::number(&n.to_exact_string(), l)),
                    (None, Some(whole)) => FigureTree::Integer(whole),
                    // A decimal stays exact: a template has no exact decimal number.
                    (None, None) => FigureTree::Number(n.to_exact_string()),
                },
                Figure::Table(t, _) => figure_tree(t, lang),
            };
            (k.clone(), value)
        })
        .collect();
    FigureTree::Table(map)
}

/// Records of judged targets, leaving out those of unknown metrics.
pub fn target_records(
    project: &Project,
    list: &[TargetResult],
    values: &YearValues,
    lang: Lang,
) -> Vec<TargetRecord> {
    list.iter()
        .filter_map(|tr| {
            let value = values.metrics.get(&tr.metric).and_then(Option::as_ref);
            TargetRecord::new(project, tr, value, lang)
        })
        .collect()
}

impl ReportContext {
    /// Everything but the narrative (`summary`, `plan` stay empty until it renders):
    /// year, period, figures, metrics and their change from `previous` (last year's
    /// values, when that year computed), targets, labels and the charts.
    pub fn new(
        project: &Project,
        year: &YearData,
        values: &YearValues,
        previous: Option<&YearValues>,
        years: Vec<i32>,
        charts: Vec<ChartRef>,
        lang: Lang,
    ) -> ReportContext {
        let mode = project.config.rounding;
        let w = lang.words();
        let metrics: Vec<MetricRecord> = project
            .catalogue
            .metrics
            .iter()
            .map(|(name, def)| {
                let value = values.metrics.get(name).and_then(Option::as_ref);
                let before = previous
                    .and_then(|p| p.metrics.get(name))
                    .and_then(Option::as_ref);
                MetricRecord::new(def, value, before, mode, lang).for_markdown()
            })
            .collect();
        let markdown = |list: Vec<TargetRecord>| -> Vec<TargetRecord> {
            list.into_iter().map(TargetRecord::for_markdown).collect()
        };
        let targets = markdown(target_records(project, &values.targets, values, lang));
        let targets_unmet: Vec<TargetRecord> = targets
            .iter()
            .filter(|t| t.met != Some(true))
            .cloned()
            .collect();
        let (banner_title, banner) = match year.status {
            Status::Final => (None, None),
            Status::Preliminary => (Some(w.banner_title_preliminary), Some(w.banner_preliminary)),
            Status::Draft => (Some(w.banner_title_draft), Some(w.banner_draft)),
        };
        ReportContext {
            lang: lang.code(),
            year: year.year,
            next_year: year.year + 1,
            years,
            prev_year: previous.map(|p| p.year),
            org: crate::escape::markdown(&organisation(project, lang)),
            title: crate::escape::markdown(&title(project, year.year, lang)),
            period: Period {
                start: year.start.to_string(),
                end: year.end.to_string(),
                start_text: format::date(year.start, lang),
                end_text: format::date(year.end, lang),
                text: format::period(year.start, year.end, lang),
            },
            status: year.status,
            banner,
            banner_title,
            source: year
                .source_notes
                .iter()
                .map(|(k, v)| (k.clone(), crate::escape::markdown(v)))
                .collect(),
            f: figure_tree(&year.figures, Some(lang)),
            figures: figure_tree(&year.figures, None),
            m: metrics
                .iter()
                .map(|r| (r.name.clone(), r.display.clone()))
                .collect(),
            n: metrics
                .iter()
                .map(|r| (r.name.clone(), r.number.clone()))
                .collect(),
            prev: metrics
                .iter()
                .map(|r| (r.name.clone(), r.previous.clone()))
                .collect(),
            chg: metrics
                .iter()
                .map(|r| (r.name.clone(), r.change_text.clone()))
                .collect(),
            metric: metrics
                .iter()
                .map(|r| (r.name.clone(), r.clone()))
                .collect(),
            metrics,
            target: targets
                .iter()
                .map(|t| (t.name.clone(), t.clone()))
                .collect(),
            targets_all_met: !targets.is_empty() && targets_unmet.is_empty(),
            targets,
            targets_unmet,
            plan_targets: markdown(target_records(project, &values.plan_targets, values, lang)),
            t: Labels::new(lang, year.year),
            parts: Parts::of(year),
            charts,
            summary: None,
            plan: None,
        }
    }
}
