//! The footnotes of a year's narrative: each edition's texts are one Markdown
//! document, so a text may refer to a note another defines.

use crate::diag::{Diagnostic, Diagnostics};
use crate::escape::{note_labels, note_refs, same_label};
use crate::i18n::Lang;
use crate::model::{Project, Text};

use super::language;

/// The footnotes an edition's texts define and refer to, each with its language.
pub(super) struct Notes {
    defined: Vec<(Lang, String)>,
    referenced: Vec<(Lang, String)>,
}

impl Notes {
    /// The notes of `texts`; a template of the project may refer to one too
    /// (it may write `[^label]` itself).
    pub(super) fn of(project: &Project, texts: &[(&Text, String)]) -> Notes {
        let mut notes = Notes {
            defined: Vec::new(),
            referenced: Vec::new(),
        };
        for (t, _) in texts {
            for lang in Lang::ALL {
                let Some(s) = t.get(lang) else { continue };
                notes
                    .defined
                    .extend(note_labels(&s.text).into_iter().map(|l| (lang, l)));
                notes
                    .referenced
                    .extend(note_refs(&s.text).into_iter().map(|(_, l)| (lang, l)));
            }
        }
        for file in &project.templates {
            for (_, label) in note_refs(&file.text) {
                notes
                    .referenced
                    .extend(Lang::ALL.map(|lang| (lang, label.clone())));
            }
        }
        notes
    }

    fn is_defined(&self, lang: Lang, label: &str) -> bool {
        has(&self.defined, lang, label)
    }

    fn is_referenced(&self, lang: Lang, label: &str) -> bool {
        has(&self.referenced, lang, label)
    }
}

fn has(labels: &[(Lang, String)], lang: Lang, label: &str) -> bool {
    labels
        .iter()
        .any(|(l, d)| *l == lang && same_label(d, label))
}

/// Checks a text's footnotes. A reference to a note no text of the edition
/// defines shows as written (`[^9]`), and a note no text refers to is left out
/// of the page and the Word document: warnings. A note inside a note, or a
/// table in one, is an error: a Word footnote is paragraphs and holds no
/// note, so the Word document would lose it and the HTML link to nothing.
pub(super) fn footnotes(
    s: &crate::model::LocStr,
    what: &str,
    lang: Lang,
    notes: &Notes,
    diags: &mut Diagnostics,
) {
    let trouble = crate::escape::note_trouble(&s.text, &|label| notes.is_defined(lang, label));
    let unreferenced: Vec<_> = trouble
        .definitions
        .iter()
        .filter(|(_, label)| !label.contains('{') && !notes.is_referenced(lang, label))
        .collect();
    let lang = language(lang);
    // In the order of the text.
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    for at in &trouble.nested {
        found.push((at.start,
            Diagnostic::error(format!(
                "{what} ({lang}) has a footnote inside a footnote's text"
            ))
            .at(s.map(at), "inside a footnote")
            .help("a Word footnote cannot hold another: put the note's text in the note, or define the other note on its own, outside this one, and refer to it from the body text"),
        ));
    }
    for at in &trouble.tables {
        found.push((at.start,
            Diagnostic::error(format!("{what} ({lang}) has a table inside a footnote"))
                .at(s.map(at), "inside a footnote")
                .help("a Word footnote holds paragraphs only: put the table in the body text, or write its figures as a sentence"),
        ));
    }
    for (at, label) in &trouble.undefined {
        found.push((at.start,
            Diagnostic::warning(format!(
                "{what} ({lang}) refers to footnote `[^{label}]`, which no text defines"
            ))
            .at(s.map(at), "no such footnote")
            .help(format!(
                "add `[^{label}]: …` to the text, or correct the label; the report shows `[^{label}]` as written"
            )),
        ));
    }
    for (at, label) in unreferenced {
        found.push((at.start,
            Diagnostic::warning(format!(
                "{what} ({lang}) defines footnote `[^{label}]`, which no text refers to"
            ))
            .at(s.map(at), "not referred to")
            .help(format!(
                "refer to it with `[^{label}]` where the note belongs, or remove the definition; unreferenced, the HTML page and the Word document leave the note out"
            )),
        ));
    }
    found.sort_by_key(|(at, _)| *at);
    for (_, d) in found {
        diags.push(d);
    }
}
