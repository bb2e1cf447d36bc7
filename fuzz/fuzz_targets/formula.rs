//! Fuzz target: the formula parser and the exact decimal reader must never panic,
//! and every formula that parses must print as text that parses to the same formula.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::{exact, formula};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(expr) = formula::parse(src) {
        let printed = expr.to_string();
        let again = formula::parse(&printed).unwrap_or_else(|e| {
            panic!("{src:?} printed as {printed:?}, which does not parse: {e}")
        });
        assert_eq!(again.to_string(), printed, "{src:?} does not print stably");
        let mut names = 0;
        expr.walk_names(&mut |_, span, _| {
            assert!(span.end <= src.len());
            names += 1;
        });
    }
    if let Some(n) = exact::Exact::parse_decimal(src) {
        let _ = n.to_exact_string();
        let _ = n.to_fixed(3, exact::Rounding::HalfEven);
        let _ = exact::group_thousands(&n.to_fixed(2, exact::Rounding::HalfAwayFromZero));
    }
});
