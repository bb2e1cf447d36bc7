//! The diff as one self-contained HTML page: the template `diff.html` over a typed
//! context. All text is plain (Tera escapes it), except the chart SVGs, which
//! nianbao drew itself.

use serde::Serialize;
use similar::ChangeTag;

use super::compare::{Diff, TextChange, TextChangeKind};
use super::view::{elide, figure_value, metric_rows, target_rows, text_heading};
use crate::model::Project;
use crate::render::context::{TargetRecord, title};

/// The context of `templates/diff.html`.
#[derive(Debug, Default, Serialize)]
pub struct DiffPage {
    lang: &'static str,
    html_lang: &'static str,
    title: String,
    report_title: String,
    from: i32,
    to: i32,
    metrics: Vec<Row>,
    targets: Vec<TargetRecord>,
    figures: Vec<FigureRow>,
    narrative: [Part; 2],
    charts: String,
    w: Headings,
}

#[derive(Debug, Default, Serialize)]
struct Row {
    name: String,
    label: String,
    from: String,
    to: String,
    change: String,
    /// The change column as the report writes it: arrow, change, verdict.
    trend: String,
    arrow: &'static str,
    class: &'static str,
    verdict: &'static str,
}

#[derive(Debug, Default, Serialize)]
struct FigureRow {
    path: String,
    from: String,
    to: String,
}

#[derive(Debug, Default, Serialize)]
struct Part {
    heading: &'static str,
    items: Vec<Item>,
}

#[derive(Debug, Default, Serialize)]
struct Item {
    heading: String,
    kind: &'static str,
    paragraphs: Vec<Vec<Piece>>,
}

#[derive(Debug, Default, Serialize)]
struct Piece {
    op: &'static str,
    text: String,
}

#[derive(Debug, Default, Serialize)]
struct Headings {
    indicators: &'static str,
    metric: &'static str,
    change: &'static str,
    trend: &'static str,
    targets: String,
    target: &'static str,
    actual: &'static str,
    result: &'static str,
    figures: &'static str,
    figure: &'static str,
    summary: &'static str,
    plan: &'static str,
    nothing: &'static str,
    no_targets: &'static str,
    trends: &'static str,
}

/// The name of a text change, for the page's CSS classes.
pub(super) fn kind_name(kind: TextChangeKind) -> &'static str {
    match kind {
        TextChangeKind::Added => "added",
        TextChangeKind::Removed => "removed",
        TextChangeKind::Reworded => "reworded",
    }
}

/// The name of a diff operation.
pub(super) fn op_name(tag: ChangeTag) -> &'static str {
    match tag {
        ChangeTag::Equal => "equal",
        ChangeTag::Delete => "delete",
        ChangeTag::Insert => "insert",
    }
}

/// The page's context; `charts_svg` is the trend charts, drawn.
pub fn page(project: &Project, d: &Diff, charts_svg: String) -> DiffPage {
    let w = d.lang.words();
    let metrics = metric_rows(project, d)
        .into_iter()
        .map(|r| Row {
            class: match r.good {
                Some(true) => "good",
                Some(false) => "bad",
                None => "neutral",
            },
            verdict: match r.good {
                Some(true) => w.better,
                Some(false) => w.worse,
                None => "",
            },
            name: r.name,
            label: r.label,
            from: r.from,
            to: r.to,
            change: r.change,
            trend: r.trend,
            arrow: r.arrow,
        })
        .collect();
    let figures = d
        .figures
        .iter()
        .map(|f| FigureRow {
            path: f.path.clone(),
            from: figure_value(f.from.as_ref(), d.lang),
            to: figure_value(f.to.as_ref(), d.lang),
        })
        .collect();
    let items = |list: &[TextChange]| -> Vec<Item> {
        list.iter()
            .map(|t| {
                let mut paragraphs: Vec<Vec<Piece>> = vec![Vec::new()];
                for s in elide(t, d.lang) {
                    for (i, piece) in s.text.split("\n\n").enumerate() {
                        if i > 0 {
                            paragraphs.push(Vec::new());
                        }
                        if !piece.is_empty()
                            && let Some(p) = paragraphs.last_mut()
                        {
                            p.push(Piece {
                                op: op_name(s.tag),
                                text: piece.to_string(),
                            });
                        }
                    }
                }
                paragraphs.retain(|p| !p.is_empty());
                Item {
                    heading: text_heading(t, w),
                    kind: kind_name(t.kind),
                    paragraphs,
                }
            })
            .collect()
    };
    DiffPage {
        lang: d.lang.code(),
        html_lang: d.lang.html_code(),
        title: d.title(),
        report_title: title(project, d.to, d.lang),
        from: d.from,
        to: d.to,
        metrics,
        targets: target_rows(project, d),
        figures,
        narrative: [
            Part {
                heading: w.diff_summary,
                items: items(&d.summary),
            },
            Part {
                heading: w.diff_plan,
                items: items(&d.plan),
            },
        ],
        charts: charts_svg,
        w: Headings {
            indicators: w.diff_indicators,
            metric: w.metric,
            change: w.change,
            trend: w.trend,
            targets: w.targets_of(d.to),
            target: w.target,
            actual: w.actual,
            result: w.result,
            figures: w.figures,
            figure: w.figure,
            summary: w.diff_summary,
            plan: w.diff_plan,
            nothing: w.nothing,
            no_targets: w.no_targets,
            trends: w.trends,
        },
    }
}

/// A page of the shape [`page`] makes, with one row in every list (and every
/// value empty): what `check` looks the names of `diff.html` up in, loop
/// variables included, without two years to compare.
pub fn shape() -> DiffPage {
    let part = || Part {
        heading: "",
        items: vec![Item {
            paragraphs: vec![vec![Piece::default()]],
            ..Item::default()
        }],
    };
    DiffPage {
        metrics: vec![Row::default()],
        targets: vec![TargetRecord::default()],
        figures: vec![FigureRow::default()],
        narrative: [part(), part()],
        ..DiffPage::default()
    }
}
