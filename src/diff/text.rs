//! The diff for a terminal: aligned columns (Chinese counts double width), colour by
//! the metric's `better` only when asked.

use std::fmt::Write as _;

use similar::ChangeTag;
use unicode_width::UnicodeWidthStr;

use super::compare::{Diff, TextChangeKind};
use super::view::{elide, figure_value, metric_rows, target_rows, text_heading};
use crate::i18n::Lang;
use crate::model::Project;
use crate::render::context::{TargetRecord, title};

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn pad_left(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{}{s}", " ".repeat(width.saturating_sub(w)))
}

fn paint(s: &str, style: anstyle::Style, colour: bool) -> String {
    if colour && !s.is_empty() {
        format!("{style}{s}{style:#}")
    } else {
        s.to_string()
    }
}

fn style(colour: anstyle::AnsiColor) -> anstyle::Style {
    anstyle::Style::new().fg_color(Some(colour.into()))
}

fn good_style(good: Option<bool>) -> anstyle::Style {
    match good {
        Some(true) => style(anstyle::AnsiColor::Green),
        Some(false) => style(anstyle::AnsiColor::Red),
        None => anstyle::Style::new(),
    }
}

/// The diff for a terminal: aligned columns (Chinese counts double width), colour by
/// the metric's `better` only when `colour`.
pub fn text(project: &Project, d: &Diff, colour: bool) -> String {
    let w = d.lang.words();
    let bold = anstyle::Style::new().bold();
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint(&d.title(), bold, colour));
    let _ = writeln!(out, "{}", title(project, d.to, d.lang));
    if d.is_empty() {
        let _ = writeln!(out, "\n{}", w.nothing);
    }

    let rows = metric_rows(project, d);
    let _ = writeln!(out, "\n{}", paint(w.diff_indicators, bold, colour));
    let head = [
        w.metric.to_string(),
        d.from.to_string(),
        d.to.to_string(),
        w.change.to_string(),
    ];
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            rows.iter()
                .map(|r| {
                    let cell = match i {
                        0 => &r.label,
                        1 => &r.from,
                        2 => &r.to,
                        _ => &r.trend,
                    };
                    UnicodeWidthStr::width(cell.as_str())
                })
                .chain([UnicodeWidthStr::width(head[i].as_str())])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let _ = writeln!(
        out,
        "  {}  {}  {}  {}",
        pad(&head[0], widths[0]),
        pad_left(&head[1], widths[1]),
        pad_left(&head[2], widths[2]),
        head[3],
    );
    for r in &rows {
        // The change cell as the report writes it (arrow first, then the verdict),
        // left-aligned: its words differ in length, its arrow leads.
        let line = format!(
            "  {}  {}  {}  {}",
            pad(&r.label, widths[0]),
            pad_left(&r.from, widths[1]),
            pad_left(&r.to, widths[2]),
            paint(&r.trend, good_style(r.good), colour),
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }

    let _ = writeln!(out, "\n{}", paint(&w.targets_of(d.to), bold, colour));
    let targets = target_rows(project, d);
    if targets.is_empty() {
        let _ = writeln!(out, "  {}", w.no_targets);
    }
    let width = |cell: fn(&TargetRecord) -> &str| {
        targets
            .iter()
            .map(|t| UnicodeWidthStr::width(cell(t)))
            .max()
            .unwrap_or(0)
    };
    let tw = [
        width(|t| &t.label),
        width(|t| &t.target),
        width(|t| &t.actual),
    ];
    for t in &targets {
        let _ = writeln!(
            out,
            "  {}  {}  {}  {}",
            pad(&t.label, tw[0]),
            pad(&t.target, tw[1]),
            pad_left(&t.actual, tw[2]),
            paint(t.result, good_style(t.met), colour)
        );
    }

    let count = match d.lang {
        Lang::Zh => format!("（{}项）", d.figures.len()),
        Lang::En => format!(" ({})", d.figures.len()),
    };
    let _ = writeln!(out, "\n{}{count}", paint(w.figures, bold, colour));
    if d.figures.is_empty() {
        let _ = writeln!(out, "  {}", w.nothing);
    }
    let pw = d.figures.iter().map(|f| f.path.len()).max().unwrap_or(0);
    for f in &d.figures {
        let _ = writeln!(
            out,
            "  {}  {} → {}",
            pad(&f.path, pw),
            figure_value(f.from.as_ref(), d.lang),
            figure_value(f.to.as_ref(), d.lang)
        );
    }

    for (heading, list) in [
        (w.diff_summary.to_string(), &d.summary),
        (w.diff_plan.to_string(), &d.plan),
    ] {
        let _ = writeln!(out, "\n{}", paint(&heading, bold, colour));
        if list.is_empty() {
            let _ = writeln!(out, "  {}", w.nothing);
        }
        for t in list {
            let mark = match t.kind {
                TextChangeKind::Added => paint("+", style(anstyle::AnsiColor::Green), colour),
                TextChangeKind::Removed => paint("-", style(anstyle::AnsiColor::Red), colour),
                TextChangeKind::Reworded => paint("~", style(anstyle::AnsiColor::Yellow), colour),
            };
            let _ = writeln!(out, "  {mark} {}", text_heading(t, w));
            let mut body = String::new();
            for s in elide(t, d.lang) {
                let piece = match (s.tag, colour) {
                    (ChangeTag::Equal, _) => s.text.clone(),
                    (ChangeTag::Delete, true) => paint(
                        &s.text,
                        style(anstyle::AnsiColor::Red).strikethrough(),
                        true,
                    ),
                    (ChangeTag::Insert, true) => {
                        paint(&s.text, style(anstyle::AnsiColor::Green).underline(), true)
                    }
                    (ChangeTag::Delete, false) => format!("[-{}-]", s.text),
                    (ChangeTag::Insert, false) => format!("{{+{}+}}", s.text),
                };
                body.push_str(&piece);
            }
            for line in body.split('\n').filter(|l| !l.trim().is_empty()) {
                let _ = writeln!(out, "      {}", line.trim());
            }
        }
    }
    out
}
