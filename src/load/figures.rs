//! A year's `figures.toml` (period, source, the figure tree) and `targets.toml`.

use chrono::{Datelike, NaiveDate};
use indexmap::IndexMap;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Diagnostics, FileId};
use crate::exact::Exact;
use crate::model::{Figure, Placeholder, Status, TargetDef, YearData};

use super::toml_read::{self, Reader, get};

/// Reads the `figures.toml` of `year` into a year without targets or narrative;
/// `None` when it does not parse.
pub fn parse(file: FileId, src: &str, year: i32, diags: &mut Diagnostics) -> Option<YearData> {
    let mut r = Reader::new(file, src, diags);
    let doc = r.parse()?;
    let table = doc.get_ref();
    let (start, end) = match get(table, "period") {
        Some(v) => {
            let p = r.table("`period`", v);
            let start = p
                .and_then(|p| get(p, "start"))
                .and_then(|v| r.date("`period.start`", v));
            let end = p
                .and_then(|p| get(p, "end"))
                .and_then(|v| r.date("`period.end`", v));
            if let Some(p) = p {
                r.unknown_keys(p, &["start", "end"], "[period]");
                // A period is most often a year: the missing end a year after
                // the start, the missing start a year before the end.
                let year_after = start
                    .and_then(|s| s.checked_add_months(chrono::Months::new(12)))
                    .and_then(|d| d.pred_opt());
                let year_before = end
                    .and_then(|e| e.checked_sub_months(chrono::Months::new(12)))
                    .and_then(|d| d.succ_opt());
                for (key, plausible, calendar) in [
                    ("start", year_before, NaiveDate::from_ymd_opt(year, 1, 1)),
                    ("end", year_after, NaiveDate::from_ymd_opt(year, 12, 31)),
                ] {
                    if get(p, key).is_none() {
                        let help = plausible.or(calendar).map(|d| format!("add `{key} = {d}`"));
                        r.missing(key, "[period]", v.span(), help);
                    }
                }
            }
            if let (Some(s), Some(e)) = (start, end) {
                if s > e {
                    // At the two dates, the end first: one of them is the typo,
                    // and the table's header says neither which nor where.
                    let span_of = |key| p.and_then(|p| get(p, key)).map(|d| d.span());
                    let at = span_of("end").unwrap_or_else(|| v.span());
                    let mut d = Diagnostic::error("the period ends before it starts")
                        .at(r.loc(at), format!("ends on {e}, before the start"));
                    if let Some(start_span) = span_of("start") {
                        d = d.also(r.loc(start_span), format!("starts on {s}"));
                    }
                    let year_on = s
                        .checked_add_months(chrono::Months::new(12))
                        .and_then(|d| d.pred_opt());
                    r.diags.push(d.help_opt(
                        year_on.map(|a| format!("a year from its start ends on {a}: `end = {a}`")),
                    ));
                } else if !overlaps_year(s, e, year) {
                    // A period of another year: most likely copied and not moved on.
                    r.diags.push(
                        Diagnostic::warning(format!(
                            "the period {s} to {e} does not overlap the year {year} of its folder"
                        ))
                        .at(r.loc(v.span()), format!("not in {year}"))
                        .help(format!(
                            "the figures of data/{year} are for a period in {year}, such as {}-10-01 to {year}-09-30 or the calendar year",
                            year - 1
                        )),
                    );
                }
            }
            (start, end)
        }
        None => {
            r.diags.push(
                Diagnostic::warning(format!(
                    "figures.toml has no [period]; the calendar year {year} is assumed"
                ))
                .at(r.loc(0..0), "")
                .help(format!(
                    "add [period] with start = {year}-01-01 and end = {year}-12-31"
                )),
            );
            (None, None)
        }
    };
    let mut status = Status::Final;
    let mut source_notes = Vec::new();
    if let Some(v) = get(table, "source")
        && let Some(s) = r.table("`source`", v)
    {
        for (key, value) in s.iter() {
            let key_name = key.get_ref().as_ref();
            if key_name == "status" {
                if let Some(st) = r.string("`source.status`", value) {
                    match st.text.as_str() {
                        "final" => status = Status::Final,
                        "preliminary" => status = Status::Preliminary,
                        "draft" => status = Status::Draft,
                        other => r.diags.push(
                            Diagnostic::error(format!("unknown status `{other}`"))
                                .at(st.loc, "unknown status")
                                .help("use \"final\", \"preliminary\" (快报) or \"draft\""),
                        ),
                    }
                }
            } else if let DeValue::Datetime(when) = value.get_ref() {
                // The notes are free-form: a date (`date = 2026-01-10`) is one
                // too, shown as written.
                source_notes.push((key_name.to_string(), when.to_string()));
            } else if let Some(text) = r.string(&format!("`source.{key_name}`"), value) {
                source_notes.push((key_name.to_string(), text.text));
            }
        }
    }
    let mut bad_figures = Vec::new();
    let figures = figure_table(&mut r, table, "", true, &mut bad_figures);
    let mut placeholders = Vec::new();
    placeholders_in(src, &figures, "", Inherited::No, &mut placeholders);
    Some(YearData {
        year,
        start: start.or_else(|| NaiveDate::from_ymd_opt(year, 1, 1))?,
        end: end.or_else(|| NaiveDate::from_ymd_opt(year, 12, 31))?,
        status,
        source_notes,
        figures,
        bad_figures,
        placeholders,
        figures_file: file,
        targets: Vec::new(),
        summary: None,
        plan: None,
    })
}

/// Whether the period from `start` to `end` has a day in the calendar year `year`.
fn overlaps_year(start: NaiveDate, end: NaiveDate, year: i32) -> bool {
    start.year() <= year && end.year() >= year
}

/// The mark at the end of the line where `span` ends, when it marks a
/// placeholder, with the value it records: `Some(Some(151837))` for `new-year`'s
/// `# placeholder: 151837, the 2006 value`, `Some(None)` for a mark without a
/// value (`# placeholder: the 2006 value`, as earlier versions wrote it).
fn placeholder_mark(src: &str, span_end: usize) -> Option<Option<Exact>> {
    let rest = src.get(span_end..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("");
    let mark = line
        .trim_start()
        .strip_prefix('#')?
        .trim_start()
        .strip_prefix("placeholder")?;
    let recorded = mark
        .strip_prefix(':')
        .map(str::trim_start)
        .and_then(|m| m.split([',', ' ']).next())
        .filter(|t| t.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+'))
        .and_then(|t| {
            let t = t.replace('_', "");
            Exact::read_decimal(&t).ok()
        });
    Some(recorded)
}

/// The figures `new-year` marked as last year's values, still carrying the mark:
/// each number whose line ends in the mark, and the numbers of an inline table
/// whose line does (all of them, or those the mark names).
fn placeholders_in(
    src: &str,
    table: &IndexMap<String, Figure>,
    prefix: &str,
    inherited: Inherited,
    out: &mut Vec<Placeholder>,
) {
    for (key, node) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match node {
            Figure::Number(_, loc) => {
                let mark = placeholder_mark(src, loc.span.end);
                if inherited.covers(&path) || mark.is_some() {
                    out.push(Placeholder {
                        path,
                        loc: loc.clone(),
                        was: mark.flatten(),
                    });
                }
            }
            Figure::Table(inner, loc) => {
                // Only an inline table ends on the line of its mark; a `[table]`
                // section's span runs to its last value.
                let inline = src
                    .get(loc.span.clone())
                    .is_some_and(|t| t.starts_with('{'));
                let mark = inline
                    .then(|| crate::placeholder::parse_inline_mark(src.get(loc.span.end..)?))
                    .flatten();
                let inherited = match (&inherited, mark) {
                    (Inherited::No, Some(mark)) => match mark.members {
                        None => Inherited::All,
                        Some(members) => {
                            Inherited::Only(members.iter().map(|m| format!("{path}.{m}")).collect())
                        }
                    },
                    _ => inherited.clone(),
                };
                placeholders_in(src, inner, &path, inherited, out);
            }
        }
    }
}

/// Which numbers below a marked inline table its mark covers.
#[derive(Clone)]
enum Inherited {
    No,
    All,
    /// These paths, whole.
    Only(Vec<String>),
}

impl Inherited {
    fn covers(&self, path: &str) -> bool {
        match self {
            Inherited::No => false,
            Inherited::All => true,
            Inherited::Only(paths) => paths.iter().any(|p| p == path),
        }
    }
}

/// Reads a `targets.toml`.
pub fn parse_targets(file: FileId, src: &str, diags: &mut Diagnostics) -> Vec<TargetDef> {
    let mut r = Reader::new(file, src, diags);
    match r.parse() {
        Some(doc) => targets(&mut r, doc.get_ref(), "targets.toml"),
        None => Vec::new(),
    }
}

/// Reads the free-form tables of figures. `top` skips the reserved `[period]` and
/// `[source]` tables.
fn figure_table(
    r: &mut Reader,
    table: &DeTable,
    prefix: &str,
    top: bool,
    bad: &mut Vec<String>,
) -> IndexMap<String, Figure> {
    let mut out = IndexMap::new();
    for (key, value) in table.iter() {
        let name = key.get_ref().to_string();
        if top && (name == "period" || name == "source") {
            continue;
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let loc = r.loc(value.span());
        match value.get_ref() {
            DeValue::Table(t) => {
                let inner = figure_table(r, t, &path, false, bad);
                out.insert(name, Figure::Table(inner, loc));
            }
            DeValue::Integer(_) | DeValue::Float(_) => {
                match r.number(&format!("the figure `{path}`"), value) {
                    Some(n) => {
                        out.insert(name, Figure::Number(n, loc));
                    }
                    None => bad.push(path),
                }
            }
            _ => {
                r.diags.push(
                    Diagnostic::error(format!(
                        "the figure `{path}` must be a number or a table of numbers, found {}",
                        toml_read::type_name(value.get_ref())
                    ))
                    .at(loc, "not a number")
                    .help("figures are numbers; put words in summary.toml, and notes in [source]"),
                );
                bad.push(path);
            }
        }
    }
    out
}

pub(super) fn targets(r: &mut Reader, table: &DeTable, context: &str) -> Vec<TargetDef> {
    let mut out = Vec::new();
    for (key, value) in table.iter() {
        let metric = key.get_ref().to_string();
        let what = format!("the target for `{metric}`");
        let Some(t) = r.table(&what, value) else {
            continue;
        };
        r.unknown_keys(t, &["min", "max"], &format!("{context} [{metric}]"));
        let min = get(t, "min").and_then(|v| r.number(&format!("`min` of {what}"), v));
        let max = get(t, "max").and_then(|v| r.number(&format!("`max` of {what}"), v));
        if get(t, "min").is_none() && get(t, "max").is_none() {
            r.diags.push(
                Diagnostic::error(format!("{what} has neither `min` nor `max`"))
                    .at(r.loc(value.span()), "empty target")
                    .help("add `min = …` and/or `max = …`"),
            );
            continue;
        }
        if let (Some(lo), Some(hi)) = (&min, &max)
            && lo > hi
        {
            r.diags.push(
                Diagnostic::error(format!("{what} has min above max"))
                    .at(r.loc(value.span()), "no value can meet this"),
            );
        }
        out.push(TargetDef {
            metric,
            loc: r.loc(key.span()),
            min,
            max,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{parse, parse_targets};
    use crate::diag::{Diagnostics, FileId};
    use crate::exact::Exact;
    use crate::model::{Figure, Status};

    #[test]
    fn figures_are_exact_and_keep_their_tree() {
        let mut diags = Diagnostics::default();
        let src = "[period]\nstart = 2005-10-01\nend = 2006-09-30\n[source]\nstatus = \"preliminary\"\nnote = \"快报\"\n[births.by_order]\nfirst = 929\nshare = 12.35\n";
        let year = parse(FileId(0), src, 2006, &mut diags).expect("a year");
        assert!(diags.items.is_empty(), "{:?}", diags.items);
        assert_eq!(year.status, Status::Preliminary);
        assert_eq!(
            year.source_notes,
            [("note".to_string(), "快报".to_string())]
        );
        assert_eq!(
            Figure::number_at(&year.figures, "births.by_order.share"),
            Exact::parse_decimal("12.35").as_ref()
        );
        assert_eq!(
            Figure::paths(&year.figures),
            ["births.by_order.first", "births.by_order.share"]
        );
    }

    #[test]
    fn a_missing_period_is_the_calendar_year_with_a_warning() {
        let mut diags = Diagnostics::default();
        let year = parse(FileId(0), "[a]\nb = 1\n", 2020, &mut diags).expect("a year");
        assert_eq!(year.start.to_string(), "2020-01-01");
        assert_eq!(year.end.to_string(), "2020-12-31");
        assert_eq!(diags.warnings(), 1);
    }

    #[test]
    fn targets_need_a_bound_that_can_be_met() {
        let mut diags = Diagnostics::default();
        let t = parse_targets(
            FileId(0),
            "[rate]\nmin = 95\n[odd]\nmin = 2\nmax = 1\n[none]\n",
            &mut diags,
        );
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].metric, "rate");
        assert_eq!(diags.errors(), 2, "{:?}", diags.items);
    }
}
