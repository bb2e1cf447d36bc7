//! The one rule that turns a spreadsheet cell into a figure's decimal text, with no
//! binary float between what the cell shows and the figure written to TOML.
//!
//! - **A number cell** (xlsx, xls, ods) holds a binary float. Its figure is that float
//!   rounded to 15 significant digits — the precision Excel shows in the General
//!   format and in the formula bar — with trailing zeros dropped, read as an exact
//!   decimal: a cell holding 12.35 gives `12.35`; a cell whose float is
//!   0.30000000000000004 (the sum 0.1 + 0.2) and shows 0.3 gives `0.3`. The cell's
//!   number format is not applied: a cell holding 96.33 formatted to show one place
//!   still gives `96.33` (nianbao rounds once, when it displays a metric), and the
//!   import warns that the form shows fewer places than the cell holds.
//! - **A text cell** (and every CSV field) is read as written: `1,335`, `1 335` (any
//!   space, no-break and thin spaces included), full-width digits `１３３５` and the
//!   full-width comma, full stop, plus and minus are accepted and said (a warning
//!   naming the cell). Separators must group the whole part by threes; a sign may
//!   lead. Anything else (`约5万`, `12%`, `1.2E+05`, `—`) is an error naming the cell.

use crate::exact::Exact;

/// Significant digits kept from a binary float: Excel's display precision.
pub const FLOAT_DIGITS: usize = 15;

/// The decimal text of a number cell's float, by the 15-significant-digit rule;
/// `None` for an infinity or NaN (which no spreadsheet stores).
///
/// ```
/// use nianbao::sheet::number::from_float;
/// assert_eq!(from_float(12.35).as_deref(), Some("12.35"));
/// assert_eq!(from_float(0.1 + 0.2).as_deref(), Some("0.3"));
/// assert_eq!(from_float(151837.0).as_deref(), Some("151837"));
/// ```
pub fn from_float(value: f64) -> Option<String> {
    if !value.is_finite() {
        return None;
    }
    // `{:.14e}` rounds the float's exact binary value to 15 significant digits
    // (correctly, half to even on the true value); the text is then read exactly.
    let text = format!("{value:.prec$e}", prec = FLOAT_DIGITS - 1);
    Exact::parse_decimal(&text).map(|e| e.to_exact_string())
}

/// Why a text is not a number, for the message naming the cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing but blanks.
    Blank,
    /// A dash or similar, which forms use for "none" or "not applicable".
    Dash,
    /// A percentage (`12%`, `5‰`).
    Percent,
    /// Scientific notation, as Excel writes a number too wide for its column.
    Exponent,
    /// Separators that do not group the whole part by threes (`12,35`, `1,33,5`).
    Grouping,
    /// Words, a unit or another character that is not part of a number.
    NotANumber,
}

impl TextProblem {
    /// The explanation, for the message.
    pub fn explain(&self) -> &'static str {
        match self {
            TextProblem::Blank => "the cell is blank",
            TextProblem::Dash => "a dash is not a number",
            TextProblem::Percent => "a percentage is not a figure",
            TextProblem::Exponent => "a number in scientific notation may have lost digits",
            TextProblem::Grouping => "its separators do not group the digits by threes",
            TextProblem::NotANumber => "it holds words, a unit or other signs",
        }
    }

    /// How to fix it.
    pub fn help(&self) -> &'static str {
        match self {
            TextProblem::Blank => "enter the figure, or 0 if there is none",
            TextProblem::Dash => "write 0 if none is meant, or leave the figure out of the mapping",
            TextProblem::Percent => {
                "figures are the counts a rate is computed from: give the count (a rate belongs in data/metrics.toml)"
            }
            TextProblem::Exponent => {
                "Excel writes 1.23457E+11 when a column is too narrow: format the column as a number with enough places and save again"
            }
            TextProblem::Grouping => {
                "write the decimal point as `.` (12.35); a comma or space may only separate thousands (1,335)"
            }
            TextProblem::NotANumber => {
                "a figure is a plain number such as 1335 or 12.35, without words or units"
            }
        }
    }
}

/// A number read from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextNumber {
    /// The plain decimal text (`1335`, `-0.13`, `12.350`): the digits as written,
    /// without separators, a leading `+` or leading zeros.
    pub decimal: String,
    /// True when the text needed more than trimming to be read (separators,
    /// full-width characters, a `+`): the import then says so.
    pub normalised: bool,
}

/// Reads a number from text, by the rule in the module documentation.
///
/// ```
/// use nianbao::sheet::number::from_text;
/// assert_eq!(from_text("1,335").unwrap().decimal, "1335");
/// assert_eq!(from_text("１３３５").unwrap().decimal, "1335");
/// assert_eq!(from_text(" 12.35 ").unwrap().decimal, "12.35");
/// assert!(from_text("约5万").is_err());
/// ```
pub fn from_text(text: &str) -> Result<TextNumber, TextProblem> {
    let trimmed = text.trim_matches(is_space);
    if trimmed.is_empty() {
        return Err(TextProblem::Blank);
    }
    let mut normalised = false;
    let mut chars: Vec<char> = Vec::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        let n = fold(c);
        if n != c {
            normalised = true;
        }
        chars.push(n);
    }
    let folded: String = chars.iter().collect();
    if matches!(
        folded.as_str(),
        "-" | "--" | "—" | "——" | "–" | "/" | "－" | "…" | "x" | "X"
    ) {
        return Err(TextProblem::Dash);
    }
    let (negative, body) = match folded.chars().next() {
        Some('-') => (true, &folded[1..]),
        Some('+') => {
            normalised = true;
            (false, &folded[1..])
        }
        _ => (false, folded.as_str()),
    };
    if body.ends_with(['%', '‰']) {
        return Err(TextProblem::Percent);
    }
    if body.contains(['e', 'E'])
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || ".eE+-".contains(c))
    {
        return Err(TextProblem::Exponent);
    }
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if let Some(f) = fraction
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(TextProblem::NotANumber);
    }
    // The whole part: digits, possibly grouped by threes with one kind of separator.
    let mut groups = Vec::new();
    let mut separator: Option<char> = None;
    let mut current = String::new();
    for c in whole.chars() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if c == ',' || is_space(c) {
            if separator.is_some_and(|s| s != c && !(is_space(s) && is_space(c))) {
                return Err(TextProblem::Grouping);
            }
            separator = Some(c);
            groups.push(std::mem::take(&mut current));
        } else {
            return Err(TextProblem::NotANumber);
        }
    }
    groups.push(current);
    if groups.len() > 1 {
        normalised = true;
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(TextProblem::Grouping);
        }
    }
    let digits: String = groups.concat();
    if digits.is_empty() && fraction.is_none() {
        return Err(TextProblem::NotANumber);
    }
    let whole = digits.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let zero = whole == "0" && fraction.is_none_or(|f| f.bytes().all(|b| b == b'0'));
    let mut decimal = String::new();
    if negative && !zero {
        decimal.push('-');
    }
    decimal.push_str(whole);
    if let Some(f) = fraction {
        decimal.push('.');
        decimal.push_str(f);
    }
    Ok(TextNumber {
        decimal,
        normalised,
    })
}

/// Blanks a number may be grouped with: ASCII space, no-break space, the thin and
/// narrow spaces, the ideographic space.
fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{2007}' | '\u{3000}'
    )
}

/// Full-width digits and signs to their ASCII forms; the minus sign U+2212 to `-`.
fn fold(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '，' => ',',
        '．' => '.',
        '＋' => '+',
        '－' | '−' => '-',
        '％' => '%',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_keep_fifteen_significant_digits() {
        assert_eq!(from_float(12.35).as_deref(), Some("12.35"));
        assert_eq!(from_float(0.1 + 0.2).as_deref(), Some("0.3"));
        assert_eq!(from_float(0.30000000000000004).as_deref(), Some("0.3"));
        assert_eq!(from_float(1335.0).as_deref(), Some("1335"));
        assert_eq!(from_float(-0.13).as_deref(), Some("-0.13"));
        assert_eq!(from_float(-0.0).as_deref(), Some("0"));
        assert_eq!(from_float(96.33).as_deref(), Some("96.33"));
        assert_eq!(from_float(1.0 / 3.0).as_deref(), Some("0.333333333333333"));
        assert_eq!(from_float(2.0 / 3.0).as_deref(), Some("0.666666666666667"));
        assert_eq!(from_float(1e20).as_deref(), Some("100000000000000000000"));
        assert_eq!(from_float(1.5e-7).as_deref(), Some("0.00000015"));
        // 2^53 + 1 is not a float; the nearest float has 16 digits, shown as 15.
        assert_eq!(
            from_float(9_007_199_254_740_993.0).as_deref(),
            Some("9007199254740990")
        );
        assert_eq!(from_float(f64::NAN), None);
        assert_eq!(from_float(f64::INFINITY), None);
    }

    fn read(text: &str) -> (String, bool) {
        let n = from_text(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        (n.decimal, n.normalised)
    }

    #[test]
    fn text_numbers_as_forms_write_them() {
        assert_eq!(read("1335"), ("1335".into(), false));
        assert_eq!(read(" 12.350 "), ("12.350".into(), false));
        assert_eq!(read("1,335"), ("1335".into(), true));
        assert_eq!(read("151,837"), ("151837".into(), true));
        assert_eq!(read("1 335"), ("1335".into(), true));
        assert_eq!(read("1\u{a0}335"), ("1335".into(), true));
        assert_eq!(read("1\u{2009}335\u{2009}000"), ("1335000".into(), true));
        assert_eq!(read("１３３５"), ("1335".into(), true));
        assert_eq!(read("１，３３５．５"), ("1335.5".into(), true));
        assert_eq!(read("+5"), ("5".into(), true));
        assert_eq!(read("-0.13"), ("-0.13".into(), false));
        assert_eq!(read("−7"), ("-7".into(), true));
        assert_eq!(read("－7"), ("-7".into(), true));
        assert_eq!(read("007"), ("7".into(), false));
        assert_eq!(read("-0"), ("0".into(), false));
        assert_eq!(read(".5"), ("0.5".into(), false));
    }

    #[test]
    fn text_that_is_not_a_number_says_why() {
        assert_eq!(from_text("   "), Err(TextProblem::Blank));
        assert_eq!(from_text("\u{3000}"), Err(TextProblem::Blank));
        assert_eq!(from_text("—"), Err(TextProblem::Dash));
        assert_eq!(from_text("-"), Err(TextProblem::Dash));
        assert_eq!(from_text("12%"), Err(TextProblem::Percent));
        assert_eq!(from_text("12％"), Err(TextProblem::Percent));
        assert_eq!(from_text("1.23457E+11"), Err(TextProblem::Exponent));
        assert_eq!(from_text("12,35"), Err(TextProblem::Grouping));
        assert_eq!(from_text("1,33,5"), Err(TextProblem::Grouping));
        assert_eq!(from_text("1335,"), Err(TextProblem::Grouping));
        assert_eq!(from_text("1,335 000"), Err(TextProblem::Grouping));
        assert_eq!(from_text("约5万"), Err(TextProblem::NotANumber));
        assert_eq!(from_text("1335人"), Err(TextProblem::NotANumber));
        assert_eq!(from_text("12."), Err(TextProblem::NotANumber));
        assert_eq!(from_text("1.2.3"), Err(TextProblem::NotANumber));
        assert_eq!(from_text("--5"), Err(TextProblem::NotANumber));
        assert_eq!(from_text("-+5"), Err(TextProblem::NotANumber));
        assert_eq!(from_text("0x10"), Err(TextProblem::NotANumber));
    }
}
