//! "Did you mean …?": the nearest known name to a misspelt one.

/// The candidate closest to `name`, if any is close enough to be a plausible typo.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(name, candidate);
        let close = score >= 0.8 || strsim::levenshtein(name, candidate) <= 2.min(name.len() / 2);
        if close && best.is_none_or(|(_, s)| score > s) {
            best = Some((candidate, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let keys = ["formula", "unit", "decimals", "better"];
        assert_eq!(nearest("formul", keys), Some("formula"));
        assert_eq!(nearest("decimal", keys), Some("decimals"));
        assert_eq!(nearest("colour", keys), None);
    }
}
