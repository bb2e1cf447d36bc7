//! The checks of a year's narrative and of every text: both languages written,
//! a report date after its period, footnotes defined and used, no code block
//! left open to take in the rest of the report.

use crate::diag::{Diagnostic, Diagnostics};
use crate::i18n::Lang;
use crate::model::{Plan, Project, Summary, Text, YearData};
use crate::suggest;

use super::{notes, targets_name_metrics};

/// Warns about a text missing one language.
pub fn translations(t: &Text, what: &str, diags: &mut Diagnostics) {
    unwritten(t, what, diags);
    for lang in Lang::ALL {
        if t.get(lang).is_none() {
            let (missing, shown) = match lang {
                Lang::Zh => (
                    "Chinese",
                    "the English text is shown in the Chinese edition, marked untranslated",
                ),
                Lang::En => (
                    "English",
                    "the Chinese text is shown in the English edition, marked untranslated",
                ),
            };
            diags.push(
                Diagnostic::warning(format!("{what} has no {missing} text"))
                    .at(t.loc.clone(), format!("no `{}`", lang.code()))
                    .help(format!("add {} = \"…\"; until then {shown}", lang.code())),
            );
        }
    }
}

/// Warns about a text left empty (as `new-year` scaffolds them): it shows as
/// "(to be written)", or in the other language when only one is written.
pub fn unwritten(t: &Text, what: &str, diags: &mut Diagnostics) {
    let empty = |lang| t.get(lang).is_some_and(|s| s.text.trim().is_empty());
    let written = |lang| t.get(lang).is_some_and(|s| !s.text.trim().is_empty());
    if !empty(Lang::Zh) && !empty(Lang::En) {
        return;
    }
    let message = match (written(Lang::Zh), written(Lang::En)) {
        (false, false) => format!("{what} is not written yet"),
        (true, _) => format!("{what} has no English text yet (it is empty)"),
        (false, true) => format!("{what} has no Chinese text yet (it is empty)"),
    };
    diags.push(
        Diagnostic::warning(message)
            .at(t.loc.clone(), "empty")
            .help("write it; until then the report shows \"(to be written)\" (or the other language, marked untranslated)"),
    );
}

/// Warns about a report dated before the period it reports on: the 落款's date
/// (`summary.toml` `date`) is the day the report is issued.
pub fn report_date(summary: &Summary, year: &YearData, diags: &mut Diagnostics) {
    if let (Some(date), Some(loc)) = (summary.date, &summary.date_loc)
        && date < year.start
    {
        diags.push(
            Diagnostic::warning(format!(
                "the report's date {date} is before its period starts ({})",
                year.start
            ))
            .at(loc.clone(), "before the period")
            .help(format!(
                "the date of the 落款 is the day the report is issued, after the period {} to {}",
                year.start, year.end
            )),
        );
    }
}

/// Checks one year's narrative (read after its figures, see
/// [`crate::load::Wanted::narrative_later`]): the plan's targets name metrics,
/// and every text is translated.
pub fn check_narrative(
    project: &Project,
    summary: Option<&Summary>,
    plan: Option<&Plan>,
    diags: &mut Diagnostics,
) {
    if let Some(p) = plan {
        let near_metric = suggest::Names::new(project.catalogue.metrics.keys().map(String::as_str));
        targets_name_metrics(project, &p.targets, &near_metric, diags);
    }
    // Every text of the year with what the messages call it, in report order.
    let mut texts: Vec<(&Text, String)> = Vec::new();
    if let Some(s) = summary {
        if let Some(t) = &s.opening {
            texts.push((t, "the opening".into()));
        }
        if let Some(t) = &s.indicators {
            texts.push((t, "the indicators paragraph".into()));
        }
        for (i, sec) in s.sections.iter().enumerate() {
            section_texts(sec, &format!("summary section {}", i + 1), &mut texts);
        }
        if let Some(t) = &s.shortcomings {
            texts.push((t, "the shortcomings text".into()));
        }
    }
    if let Some(p) = plan {
        if let Some(t) = &p.guiding_principle {
            texts.push((t, "the guiding principle".into()));
        }
        for (i, sec) in p.items.iter().enumerate() {
            section_texts(sec, &format!("plan item {}", i + 1), &mut texts);
        }
    }
    let notes = notes::Notes::of(project, &texts);
    for (t, what) in &texts {
        narrative_text(t, what, &notes, diags);
    }
}

/// A section's or plan item's texts, with what the messages call them.
fn section_texts<'a>(
    sec: &'a crate::model::Section,
    what: &str,
    texts: &mut Vec<(&'a Text, String)>,
) {
    texts.push((&sec.title, format!("the title of {what}")));
    if let Some(t) = &sec.text {
        texts.push((t, format!("the text of {what}")));
    }
    for (i, p) in sec.points.iter().enumerate() {
        texts.push((p, format!("point {} of {what}", i + 1)));
    }
}

/// Checks a narrative text: translated, and a block of its own. The report puts
/// its texts one after another, so a code fence left open in one would take in
/// the rest of the report (found by an audit); raw HTML cannot do the same, as it
/// is escaped (see [`crate::escape::no_raw_html`]).
fn narrative_text(t: &Text, what: &str, notes: &notes::Notes, diags: &mut Diagnostics) {
    translations(t, what, diags);
    for lang in Lang::ALL {
        let Some(s) = t.get(lang) else { continue };
        notes::footnotes(s, what, lang, notes, diags);
        // A fence inside a condition (`{% if %}```text{% else %}…`) is judged
        // by what renders; the render closes a fence left open (see
        // `render::narrative::finish_text`). Found by a regression audit.
        if s.text.contains("{%") {
            continue;
        }
        if let Some((at, fence)) = crate::escape::unclosed_fence(&s.text) {
            diags.push(
                Diagnostic::error(format!(
                    "{what} ({}) opens a code block that it does not close",
                    language(lang)
                ))
                .at(s.map(&at), "not closed")
                .help(format!(
                    "end the code block inside the text with a line of {fence}; left open, it would take in the rest of the report"
                )),
            );
        }
    }
}

pub(super) fn language(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "Chinese",
        Lang::En => "English",
    }
}
