//! "Did you mean …?": the nearest known name to a misspelt one.
//!
//! Scoring a name against every candidate is quadratic over a run: 4,000 unknown
//! references against 100,000 figures took 51 s. So a name is scored against a
//! bounded set of candidates, at most [`MAX_SCORED`]: those that share its first
//! segment (`births` in `births.totl`), then those of nearly its length (a typo
//! in the first segment). A list no longer than that is scored whole, as before.
//! [`Names`] indexes a list once for many look-ups.

use std::collections::{BTreeMap, HashMap};

/// The most candidates scored for one name.
pub const MAX_SCORED: usize = 256;

/// The candidate closest to `name`, if any is close enough to be a plausible typo.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    Names::new(candidates).nearest(name)
}

/// A list of candidates, indexed for [`Names::nearest`].
pub struct Names<'a> {
    /// The candidates, in the order given (the first of equally close ones wins).
    all: Vec<&'a str>,
    /// First segment → length in characters → the candidates of that length that
    /// start with it.
    by_first: HashMap<&'a str, ByLength>,
    /// Every candidate by its length in characters.
    by_len: ByLength,
}

/// Candidates (their indexes) by length in characters.
type ByLength = BTreeMap<usize, Vec<usize>>;

/// Adds to `picked` the candidates of `by_len` nearest in length to `len`, up to
/// `max_distance` characters away and until `picked` holds [`MAX_SCORED`].
fn pick_by_length(by_len: &ByLength, len: usize, max_distance: usize, picked: &mut Vec<usize>) {
    let longest = by_len.keys().next_back().copied().unwrap_or(0);
    let max_distance = max_distance.min(len.max(longest));
    for d in 0..=max_distance {
        let lens = [len.checked_sub(d), (d > 0).then_some(len + d)];
        for l in lens.into_iter().flatten() {
            for i in by_len.get(&l).into_iter().flatten() {
                if picked.len() >= MAX_SCORED {
                    return;
                }
                picked.push(*i);
            }
        }
    }
}

fn first_segment(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

impl<'a> Names<'a> {
    /// Indexes `candidates` (in one pass).
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let all: Vec<&'a str> = candidates.into_iter().collect();
        let mut by_first: HashMap<&'a str, ByLength> = HashMap::new();
        let mut by_len = ByLength::new();
        if all.len() > MAX_SCORED {
            for (i, c) in all.iter().enumerate() {
                let len = c.chars().count();
                let group = by_first.entry(first_segment(c)).or_default();
                group.entry(len).or_default().push(i);
                by_len.entry(len).or_default().push(i);
            }
        }
        Names {
            all,
            by_first,
            by_len,
        }
    }

    /// The candidate closest to `name`, among at most [`MAX_SCORED`] of them.
    pub fn nearest(&self, name: &str) -> Option<&'a str> {
        if self.all.len() <= MAX_SCORED {
            return best(name, self.all.iter().copied());
        }
        let len = name.chars().count();
        let mut picked: Vec<usize> = Vec::with_capacity(MAX_SCORED);
        // Those that share its first segment, nearest in length first.
        if let Some(same) = self.by_first.get(first_segment(name)) {
            pick_by_length(same, len, usize::MAX, &mut picked);
        }
        // Then any within two characters of its length: a typo of one or two
        // letters (in the first segment too) changes the length by at most that.
        pick_by_length(&self.by_len, len, 2, &mut picked);
        picked.sort_unstable();
        picked.dedup();
        best(name, picked.into_iter().map(|i| self.all[i]))
    }
}

/// The closest of `candidates` by Jaro-Winkler, if close enough; of equally
/// close ones the fewest edits away (for short names Jaro-Winkler often ties:
/// `表 3` scores the same against `表1` and `表3`), then the first.
fn best<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    let chars = name.chars().count();
    for candidate in candidates {
        let score = strsim::jaro_winkler(name, candidate);
        // Two edits change the length by two at most: no need to count them.
        let edits = 2.min(name.len() / 2);
        let close = score >= 0.8
            || (chars.abs_diff(candidate.chars().count()) <= edits
                && strsim::levenshtein(name, candidate) <= edits);
        let better = |(held, s): (&str, f64)| {
            score > s
                || (score == s
                    && strsim::levenshtein(name, candidate) < strsim::levenshtein(name, held))
        };
        if close && best.is_none_or(better) {
            best = Some((candidate, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let keys = ["formula", "unit", "decimals", "better"];
        assert_eq!(nearest("formul", keys), Some("formula"));
        assert_eq!(nearest("decimal", keys), Some("decimals"));
        assert_eq!(nearest("colour", keys), None);
    }

    #[test]
    fn of_equally_close_names_the_one_fewer_edits_away() {
        assert_eq!(nearest("表 3", ["表1", "表2", "表3"]), Some("表3"));
        assert_eq!(nearest("表 1", ["表1", "表2", "表3"]), Some("表1"));
    }

    /// Issue 11, item 5: among 100,000 figures a typo is still found, in its
    /// first segment or after it, while each look-up scores a bounded number of
    /// candidates (4,000 look-ups took 51 s when each scored all of them).
    #[test]
    fn a_large_list_is_searched_through_a_bounded_set() {
        let paths: Vec<String> = (0..100_000)
            .map(|i| {
                format!(
                    "{}.item_{i}",
                    ["births", "deaths", "population", "region"][i % 4]
                )
            })
            .chain(["counts.part".to_string(), "counts.whole".to_string()])
            .collect();
        let names = Names::new(paths.iter().map(String::as_str));
        assert_eq!(names.nearest("counts.prat"), Some("counts.part"));
        assert_eq!(names.nearest("coutns.whole"), Some("counts.whole"));
        assert_eq!(names.nearest("births.item_4"), Some("births.item_4"));
        assert_eq!(names.nearest("births.iteem_40"), Some("births.item_40"));
        assert_eq!(names.nearest("unknown.name"), None);
    }
}
