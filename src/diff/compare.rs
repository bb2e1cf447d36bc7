//! Comparing two years, pure: two computed years in, a structured list of changes
//! out. No I/O and no printing; the presentations beside this file format it.
//!
//! - Metrics: the change is the one the report shows ([`crate::compute::change`]).
//! - Targets: those of the later year, judged.
//! - Figures: every raw figure whose value differs, or that is in one year only.
//! - Narrative: summary sections and plan items matched by title; each text that
//!   changed is diffed word by word (Chinese character by character, since it has
//!   no spaces between words), with the `similar` crate. The texts are compared
//!   as given: [`super::produce`] passes them as the reports read (numbers filled in).

use indexmap::IndexMap;
use similar::ChangeTag;

use super::words::{Segment, words};
use crate::compute::change::{Change, change};
use crate::compute::{TargetResult, YearValues};
use crate::exact::Exact;
use crate::i18n::Lang;
use crate::model::{Figure, Project, Section, Text, YearData};

/// One year as the comparison needs it.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    /// The loaded data (figures, narrative).
    pub data: &'a YearData,
    /// The computed values.
    pub values: &'a YearValues,
}

/// Everything that changed from one year to another.
#[derive(Debug, Clone)]
pub struct Diff {
    /// The earlier year.
    pub from: i32,
    /// The later year.
    pub to: i32,
    /// The status of each year (a draft or preliminary year says so in the
    /// title: its figures may still change).
    pub statuses: [crate::model::Status; 2],
    /// The language of the narrative comparison.
    pub lang: Lang,
    /// Every metric of the catalogue, in its order.
    pub metrics: Vec<MetricChange>,
    /// The later year's targets, judged.
    pub targets: Vec<TargetResult>,
    /// Raw figures that differ.
    pub figures: Vec<FigureChange>,
    /// Summary sections and the opening and shortcomings that changed.
    pub summary: Vec<TextChange>,
    /// Plan items (and the guiding principle) added, removed or reworded.
    pub plan: Vec<TextChange>,
}

impl Diff {
    /// The title, with a note for each year whose figures are not final:
    /// `2006年与2007年对比（2007年为草稿）`, `Changes from 2006 to 2007 (2007: DRAFT)`.
    pub fn title(&self) -> String {
        use crate::model::Status;
        let w = self.lang.words();
        let mut title = w.diff_title(self.from, self.to);
        for (year, status) in [self.from, self.to].into_iter().zip(self.statuses) {
            let kind = match status {
                Status::Final => continue,
                Status::Preliminary => w.banner_title_preliminary,
                Status::Draft => w.banner_title_draft,
            };
            if self.lang == Lang::Zh {
                title.push_str(&format!("（{year}年为{kind}）"));
            } else {
                title.push_str(&format!(" ({year}: {kind})"));
            }
        }
        title
    }

    /// True when nothing at all differs.
    pub fn is_empty(&self) -> bool {
        self.metrics.iter().all(|m| m.from == m.to)
            && self.figures.is_empty()
            && self.summary.is_empty()
            && self.plan.is_empty()
    }
}

/// A metric in both years.
#[derive(Debug, Clone)]
pub struct MetricChange {
    /// The metric's name in the catalogue.
    pub name: String,
    /// Its value in the earlier year (`None`: undefined).
    pub from: Option<Exact>,
    /// Its value in the later year.
    pub to: Option<Exact>,
    /// The change, when both values are defined.
    pub change: Option<Change>,
}

/// A raw figure that differs between the years.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureChange {
    /// Its dotted path.
    pub path: String,
    /// The earlier value (`None`: not in that year).
    pub from: Option<Exact>,
    /// The later value.
    pub to: Option<Exact>,
}

/// What happened to a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextChangeKind {
    /// Only in the later year.
    Added,
    /// Only in the earlier year.
    Removed,
    /// In both, worded differently.
    Reworded,
}

/// A narrative text (a section, an item, the opening …) that changed.
#[derive(Debug, Clone)]
pub struct TextChange {
    /// What it is: a section's title, or a fixed name such as `opening`.
    pub title: String,
    /// Which part: `opening`, `section`, `shortcomings`, `guiding_principle`, `item`.
    pub part: &'static str,
    /// Added, removed or reworded.
    pub kind: TextChangeKind,
    /// The word-level diff of its words (all inserted or all deleted when added or removed).
    pub segments: Vec<Segment>,
}

/// Compares two years of one project. `lang` chooses the language of the narrative
/// comparison; numbers are language-free here.
pub fn compare(project: &Project, from: Side, to: Side, lang: Lang) -> Diff {
    let mode = project.config.rounding;
    let metrics = project
        .catalogue
        .metrics
        .values()
        .map(|m| {
            let a = from.values.metrics.get(&m.name).cloned().flatten();
            let b = to.values.metrics.get(&m.name).cloned().flatten();
            MetricChange {
                name: m.name.clone(),
                change: change(m, a.as_ref(), b.as_ref(), mode),
                from: a,
                to: b,
            }
        })
        .collect();
    Diff {
        from: from.data.year,
        to: to.data.year,
        statuses: [from.data.status, to.data.status],
        lang,
        metrics,
        targets: to.values.targets.clone(),
        figures: figures(&from.data.figures, &to.data.figures),
        summary: summary(from.data, to.data, lang),
        plan: plan(from.data, to.data, lang),
    }
}

/// Figures that differ: the earlier year's order first, then those new in the later.
fn figures(a: &IndexMap<String, Figure>, b: &IndexMap<String, Figure>) -> Vec<FigureChange> {
    let paths_a = Figure::paths(a);
    let paths_b = Figure::paths(b);
    let mut out = Vec::new();
    for path in paths_a
        .iter()
        .chain(paths_b.iter().filter(|p| !paths_a.contains(p)))
    {
        let (x, y) = (Figure::number_at(a, path), Figure::number_at(b, path));
        if x != y {
            out.push(FigureChange {
                path: path.clone(),
                from: x.cloned(),
                to: y.cloned(),
            });
        }
    }
    out
}

fn text_of(t: Option<&Text>, lang: Lang) -> String {
    t.map(|t| t.get_or_fallback(lang).0.trim().to_string())
        .unwrap_or_default()
}

/// A section's words: its text and points, one paragraph each.
fn section_body(s: &Section, lang: Lang) -> String {
    let mut parts = vec![text_of(s.text.as_ref(), lang)];
    parts.extend(s.points.iter().map(|p| text_of(Some(p), lang)));
    parts.retain(|p| !p.is_empty());
    parts.join("\n\n")
}

fn whole(tag: ChangeTag, text: String) -> Vec<Segment> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Segment { tag, text }]
    }
}

/// One optional text in both years: added, removed or reworded, or nothing.
fn single(
    part: &'static str,
    title: &str,
    a: Option<&Text>,
    b: Option<&Text>,
    lang: Lang,
) -> Option<TextChange> {
    let (x, y) = (text_of(a, lang), text_of(b, lang));
    let kind = match (x.is_empty(), y.is_empty()) {
        _ if x == y => return None,
        (true, false) => TextChangeKind::Added,
        (false, true) => TextChangeKind::Removed,
        _ => TextChangeKind::Reworded,
    };
    Some(TextChange {
        title: title.to_string(),
        part,
        kind,
        segments: words(&x, &y, lang),
    })
}

/// Sections matched by title (in either language): reworded when their words
/// differ, added or removed when a title is in one year only.
fn sections(part: &'static str, a: &[Section], b: &[Section], lang: Lang) -> Vec<TextChange> {
    let same = |x: &Section, y: &Section| {
        Lang::ALL.iter().any(|&l| {
            matches!((x.title.get(l), y.title.get(l)), (Some(p), Some(q)) if p.text.trim() == q.text.trim())
        })
    };
    let title = |s: &Section| s.title.get_or_fallback(lang).0.trim().to_string();
    let mut out = Vec::new();
    let mut matched_a = vec![false; a.len()];
    for y in b {
        match a.iter().position(|x| same(x, y)) {
            Some(i) => {
                matched_a[i] = true;
                let x = &a[i];
                let (tx, ty) = (title(x), title(y));
                let (bx, by) = (section_body(x, lang), section_body(y, lang));
                if tx != ty || bx != by {
                    let mut segments = Vec::new();
                    if tx != ty {
                        segments = words(&tx, &ty, lang);
                        segments.push(Segment {
                            tag: ChangeTag::Equal,
                            text: "\n\n".into(),
                        });
                    }
                    segments.extend(words(&bx, &by, lang));
                    out.push(TextChange {
                        title: ty,
                        part,
                        kind: TextChangeKind::Reworded,
                        segments,
                    });
                }
            }
            None => out.push(TextChange {
                title: title(y),
                part,
                kind: TextChangeKind::Added,
                segments: whole(ChangeTag::Insert, section_body(y, lang)),
            }),
        }
    }
    for (x, _) in a.iter().zip(&matched_a).filter(|(_, m)| !**m) {
        out.push(TextChange {
            title: title(x),
            part,
            kind: TextChangeKind::Removed,
            segments: whole(ChangeTag::Delete, section_body(x, lang)),
        });
    }
    out
}

fn summary(a: &YearData, b: &YearData, lang: Lang) -> Vec<TextChange> {
    let (sa, sb) = (a.summary.as_ref(), b.summary.as_ref());
    let mut out = Vec::new();
    out.extend(single(
        "opening",
        "",
        sa.and_then(|s| s.opening.as_ref()),
        sb.and_then(|s| s.opening.as_ref()),
        lang,
    ));
    out.extend(single(
        "indicators",
        "",
        sa.and_then(|s| s.indicators.as_ref()),
        sb.and_then(|s| s.indicators.as_ref()),
        lang,
    ));
    out.extend(sections(
        "section",
        sa.map(|s| s.sections.as_slice()).unwrap_or_default(),
        sb.map(|s| s.sections.as_slice()).unwrap_or_default(),
        lang,
    ));
    out.extend(single(
        "shortcomings",
        "",
        sa.and_then(|s| s.shortcomings.as_ref()),
        sb.and_then(|s| s.shortcomings.as_ref()),
        lang,
    ));
    out
}

fn plan(a: &YearData, b: &YearData, lang: Lang) -> Vec<TextChange> {
    let (pa, pb) = (a.plan.as_ref(), b.plan.as_ref());
    let mut out = Vec::new();
    out.extend(single(
        "guiding_principle",
        "",
        pa.and_then(|p| p.guiding_principle.as_ref()),
        pb.and_then(|p| p.guiding_principle.as_ref()),
        lang,
    ));
    out.extend(sections(
        "item",
        pa.map(|p| p.items.as_slice()).unwrap_or_default(),
        pb.map(|p| p.items.as_slice()).unwrap_or_default(),
        lang,
    ));
    out
}
