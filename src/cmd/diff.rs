//! `nianbao diff A B`: compares two years (`diff.rs` does the comparing) and
//! prints the result as text for a terminal, Markdown, a self-contained HTML
//! page or JSON. The years must exist (exit 2 otherwise, naming those that do);
//! whether or not they differ, the exit status is 0.
//!
//! Every number shown is rounded once from an exact value: a metric at its
//! decimals, a change from the exact difference, a relative change at one
//! decimal. JSON carries decimal strings, never binary floats.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::Path;
use std::process::ExitCode;

use serde_json::{Value as Json, json};
use similar::ChangeTag;
use unicode_width::UnicodeWidthStr;

use crate::cli::{DiffArgs, DiffFormat, LangArg};
use crate::compute::TargetResult;
use crate::diag::{Diagnostic, Diagnostics, Severity, Sources};
use crate::diff::{
    self, ChangeKind, Diff, Direction, FigureChange, MetricChange, Segment, Side, TextChange,
    TextChangeKind,
};
use crate::exact::Exact;
use crate::load::{Lang, Project, Section, Text, YearData};
use crate::pipeline::{self, Years};
use crate::render::{RenderedYear, charts, context, format};

use super::{DATA_ERROR, print_diagnostics, usage_error};

/// Why a comparison could not be made.
#[derive(Debug)]
pub enum Failure {
    /// A year is not a year, or does not exist (exit 2).
    Usage(String),
    /// The data or templates have errors, with the files they point into (exit 1).
    Data(Box<(Diagnostics, Sources)>),
}

/// Runs `diff`.
pub fn run(root: &Path, args: &DiffArgs, quiet: bool) -> ExitCode {
    let (from, to) = match (
        pipeline::parse_year(&args.from),
        pipeline::parse_year(&args.to),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return usage_error(e),
    };
    let lang = match args.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let to_terminal = args.out.is_none() && std::io::stdout().is_terminal();
    let output = match produce(
        root,
        from,
        to,
        args.format,
        lang,
        colour_wanted(to_terminal),
    ) {
        Ok(text) => text,
        Err(Failure::Usage(e)) => return usage_error(e),
        Err(Failure::Data(failed)) => {
            let (diags, sources) = *failed;
            print_diagnostics(&diags, &sources, quiet);
            return ExitCode::from(DATA_ERROR);
        }
    };
    match &args.out {
        Some(path) => {
            if let Err(e) = crate::write::write_atomic(path, output.as_bytes()) {
                return usage_error(format!("{e:#}"));
            }
            if !quiet {
                eprintln!("wrote {}", path.display());
            }
        }
        None => {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(output.as_bytes()).and_then(|_| out.flush()) {
                // A closed pipe (`| head`) is not an error worth a message.
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return usage_error(format!("cannot write to standard output: {e}"));
                }
            }
        }
    }
    ExitCode::SUCCESS
}

/// Compares two years of the project at `root` and formats the result (`colour`
/// for the text format); `serve` calls this for its diff pages.
pub fn produce(
    root: &Path,
    from: i32,
    to: i32,
    format: DiffFormat,
    lang: Lang,
    colour: bool,
) -> Result<String, Failure> {
    // One run computes every year (the charts span them all) and renders the two
    // compared, so that their narrative is compared as the reports read it
    // (numbers filled in), not as template source.
    let run = pipeline::run(root, &Years::These(vec![from, to]), true)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let Some(project) = &run.project else {
        return Err(Failure::Data(Box::new((run.diags, run.sources))));
    };
    let side = |y: i32| {
        Some(Side {
            data: project.years.get(&y)?,
            values: run.values.get(&y)?,
        })
    };
    let (Some(a), Some(b)) = (side(from), side(to)) else {
        // A year that exists but does not compute: its errors say why.
        let summary = crate::diag::summary_line(&run.diags, &run.sources);
        let mut diags = run.diags.clone();
        diags.items.retain(|d| d.severity == Severity::Error);
        diags.push(Diagnostic::error(format!(
            "cannot compare {from} and {to}: {summary}"
        )));
        return Err(Failure::Data(Box::new((diags, run.sources.clone()))));
    };
    let rendered_a = rendered_narrative(a.data, run.rendered.get(&from));
    let rendered_b = rendered_narrative(b.data, run.rendered.get(&to));
    let a = Side {
        data: &rendered_a,
        ..a
    };
    let b = Side {
        data: &rendered_b,
        ..b
    };
    let d = diff::compare(project, a, b, lang);
    Ok(match format {
        DiffFormat::Text => text(project, &d, colour),
        DiffFormat::Md => markdown(project, &d),
        DiffFormat::Json => json_text(project, &d),
        DiffFormat::Html => {
            // The run compiled the templates to render both years; a template
            // error would have stopped it there.
            let Some(renderer) = &run.renderer else {
                return Err(Failure::Data(Box::new((run.diags, run.sources))));
            };
            let years: Vec<i32> = run
                .values
                .keys()
                .copied()
                .filter(|y| (from.min(to)..=from.max(to)).contains(y))
                .collect();
            let all: Vec<&crate::compute::YearValues> = run.values.values().collect();
            let svg = charts::page_charts(project, &all, &years, lang)
                .into_iter()
                .map(|c| c.svg)
                .collect::<Vec<_>>()
                .join("\n");
            renderer
                .render_named("diff.html", &html_context(project, &d, &svg))
                .map_err(|e| {
                    let mut diags = Diagnostics::default();
                    diags.push(Diagnostic::error(format!(
                        "cannot render templates/diff.html: {e}"
                    )));
                    Failure::Data(Box::new((diags, run.sources.clone())))
                })?
        }
    })
}

/// The year's data with every narrative text replaced by the text its report
/// shows (Tera expressions filled in), in both languages. When the year does not
/// render (a template error), its texts stay as written.
fn rendered_narrative(data: &YearData, rendered: Option<&RenderedYear>) -> YearData {
    let mut out = data.clone();
    let Some(rendered) = rendered else {
        return out;
    };
    for (lang, ctx) in &rendered.contexts {
        let set = |t: &mut Text, v: &Json| {
            // Unwritten texts stay empty (they show as "(to be written)"), and a
            // missing translation stays missing: the other language stands in.
            if let (Some(s), Some(new)) = (t.get_mut(*lang), v.as_str())
                && !s.text.trim().is_empty()
            {
                s.text = new.replace("&lt;", "<").replace("&gt;", ">");
            }
        };
        let section = |sec: &mut Section, v: &Json| {
            set(&mut sec.title, &v["title"]);
            if let Some(t) = &mut sec.text {
                set(t, &v["text"]);
            }
            for (i, p) in sec.points.iter_mut().enumerate() {
                set(p, &v["points"][i]);
            }
        };
        if let Some(summary) = &mut out.summary {
            let v = &ctx["summary"];
            if let Some(t) = &mut summary.opening {
                set(t, &v["opening"]);
            }
            if let Some(t) = &mut summary.indicators {
                set(t, &v["indicators"]);
            }
            for (i, sec) in summary.sections.iter_mut().enumerate() {
                section(sec, &v["sections"][i]);
            }
            if let Some(t) = &mut summary.shortcomings {
                set(t, &v["shortcomings"]);
            }
        }
        if let Some(plan) = &mut out.plan {
            let v = &ctx["plan"];
            if let Some(t) = &mut plan.guiding_principle {
                set(t, &v["guiding_principle"]);
            }
            for (i, item) in plan.items.iter_mut().enumerate() {
                section(item, &v["items"][i]);
            }
        }
    }
    out
}

/// Colour only on a terminal, and never with `NO_COLOR` set.
fn colour_wanted(to_terminal: bool) -> bool {
    to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

// ---------------------------------------------------------------------------
// The view: everything formatted for one language, shared by text, md and html.

/// Fixed wording of the diff, per language.
struct Words {
    title: String,
    indicators: &'static str,
    metric: &'static str,
    change: &'static str,
    trend: &'static str,
    better: &'static str,
    worse: &'static str,
    targets: String,
    target: &'static str,
    actual: &'static str,
    result: &'static str,
    figures: &'static str,
    figure: &'static str,
    summary: &'static str,
    plan: String,
    added: &'static str,
    removed: &'static str,
    reworded: &'static str,
    opening: &'static str,
    indicators_text: &'static str,
    shortcomings: &'static str,
    guiding_principle: &'static str,
    no_change: &'static str,
    nothing: &'static str,
    no_targets: &'static str,
    trends: &'static str,
    colon: &'static str,
}

fn words(lang: Lang, from: i32, to: i32) -> Words {
    match lang {
        Lang::Zh => Words {
            title: format!("{from}年与{to}年对比"),
            indicators: "主要指标",
            metric: "指标",
            change: "变化",
            trend: "评价",
            better: "向好",
            worse: "变差",
            targets: format!("{to}年目标完成情况"),
            target: "目标",
            actual: "实际",
            result: "完成情况",
            figures: "变动的原始数据",
            figure: "数据项",
            summary: "工作总结",
            plan: "工作计划".to_string(),
            added: "新增",
            removed: "删除",
            reworded: "改写",
            opening: "导语",
            indicators_text: "指标概述",
            shortcomings: "存在问题",
            guiding_principle: "指导思想",
            no_change: "持平",
            nothing: "无变化。",
            no_targets: "未设目标。",
            trends: "历年趋势",
            colon: "：",
        },
        Lang::En => Words {
            title: format!("Changes from {from} to {to}"),
            indicators: "Key indicators",
            metric: "Indicator",
            change: "Change",
            trend: "Trend",
            better: "better",
            worse: "worse",
            targets: format!("Targets for {to}"),
            target: "Target",
            actual: "Actual",
            result: "Result",
            figures: "Figures that changed",
            figure: "Figure",
            summary: "Work summary",
            plan: "Work plan".to_string(),
            added: "added",
            removed: "removed",
            reworded: "reworded",
            opening: "Opening",
            indicators_text: "Indicators paragraph",
            shortcomings: "Shortcomings",
            guiding_principle: "Guiding principle",
            no_change: "no change",
            nothing: "No changes.",
            no_targets: "No targets set.",
            trends: "Trends",
            colon: ": ",
        },
    }
}

/// A metric row, formatted.
struct MetricRow {
    name: String,
    label: String,
    from: String,
    to: String,
    change: String,
    arrow: &'static str,
    good: Option<bool>,
}

fn arrow(d: Option<Direction>) -> &'static str {
    match d {
        Some(Direction::Up) => "↑",
        Some(Direction::Down) => "↓",
        Some(Direction::Flat) => "→",
        None => "",
    }
}

/// The change of one metric in words: `+1.28 pp`, `提高1.28个百分点`,
/// `+767 persons (+0.5%)`, `增加767人（增长0.5%）`, or "—".
fn change_text(project: &Project, m: &MetricChange, lang: Lang) -> String {
    let mode = project.config.rounding;
    let Some(def) = project.catalogue.metrics.get(&m.name) else {
        return format::UNDEFINED.into();
    };
    let Some(c) = &m.change else {
        return format::UNDEFINED.into();
    };
    let w = words(lang, 0, 0);
    if c.direction == Direction::Flat {
        return w.no_change.into();
    }
    let magnitude = format::number(&c.shown.abs().to_fixed(def.decimals, mode), lang);
    let signed = format::signed(&c.shown, def.decimals, mode, lang);
    let up = c.direction == Direction::Up;
    let relative = c.relative.as_ref().map(|r| {
        (
            format::signed(r, 1, mode, lang),
            format::number(&r.abs().to_fixed(1, mode), lang),
        )
    });
    match (lang, c.kind) {
        (Lang::En, ChangeKind::PercentPoints) => format!("{signed} pp"),
        (Lang::En, ChangeKind::PermillePoints) => format!("{signed} per-mille points"),
        (Lang::Zh, ChangeKind::PercentPoints | ChangeKind::PermillePoints) => format!(
            "{}{magnitude}个{}",
            if up { "提高" } else { "下降" },
            if c.kind == ChangeKind::PercentPoints {
                "百分点"
            } else {
                "千分点"
            }
        ),
        (Lang::En, ChangeKind::Amount) => {
            let amount = format::with_unit(&signed, &def.unit, lang);
            match relative {
                Some((rel, _)) => format!("{amount} ({rel}%)"),
                None => amount,
            }
        }
        (Lang::Zh, ChangeKind::Amount) => {
            let amount = format::with_unit(&magnitude, &def.unit, lang);
            let verb = if up { "增加" } else { "减少" };
            match relative {
                Some((_, rel)) => format!(
                    "{verb}{amount}（{}{rel}%）",
                    if up { "增长" } else { "下降" }
                ),
                None => format!("{verb}{amount}"),
            }
        }
    }
}

fn metric_rows(project: &Project, d: &Diff) -> Vec<MetricRow> {
    let mode = project.config.rounding;
    d.metrics
        .iter()
        .filter_map(|m| {
            let def = project.catalogue.metrics.get(&m.name)?;
            let show = |v: Option<&Exact>| {
                format::with_unit(
                    &format::value(v, def.decimals, mode, d.lang),
                    &def.unit,
                    d.lang,
                )
            };
            Some(MetricRow {
                name: m.name.clone(),
                label: def.label.get_or_fallback(d.lang).0.to_string(),
                from: show(m.from.as_ref()),
                to: show(m.to.as_ref()),
                change: change_text(project, m, d.lang),
                arrow: arrow(m.change.as_ref().map(|c| c.direction)),
                good: m.change.as_ref().and_then(|c| c.good),
            })
        })
        .collect()
}

fn target_rows(project: &Project, d: &Diff) -> Vec<Json> {
    d.targets
        .iter()
        .map(|t: &TargetResult| {
            let value = d
                .metrics
                .iter()
                .find(|m| m.name == t.metric)
                .and_then(|m| m.to.as_ref());
            context::target_record(project, t, value, d.lang)
        })
        .filter(|j| !j.is_null())
        .collect()
}

fn figure_value(v: Option<&Exact>, lang: Lang) -> String {
    v.map(|v| format::number(&v.to_exact_string(), lang))
        .unwrap_or_else(|| format::UNDEFINED.to_string())
}

fn text_heading(t: &TextChange, w: &Words) -> String {
    let name = match t.part {
        "opening" => w.opening.to_string(),
        "indicators" => w.indicators_text.to_string(),
        "shortcomings" => w.shortcomings.to_string(),
        "guiding_principle" => w.guiding_principle.to_string(),
        _ => t.title.clone(),
    };
    let kind = match t.kind {
        TextChangeKind::Added => w.added,
        TextChangeKind::Removed => w.removed,
        TextChangeKind::Reworded => w.reworded,
    };
    if w.colon == "：" {
        format!("{name}（{kind}）")
    } else {
        format!("{name} ({kind})")
    }
}

/// Shortens the unchanged stretches of a diff to a little context around each
/// change, and whole added or removed texts to their beginning.
fn elide(t: &TextChange, lang: Lang) -> Vec<Segment> {
    let keep = match lang {
        Lang::Zh => 24,
        Lang::En => 60,
    };
    // An old text that was struck out is shown by its beginning only.
    let t = &TextChange {
        segments: t
            .segments
            .iter()
            .map(|s| match s.tag {
                ChangeTag::Delete if t.kind == TextChangeKind::Reworded => Segment {
                    tag: s.tag,
                    text: head(&s.text, keep * 3),
                },
                _ => s.clone(),
            })
            .collect(),
        ..t.clone()
    };
    if t.kind != TextChangeKind::Reworded {
        return t
            .segments
            .iter()
            .map(|s| Segment {
                tag: s.tag,
                text: head(&s.text, keep * 3),
            })
            .collect();
    }
    let n = t.segments.len();
    t.segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.tag != ChangeTag::Equal || s.text.chars().count() <= keep * 2 + 5 {
                return s.clone();
            }
            let text = match (i == 0, i + 1 == n) {
                (true, true) => head(&s.text, keep * 2),
                (true, false) => format!("…{}", tail(&s.text, keep)),
                (false, true) => head(&s.text, keep),
                (false, false) => format!("{} … {}", head_raw(&s.text, keep), tail(&s.text, keep)),
            };
            Segment {
                tag: ChangeTag::Equal,
                text,
            }
        })
        .collect()
}

fn head_raw(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn head(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let cut = head_raw(s, n);
    // English is cut between words, not inside one.
    let cut = match cut.rfind(' ') {
        Some(at) if cut.is_ascii() && at > n / 2 => cut[..at].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    s.chars().skip(count.saturating_sub(n)).collect()
}

// ---------------------------------------------------------------------------
// text

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

/// Text for a terminal: aligned columns (Chinese counts double width), colour by
/// the metric's `better` only when `colour`.
fn text(project: &Project, d: &Diff, colour: bool) -> String {
    let w = words(d.lang, d.from, d.to);
    let bold = anstyle::Style::new().bold();
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint(&w.title, bold, colour));
    let _ = writeln!(out, "{}", context::title(project, d.to, d.lang));
    if d.is_empty() {
        let _ = writeln!(out, "\n{}", w.nothing);
    }

    let rows = metric_rows(project, d);
    let _ = writeln!(out, "\n{}", paint(w.indicators, bold, colour));
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
                        _ => &r.change,
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
        pad_left(&head[3], widths[3]),
    );
    for r in &rows {
        let verdict = match r.good {
            Some(true) => w.better,
            Some(false) => w.worse,
            None => "",
        };
        let change = format!("{} {}", pad_left(&r.change, widths[3]), r.arrow);
        let line = format!(
            "  {}  {}  {}  {}",
            pad(&r.label, widths[0]),
            pad_left(&r.from, widths[1]),
            pad_left(&r.to, widths[2]),
            paint(&change, good_style(r.good), colour),
        );
        let _ = writeln!(
            out,
            "{}",
            if verdict.is_empty() {
                line
            } else {
                format!("{line} {}", paint(verdict, good_style(r.good), colour))
            }
            .trim_end()
        );
    }

    let _ = writeln!(out, "\n{}", paint(&w.targets, bold, colour));
    let targets = target_rows(project, d);
    if targets.is_empty() {
        let _ = writeln!(out, "  {}", w.no_targets);
    }
    let cell = |j: &Json, k: &str| j[k].as_str().unwrap_or("").to_string();
    let tw: Vec<usize> = ["label", "target", "actual"]
        .iter()
        .map(|k| {
            targets
                .iter()
                .map(|t| UnicodeWidthStr::width(cell(t, k).as_str()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for t in &targets {
        let met = t["met"].as_bool();
        let _ = writeln!(
            out,
            "  {}  {}  {}  {}",
            pad(&cell(t, "label"), tw[0]),
            pad(&cell(t, "target"), tw[1]),
            pad_left(&cell(t, "actual"), tw[2]),
            paint(&cell(t, "result"), good_style(met), colour)
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
        (w.summary.to_string(), &d.summary),
        (w.plan.clone(), &d.plan),
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
            let _ = writeln!(out, "  {mark} {}", text_heading(t, &w));
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

// ---------------------------------------------------------------------------
// Markdown

/// Escapes Markdown punctuation in text from data so that it shows as written.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(
            ch,
            '\\' | '*' | '_' | '~' | '`' | '<' | '>' | '[' | ']' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A diff as Markdown paragraphs: deletions struck through, insertions bold.
/// Markers never touch whitespace (CommonMark would not see them) and never span
/// a paragraph break; a paragraph that would be all one marked run gets a plain
/// label first, so it is not mistaken for a heading (markdownlint MD036).
fn md_segments(segments: &[Segment], w: &Words) -> String {
    let mut paragraphs: Vec<Vec<(ChangeTag, String)>> = vec![Vec::new()];
    for s in segments {
        for (i, piece) in s.text.split("\n\n").enumerate() {
            if i > 0 {
                paragraphs.push(Vec::new());
            }
            let piece = piece.replace('\n', " ");
            if !piece.is_empty()
                && let Some(p) = paragraphs.last_mut()
            {
                p.push((s.tag, piece));
            }
        }
    }
    let mut out = Vec::new();
    for p in paragraphs {
        if p.iter().all(|(_, t)| t.trim().is_empty()) {
            continue;
        }
        let changed: Vec<&ChangeTag> = p
            .iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(tag, _)| tag)
            .collect();
        let mut line = String::new();
        if changed.len() == 1 && *changed[0] != ChangeTag::Equal {
            line.push_str(if *changed[0] == ChangeTag::Insert {
                w.added
            } else {
                w.removed
            });
            line.push_str(w.colon);
        }
        for (tag, text) in &p {
            let marker = match tag {
                ChangeTag::Equal => {
                    line.push_str(&md_escape(text));
                    continue;
                }
                ChangeTag::Delete => "~~",
                ChangeTag::Insert => "**",
            };
            let trimmed = text.trim();
            if trimmed.is_empty() {
                line.push_str(text);
                continue;
            }
            let lead = &text[..text.len() - text.trim_start().len()];
            let trail = &text[text.trim_end().len()..];
            let _ = write!(line, "{lead}{marker}{}{marker}{trail}", md_escape(trimmed));
        }
        out.push(line.trim().to_string());
    }
    out.join("\n\n")
}

/// Markdown: GFM tables, clean under markdownlint's default rules.
fn markdown(project: &Project, d: &Diff) -> String {
    let w = words(d.lang, d.from, d.to);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md_escape(&w.title));
    let _ = writeln!(
        out,
        "{}\n",
        md_escape(&context::title(project, d.to, d.lang))
    );
    let _ = writeln!(out, "## {}\n", w.indicators);
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |\n| --- | ---: | ---: | ---: |",
        w.metric, d.from, d.to, w.change
    );
    for r in metric_rows(project, d) {
        // The verdict rides in the change cell: an empty cell of its own would
        // trip markdownlint's table style rule (MD060).
        let verdict = match (r.good, d.lang) {
            (Some(true), Lang::En) => format!(", {}", w.better),
            (Some(false), Lang::En) => format!(", {}", w.worse),
            (Some(true), Lang::Zh) => format!("，{}", w.better),
            (Some(false), Lang::Zh) => format!("，{}", w.worse),
            (None, _) => String::new(),
        };
        let change = format!("{} {}{verdict}", r.arrow, r.change);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md_cell(&r.label),
            md_cell(&r.from),
            md_cell(&r.to),
            md_cell(change.trim()),
        );
    }
    let _ = writeln!(out, "\n## {}\n", w.targets);
    let targets = target_rows(project, d);
    if targets.is_empty() {
        let _ = writeln!(out, "{}", w.no_targets);
    } else {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |\n| --- | --- | ---: | --- |",
            w.metric, w.target, w.actual, w.result
        );
        for t in &targets {
            let c = |k: &str| md_cell(t[k].as_str().unwrap_or(""));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                c("label"),
                c("target"),
                c("actual"),
                c("result")
            );
        }
    }
    let _ = writeln!(out, "\n## {}\n", w.figures);
    if d.figures.is_empty() {
        let _ = writeln!(out, "{}", w.nothing);
    } else {
        let _ = writeln!(
            out,
            "| {} | {} | {} |\n| --- | ---: | ---: |",
            w.figure, d.from, d.to
        );
        for f in &d.figures {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                f.path.replace('`', ""),
                figure_value(f.from.as_ref(), d.lang),
                figure_value(f.to.as_ref(), d.lang)
            );
        }
    }
    for (heading, list) in [
        (w.summary.to_string(), &d.summary),
        (w.plan.clone(), &d.plan),
    ] {
        let _ = writeln!(out, "\n## {heading}\n");
        if list.is_empty() {
            let _ = writeln!(out, "{}", w.nothing);
            continue;
        }
        let mut first = true;
        for t in list {
            if !first {
                out.push('\n');
            }
            first = false;
            let _ = writeln!(out, "### {}\n", md_escape(&text_heading(t, &w)));
            let body = md_segments(&elide(t, d.lang), &w);
            if !body.is_empty() {
                let _ = writeln!(out, "{body}");
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// JSON

fn exact_str(v: Option<&Exact>) -> Json {
    v.map(|v| Json::String(v.to_exact_string()))
        .unwrap_or(Json::Null)
}

fn text_change_json(t: &TextChange) -> Json {
    json!({
        "part": t.part,
        "title": t.title,
        "change": match t.kind {
            TextChangeKind::Added => "added",
            TextChangeKind::Removed => "removed",
            TextChangeKind::Reworded => "reworded",
        },
        "segments": t.segments.iter().map(|s| json!({
            "op": match s.tag {
                ChangeTag::Equal => "equal",
                ChangeTag::Delete => "delete",
                ChangeTag::Insert => "insert",
            },
            "text": s.text,
        })).collect::<Vec<_>>(),
    })
}

/// The diff as JSON for tools: values as decimal strings (rounded with exactly
/// `decimals` places, and exact), never binary floats; undefined is `null`.
pub fn json_doc(project: &Project, d: &Diff) -> Json {
    let mode = project.config.rounding;
    let metrics: Vec<Json> = d
        .metrics
        .iter()
        .filter_map(|m| {
            let def = project.catalogue.metrics.get(&m.name)?;
            let fixed = |v: Option<&Exact>| v.map(|v| v.to_fixed(def.decimals, mode));
            let change = m.change.as_ref().map(|c| {
                json!({
                    "value": c.shown.to_fixed(def.decimals, mode),
                    "exact": c.delta.to_exact_string(),
                    "unit": match c.kind {
                        ChangeKind::PercentPoints => "percentage points",
                        ChangeKind::PermillePoints => "per-mille points",
                        ChangeKind::Amount => "amount",
                    },
                    "relative_percent": c.relative.as_ref().map(|r| r.to_fixed(1, mode)),
                    "relative_percent_exact": c.relative.as_ref().map(Exact::to_exact_string),
                    "direction": match c.direction {
                        Direction::Up => "up",
                        Direction::Down => "down",
                        Direction::Flat => "flat",
                    },
                    "good": c.good,
                })
            });
            Some(json!({
                "name": m.name,
                "zh": def.label.zh.as_ref().map(|s| s.text.clone()),
                "en": def.label.en.as_ref().map(|s| s.text.clone()),
                "unit": { "zh": def.unit.zh, "en": def.unit.en },
                "decimals": def.decimals,
                "better": def.better,
                "from": { "value": fixed(m.from.as_ref()), "exact": exact_str(m.from.as_ref()) },
                "to": { "value": fixed(m.to.as_ref()), "exact": exact_str(m.to.as_ref()) },
                "change": change,
            }))
        })
        .collect();
    let targets: Vec<Json> = d
        .targets
        .iter()
        .map(|t| {
            let value = d
                .metrics
                .iter()
                .find(|m| m.name == t.metric)
                .and_then(|m| m.to.as_ref());
            let decimals = project
                .catalogue
                .metrics
                .get(&t.metric)
                .map_or(0, |m| m.decimals);
            json!({
                "metric": t.metric,
                "min": exact_str(t.min.as_ref()),
                "max": exact_str(t.max.as_ref()),
                "actual": value.map(|v| v.to_fixed(decimals, mode)),
                "met": t.met,
            })
        })
        .collect();
    let figures: Vec<Json> = d
        .figures
        .iter()
        .map(|f: &FigureChange| {
            json!({
                "path": f.path,
                "from": exact_str(f.from.as_ref()),
                "to": exact_str(f.to.as_ref()),
            })
        })
        .collect();
    json!({
        "from": d.from,
        "to": d.to,
        "lang": d.lang.code(),
        "metrics": metrics,
        "targets": targets,
        "figures": figures,
        "summary": d.summary.iter().map(text_change_json).collect::<Vec<_>>(),
        "plan": d.plan.iter().map(text_change_json).collect::<Vec<_>>(),
    })
}

fn json_text(project: &Project, d: &Diff) -> String {
    crate::render::data::to_json_text(&json_doc(project, d))
}

// ---------------------------------------------------------------------------
// HTML

/// The context of `templates/diff.html`: all text plain (Tera escapes it), except
/// the chart SVGs, which nianbao drew itself.
fn html_context(project: &Project, d: &Diff, charts_svg: &str) -> Json {
    let w = words(d.lang, d.from, d.to);
    let rows: Vec<Json> = metric_rows(project, d)
        .into_iter()
        .map(|r| {
            json!({
                "name": r.name,
                "label": r.label,
                "from": r.from,
                "to": r.to,
                "change": r.change,
                "arrow": r.arrow,
                "class": match r.good { Some(true) => "good", Some(false) => "bad", None => "neutral" },
                "verdict": match r.good { Some(true) => w.better, Some(false) => w.worse, None => "" },
            })
        })
        .collect();
    let figures: Vec<Json> = d
        .figures
        .iter()
        .map(|f| {
            json!({
                "path": f.path,
                "from": figure_value(f.from.as_ref(), d.lang),
                "to": figure_value(f.to.as_ref(), d.lang),
            })
        })
        .collect();
    let texts = |list: &[TextChange]| -> Vec<Json> {
        list.iter()
            .map(|t| {
                let paragraphs: Vec<Vec<Json>> = {
                    let mut ps: Vec<Vec<Json>> = vec![Vec::new()];
                    for s in elide(t, d.lang) {
                        for (i, piece) in s.text.split("\n\n").enumerate() {
                            if i > 0 {
                                ps.push(Vec::new());
                            }
                            if !piece.is_empty()
                                && let Some(p) = ps.last_mut()
                            {
                                p.push(json!({
                                    "op": match s.tag {
                                        ChangeTag::Equal => "equal",
                                        ChangeTag::Delete => "delete",
                                        ChangeTag::Insert => "insert",
                                    },
                                    "text": piece,
                                }));
                            }
                        }
                    }
                    ps.retain(|p| !p.is_empty());
                    ps
                };
                json!({
                    "heading": text_heading(t, &w),
                    "kind": match t.kind {
                        TextChangeKind::Added => "added",
                        TextChangeKind::Removed => "removed",
                        TextChangeKind::Reworded => "reworded",
                    },
                    "paragraphs": paragraphs,
                })
            })
            .collect()
    };
    json!({
        "lang": d.lang.code(),
        "html_lang": match d.lang { Lang::Zh => "zh-CN", Lang::En => "en" },
        "title": w.title,
        "report_title": context::title(project, d.to, d.lang),
        "from": d.from,
        "to": d.to,
        "metrics": rows,
        "targets": target_rows(project, d),
        "figures": figures,
        "narrative": [
            { "heading": w.summary, "items": texts(&d.summary) },
            { "heading": w.plan, "items": texts(&d.plan) },
        ],
        "charts": charts_svg,
        "w": {
            "indicators": w.indicators, "metric": w.metric, "change": w.change,
            "trend": w.trend, "targets": w.targets, "target": w.target,
            "actual": w.actual, "result": w.result, "figures": w.figures,
            "figure": w.figure, "summary": w.summary, "plan": w.plan,
            "nothing": w.nothing, "no_targets": w.no_targets, "trends": w.trends,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(tag: ChangeTag, text: &str) -> Segment {
        Segment {
            tag,
            text: text.to_string(),
        }
    }

    #[test]
    fn markdown_markers_never_touch_spaces_or_cross_paragraphs() {
        let w = words(Lang::En, 2006, 2007);
        let md = md_segments(
            &[
                seg(ChangeTag::Equal, "we kept"),
                seg(ChangeTag::Delete, " the birth "),
                seg(ChangeTag::Insert, " a_rate\n\nnew"),
                seg(ChangeTag::Equal, " rate low"),
            ],
            &w,
        );
        assert_eq!(
            md,
            "we kept ~~the birth~~  **a\\_rate**\n\n**new** rate low"
        );
    }

    #[test]
    fn a_paragraph_that_is_all_one_change_gets_a_label() {
        let w = words(Lang::Zh, 2006, 2007);
        let md = md_segments(&[seg(ChangeTag::Insert, "新段落")], &w);
        assert_eq!(md, "新增：**新段落**");
    }
}
