//! Finding a cell by its row label or column header: each sheet's labels indexed
//! by their compared form ([`label_key`]), a label path followed down and right,
//! and the nearest label when one is missing.

use std::collections::HashMap;

use crate::sheet::mapping::label_key;
use crate::sheet::read::{CellRef, Sheet};

/// The labels of one sheet, by their compared form.
pub(super) struct LabelIndex<'s> {
    by_key: HashMap<String, Vec<CellRef>>,
    texts: Vec<(CellRef, &'s str)>,
}

/// A label that could not be followed.
pub(super) enum FindError {
    /// No cell reads it; the nearest label and its cell.
    Missing(String, Option<(String, CellRef)>),
    /// More than one cell reads the first label of the path.
    Twice(String, Vec<CellRef>),
    /// No cell reads `next` at or below and right of `after` (at `cell`).
    NotAfter {
        next: String,
        after: String,
        cell: CellRef,
    },
}

impl FindError {
    /// The label under the mapping entry that led here.
    pub(super) fn marker(&self) -> &'static str {
        match self {
            FindError::Twice(..) => "written in more than one cell",
            FindError::Missing(..) | FindError::NotAfter { .. } => "not found on the sheet",
        }
    }

    pub(super) fn explain(&self, kind: &str, path: &str) -> (String, Option<String>) {
        let noun = if kind == "row" {
            "row label"
        } else {
            "column header"
        };
        match self {
            FindError::Missing(label, near) => (
                format!("no cell reads `{label}` (the {noun} of `{path}`)"),
                Some(match near {
                    Some((n, at)) => format!("the nearest label is {} ({at})", crate::sheet::quote(n)),
                    None => "a label is compared whole, ignoring blanks and full-width forms; check the sheet".into(),
                }),
            ),
            FindError::Twice(label, cells) => {
                let list: Vec<String> = cells.iter().map(ToString::to_string).collect();
                (
                    format!("`{label}` is written in {} cells, {} (the {noun} of `{path}`)", cells.len(), list.join(" and ")),
                    Some(if kind == "row" {
                        format!("name the block it is in too, as {kind} = [\"…\", \"{label}\"], or give the cell")
                    } else {
                        format!("name the header above it too, as {kind} = [\"…\", \"{label}\"], or give the cell")
                    }),
                )
            }
            FindError::NotAfter { next, after, cell } => (
                format!("no cell reads `{next}` at or below and right of `{after}` ({cell}) (the {noun} of `{path}`)"),
                Some("each label of a list is looked for below and to the right of the one before it".into()),
            ),
        }
    }
}

impl<'s> LabelIndex<'s> {
    pub(super) fn new(sheet: &'s Sheet) -> Self {
        let mut by_key: HashMap<String, Vec<CellRef>> = HashMap::new();
        let mut texts = Vec::new();
        for (at, text) in sheet.texts() {
            let key = label_key(text);
            if !key.is_empty() {
                by_key.entry(key).or_default().push(at);
                texts.push((at, text));
            }
        }
        LabelIndex { by_key, texts }
    }

    /// The cell a label path leads to.
    pub(super) fn find(&self, path: &[String]) -> Result<CellRef, FindError> {
        let Some((first, rest)) = path.split_first() else {
            return Err(FindError::Missing(String::new(), None));
        };
        let cells = self
            .by_key
            .get(&label_key(first))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let mut at = match cells {
            [] => return Err(FindError::Missing(first.clone(), self.nearest(first))),
            [one] => *one,
            many => return Err(FindError::Twice(first.clone(), many.to_vec())),
        };
        let mut after = first;
        for next in rest {
            let found = self.by_key.get(&label_key(next)).and_then(|cells| {
                cells
                    .iter()
                    .filter(|c| **c != at && c.row >= at.row && c.col >= at.col)
                    .min()
                    .copied()
            });
            match found {
                Some(c) => at = c,
                None if !self.by_key.contains_key(&label_key(next)) => {
                    return Err(FindError::Missing(next.clone(), self.nearest(next)));
                }
                None => {
                    return Err(FindError::NotAfter {
                        next: next.clone(),
                        after: after.clone(),
                        cell: at,
                    });
                }
            }
            after = next;
        }
        Ok(at)
    }

    /// The label nearest to `label`: fewest characters changed, then the longest
    /// common beginning; a label one contains the other of counts too (`总人口` for
    /// `总人口（期末）`). Short labels allow one change, longer ones a third of them.
    fn nearest(&self, label: &str) -> Option<(String, CellRef)> {
        let want = label_key(label);
        let want_len = want.chars().count();
        let mut best: Option<((usize, usize), usize)> = None;
        for (i, (_, text)) in self.texts.iter().enumerate() {
            let key = label_key(text);
            let dist = strsim::levenshtein(&want, &key);
            let len = want_len.max(key.chars().count());
            let close = dist <= (len / 3).max(1) || key.contains(&want) || want.contains(&key);
            if !close || key == want {
                continue;
            }
            let prefix = want
                .chars()
                .zip(key.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let rank = (dist, usize::MAX - prefix);
            if best.is_none_or(|(r, _)| rank < r) {
                best = Some((rank, i));
            }
        }
        let (_, i) = best?;
        let (at, text) = self.texts[i];
        Some((text.trim().to_string(), at))
    }
}
