//! The diff as Markdown: GFM tables, clean under markdownlint's default rules;
//! deletions struck through, insertions bold.

use std::fmt::Write as _;

use similar::ChangeTag;

use super::compare::Diff;
use super::view::{elide, figure_value, metric_rows, target_rows, text_heading};
use super::words::Segment;
use crate::i18n::Words;
use crate::model::Project;
use crate::render::context::title;
use crate::render::format::table_cell;

/// A diff as Markdown paragraphs: deletions struck through, insertions bold.
/// Markers never touch whitespace (CommonMark would not see them) and never span
/// a paragraph break; a paragraph that would be all one marked run gets a plain
/// label first, so it is not mistaken for a heading (markdownlint MD036).
pub(super) fn md_segments(segments: &[Segment], w: &Words) -> String {
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
                    line.push_str(&crate::escape::markdown(text));
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
            let _ = write!(
                line,
                "{lead}{marker}{}{marker}{trail}",
                crate::escape::markdown(trimmed)
            );
        }
        out.push(line.trim().to_string());
    }
    out.join("\n\n")
}

/// Markdown: GFM tables, clean under markdownlint's default rules.
pub fn markdown(project: &Project, d: &Diff) -> String {
    let w = d.lang.words();
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", crate::escape::markdown(&d.title()));
    let _ = writeln!(
        out,
        "{}\n",
        crate::escape::markdown(&title(project, d.to, d.lang))
    );
    let _ = writeln!(out, "## {}\n", w.diff_indicators);
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |\n| --- | ---: | ---: | ---: |",
        w.metric, d.from, d.to, w.change
    );
    for r in metric_rows(project, d) {
        // The verdict rides in the change cell: an empty cell of its own would
        // trip markdownlint's table style rule (MD060). Written as the report's
        // indicator table writes it.
        let change = &r.trend;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            table_cell(&r.label),
            table_cell(&r.from),
            table_cell(&r.to),
            table_cell(change),
        );
    }
    let _ = writeln!(out, "\n## {}\n", w.targets_of(d.to));
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
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                table_cell(&t.label),
                table_cell(&t.target),
                table_cell(&t.actual),
                table_cell(t.result)
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
        (w.diff_summary.to_string(), &d.summary),
        (w.diff_plan.to_string(), &d.plan),
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
            let _ = writeln!(
                out,
                "### {}\n",
                crate::escape::markdown(&text_heading(t, w))
            );
            let body = md_segments(&elide(t, d.lang), w);
            if !body.is_empty() {
                let _ = writeln!(out, "{body}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn seg(tag: ChangeTag, text: &str) -> Segment {
        Segment {
            tag,
            text: text.to_string(),
        }
    }

    #[test]
    fn markdown_markers_never_touch_spaces_or_cross_paragraphs() {
        let w = Lang::En.words();
        let md = md_segments(
            &[
                seg(ChangeTag::Equal, "we kept"),
                seg(ChangeTag::Delete, " the birth "),
                seg(ChangeTag::Insert, " a_rate\n\nnew"),
                seg(ChangeTag::Equal, " rate low"),
            ],
            w,
        );
        assert_eq!(
            md,
            "we kept ~~the birth~~  **a\\_rate**\n\n**new** rate low"
        );
    }

    #[test]
    fn a_paragraph_that_is_all_one_change_gets_a_label() {
        let w = Lang::Zh.words();
        let md = md_segments(&[seg(ChangeTag::Insert, "新段落")], w);
        assert_eq!(md, "新增：**新段落**");
    }
}
