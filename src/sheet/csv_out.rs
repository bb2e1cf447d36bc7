//! The two rules of `metrics.csv` that are for spreadsheets:
//!
//! - it starts with a UTF-8 byte-order mark ([`UTF8_BOM`]), without which Excel
//!   reads a CSV file in the system's code page and shows the Chinese labels as
//!   mojibake;
//! - a **text** field that begins with `=`, `+`, `-`, `@`, a tab or a carriage
//!   return gets a `'` in front ([`csv_text`]), as OWASP's "CSV Injection" page
//!   advises, so that a spreadsheet shows it as text instead of running it as a
//!   formula (`=HYPERLINK(…)`, `@SUM(…)`). Number fields are left as they are: the
//!   caller knows which fields are numbers (`-0.13` is a value, not a formula).

use std::borrow::Cow;

/// The UTF-8 byte-order mark that starts `metrics.csv`.
pub const UTF8_BOM: &str = "\u{feff}";

/// The characters that make a spreadsheet read a field as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text field made safe for a spreadsheet: a leading `=`, `+`, `-`, `@`, tab or
/// carriage return gets a `'` in front; any other text is returned as it is.
///
/// ```
/// use nianbao::sheet::csv_text;
/// assert_eq!(csv_text("=1+1"), "'=1+1");
/// assert_eq!(csv_text("人口出生率"), "人口出生率");
/// ```
pub fn csv_text(field: &str) -> Cow<'_, str> {
    if field.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        assert_eq!(
            csv_text("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(csv_text("+86 10"), "'+86 10");
        assert_eq!(csv_text("-2 births"), "'-2 births");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("\tx"), "'\tx");
        assert_eq!(csv_text("\rx"), "'\rx");
        assert!(matches!(csv_text("‰"), Cow::Borrowed("‰")));
        assert!(matches!(csv_text("a=b"), Cow::Borrowed(_)));
        assert!(matches!(csv_text(""), Cow::Borrowed("")));
        assert!(matches!(csv_text("'quoted"), Cow::Borrowed(_)));
        assert_eq!(UTF8_BOM.as_bytes(), b"\xef\xbb\xbf");
    }

    #[test]
    fn escaped_fields_survive_csv_quoting() {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["-0.13", &csv_text("=1+\"2\""), &csv_text("出生人数")])
            .unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "-0.13,\"'=1+\"\"2\"\"\",出生人数\n");
    }
}
