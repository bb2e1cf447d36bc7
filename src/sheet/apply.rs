//! Writing imported figures into `figures.toml` with toml_edit: in an existing file
//! only the values the import names change — comments, order, blank lines, the
//! comment column and every other value stay as they are; a figure the file does not
//! have yet is added at the end of its table (or in a new table at the end). A new
//! file gets a header comment, `[period]` and the figures' tables in the mapping's
//! order. Values are written as the decimal text the import read, never through a
//! float: `12.35` is written `12.35`.

use chrono::NaiveDate;
use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

use super::Imported;
use crate::exact::Exact;

/// What the import does to one figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The file has no such figure yet.
    Added,
    /// The file had this value, written so.
    Changed(String),
    /// The file has the same value already (it is left as written).
    Unchanged,
}

/// One figure of the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The figure path.
    pub path: String,
    /// The new value, as written.
    pub new: String,
    /// Where it came from (`表1!D5`).
    pub cell: String,
    /// Added, changed or unchanged.
    pub status: Status,
}

/// The new text of `figures.toml` and what changed.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The whole file.
    pub text: String,
    /// One entry per imported figure, in the import's order.
    pub changes: Vec<Change>,
}

/// What a new `figures.toml` starts with.
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    /// The year.
    pub year: i32,
    /// `[period]`.
    pub period: (NaiveDate, NaiveDate),
    /// The spreadsheet, named in the header comment.
    pub source: &'a str,
}

/// A figure the import cannot write, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The figure path.
    pub path: String,
    /// Why.
    pub why: String,
}

/// Applies `values` to `existing` (the text of `figures.toml`), or makes a new file.
/// `Err` lists every figure that cannot be written (or holds the TOML error of a
/// file that does not parse); nothing is applied then.
pub fn apply(
    existing: Option<&str>,
    values: &[Imported],
    new: &NewFile,
) -> Result<Applied, Vec<Conflict>> {
    let (mut doc, header) = match existing {
        Some(text) => match text.parse::<DocumentMut>() {
            Ok(doc) => (doc, None),
            Err(e) => {
                return Err(vec![Conflict {
                    path: String::new(),
                    why: format!(
                        "it is not valid TOML ({})",
                        e.to_string().lines().next().unwrap_or("").trim()
                    ),
                }]);
            }
        },
        None => (new_document(new), Some(header(new))),
    };
    let mut next_position = max_position(doc.as_table()) + 1;
    let mut changes = Vec::new();
    let mut conflicts = Vec::new();
    for v in values {
        match set(&mut doc, v, &mut next_position) {
            Ok(status) => changes.push(Change {
                path: v.path.clone(),
                new: v.decimal.clone(),
                cell: v.cell.clone(),
                status,
            }),
            Err(why) => conflicts.push(Conflict {
                path: v.path.clone(),
                why,
            }),
        }
    }
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    let body = doc.to_string();
    let text = match header {
        Some(h) => format!("{h}{}", body.trim_start()),
        None => body,
    };
    // toml_edit writes LF; a file saved with CRLF (a Windows editor) keeps CRLF.
    let text = if existing.is_some_and(|t| t.contains("\r\n")) {
        text.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        text
    };
    Ok(Applied { text, changes })
}

fn header(new: &NewFile) -> String {
    format!(
        "# Figures of {}, imported by `nianbao import` from {}.\n\
         # Comments and layout added here are kept by later imports, which change only values.\n\n",
        new.year, new.source
    )
}

fn new_document(new: &NewFile) -> DocumentMut {
    let text = format!(
        "[period]\nstart = {}\nend = {}\n",
        new.period.0, new.period.1
    );
    text.parse::<DocumentMut>().unwrap_or_default()
}

/// The largest table position in the document, so that new tables go after all.
fn max_position(table: &Table) -> isize {
    let mut max = table.position().unwrap_or(0);
    for (_, item) in table.iter() {
        if let Item::Table(t) = item {
            max = max.max(max_position(t));
        }
    }
    max
}

/// A TOML number written exactly as `decimal`: an integer when it has no fraction
/// and fits TOML's integers, else a float of that text.
pub fn number_value(decimal: &str) -> Option<Value> {
    let parse = |text: &str| -> Option<Value> {
        let doc = format!("v = {text}").parse::<DocumentMut>().ok()?;
        let mut v = doc.get("v")?.as_value()?.clone();
        v.decor_mut().clear();
        Some(v)
    };
    match parse(decimal) {
        Some(v) => Some(v),
        // A whole number beyond TOML's 64-bit integers: a float, still exact.
        None if !decimal.contains('.') => parse(&format!("{decimal}.0")),
        None => None,
    }
}

/// The exact value of a TOML number, from the text it is written as.
fn exact_of(v: &Value) -> Option<Exact> {
    match v {
        Value::Integer(i) => {
            let repr = i.display_repr();
            Exact::parse_decimal(&repr).or_else(|| Some(Exact::from_int(*i.value())))
        }
        Value::Float(f) => Exact::parse_decimal(&f.display_repr()),
        _ => None,
    }
}

fn repr(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.display_repr().into_owned(),
        Value::Float(f) => f.display_repr().into_owned(),
        other => other.to_string().trim().to_string(),
    }
}

fn kind(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Table(_) | Item::Value(Value::InlineTable(_)) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
        Item::Value(Value::String(_)) => "a string",
        Item::Value(Value::Boolean(_)) => "a boolean",
        Item::Value(Value::Datetime(_)) => "a date",
        Item::Value(Value::Array(_)) => "an array",
        Item::Value(_) => "a number",
    }
}

/// Sets one figure; `Err` says why it cannot be.
fn set(doc: &mut DocumentMut, v: &Imported, next_position: &mut isize) -> Result<Status, String> {
    let segments: Vec<&str> = v.path.split('.').collect();
    let Some((leaf, parents)) = segments.split_last() else {
        return Err("the path is empty".into());
    };
    let Some(new) = number_value(&v.decimal) else {
        return Err(format!(
            "`{}` cannot be written as a TOML number",
            v.decimal
        ));
    };
    let mut table: &mut dyn TableLike = doc.as_table_mut();
    for (i, seg) in parents.iter().enumerate() {
        let so_far = segments[..=i].join(".");
        let last = i + 1 == parents.len();
        if table.get(seg).is_none() {
            let mut t = Table::new();
            if last {
                t.set_position(Some(*next_position));
                *next_position += 1;
                t.decor_mut().set_prefix("\n");
            } else {
                t.set_implicit(true);
            }
            table.insert(seg, Item::Table(t));
        }
        let Some(item) = table.get_mut(seg) else {
            return Err(format!("`{so_far}` cannot be made a table"));
        };
        let found = kind(item);
        // A table that so far only held tables gets a header once it holds a value.
        if last
            && let Item::Table(t) = item
            && t.is_implicit()
        {
            t.set_implicit(false);
            t.set_position(Some(*next_position));
            *next_position += 1;
            t.decor_mut().set_prefix("\n");
        }
        table = match item.as_table_like_mut() {
            Some(t) => t,
            None => {
                return Err(format!(
                    "figures.toml has `{so_far}` as {found}, so it cannot hold the figure `{}`",
                    v.path
                ));
            }
        };
    }
    match table.get_mut(leaf) {
        None => {
            table.insert(leaf, Item::Value(new));
            Ok(Status::Added)
        }
        Some(item) => {
            let found = kind(item);
            let Some(old) = item
                .as_value_mut()
                .filter(|o| matches!(o, Value::Integer(_) | Value::Float(_)))
            else {
                return Err(format!(
                    "figures.toml has `{}` as {found}, not a number",
                    v.path
                ));
            };
            let old_exact = exact_of(old);
            if old_exact.is_some() && old_exact == Exact::parse_decimal(&v.decimal) {
                return Ok(Status::Unchanged);
            }
            let old_text = repr(old);
            let mut new = new;
            *new.decor_mut() = old.decor().clone();
            keep_comment_column(&mut new, &old_text, &v.decimal);
            *old = new;
            Ok(Status::Changed(old_text))
        }
    }
}

/// Keeps a trailing comment where it was when the value's width changes.
fn keep_comment_column(v: &mut Value, old: &str, new: &str) {
    let Some(suffix) = v
        .decor()
        .suffix()
        .and_then(|s| s.as_str())
        .map(str::to_string)
    else {
        return;
    };
    let Some(hash) = suffix.find('#') else {
        return;
    };
    let pad = &suffix[..hash];
    if !pad.chars().all(|c| c == ' ') || pad.is_empty() {
        return;
    }
    let width = (pad.len() + old.len()).saturating_sub(new.len()).max(1);
    v.decor_mut()
        .set_suffix(format!("{}{}", " ".repeat(width), &suffix[hash..]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imp(path: &str, decimal: &str) -> Imported {
        Imported {
            path: path.into(),
            decimal: decimal.into(),
            cell: "表1!D5".into(),
        }
    }

    fn new_file() -> NewFile<'static> {
        NewFile {
            year: 2006,
            period: (
                NaiveDate::from_ymd_opt(2005, 10, 1).unwrap(),
                NaiveDate::from_ymd_opt(2006, 9, 30).unwrap(),
            ),
            source: "forms-2006.xlsx",
        }
    }

    const FILE: &str = "# Figures of 2006.\n\n[period]\nstart = 2005-10-01\nend = 2006-09-30\n\n[population]\ntotal = 151837                    # end of period\n\n[births.by_order]\nfirst = 929\nsecond = 400   # two\n\n# Activity.\n[training]\ndays = 5\nrate = 12.50\n";

    #[test]
    fn only_the_values_named_change() {
        let values = [
            imp("population.total", "151840"),
            imp("births.by_order.second", "4000"),
            imp("births.by_order.first", "929"),
            imp("training.rate", "12.5"),
            imp("training.share", "0.3"),
            imp("births.by_sex.boys", "708"),
            imp("deaths.total", "738"),
        ];
        let applied = apply(Some(FILE), &values, &new_file()).unwrap();
        let statuses: Vec<&Status> = applied.changes.iter().map(|c| &c.status).collect();
        assert_eq!(
            statuses,
            [
                &Status::Changed("151837".into()),
                &Status::Changed("400".into()),
                &Status::Unchanged,
                &Status::Unchanged,
                &Status::Added,
                &Status::Added,
                &Status::Added,
            ]
        );
        assert_eq!(
            applied.text,
            "# Figures of 2006.\n\n[period]\nstart = 2005-10-01\nend = 2006-09-30\n\n[population]\ntotal = 151840                    # end of period\n\n[births.by_order]\nfirst = 929\nsecond = 4000  # two\n\n# Activity.\n[training]\ndays = 5\nrate = 12.50\nshare = 0.3\n\n[births.by_sex]\nboys = 708\n\n[deaths]\ntotal = 738\n"
        );
    }

    #[test]
    fn a_new_file_has_its_period_and_tables_in_order() {
        let values = [
            imp("population.total", "151837"),
            imp("births.by_order.first", "929"),
            imp("births.by_order.second", "400"),
            imp("women.childbearing_age", "42791"),
            imp("births.total", "1335"),
            imp("rates.share", "12.35"),
            imp("big.n", "100000000000000000000"),
        ];
        let applied = apply(None, &values, &new_file()).unwrap();
        assert!(applied.changes.iter().all(|c| c.status == Status::Added));
        assert_eq!(
            applied.text,
            "# Figures of 2006, imported by `nianbao import` from forms-2006.xlsx.\n# Comments and layout added here are kept by later imports, which change only values.\n\n[period]\nstart = 2005-10-01\nend = 2006-09-30\n\n[population]\ntotal = 151837\n\n[births.by_order]\nfirst = 929\nsecond = 400\n\n[women]\nchildbearing_age = 42791\n\n[births]\ntotal = 1335\n\n[rates]\nshare = 12.35\n\n[big]\nn = 100000000000000000000.0\n"
        );
        // It reads back as TOML with the same values.
        let doc: DocumentMut = applied.text.parse().unwrap();
        assert_eq!(doc["births"]["total"].as_integer(), Some(1335));
    }

    #[test]
    fn a_figure_where_a_table_or_text_is_is_refused() {
        let values = [
            imp("population", "5"),
            imp("population.total.male", "5"),
            imp("period.start", "5"),
            imp("training.days", "6"),
        ];
        let err = apply(Some(FILE), &values, &new_file()).unwrap_err();
        let whys: Vec<&str> = err.iter().map(|c| c.why.as_str()).collect();
        assert_eq!(
            whys,
            [
                "figures.toml has `population` as a table, not a number",
                "figures.toml has `population.total` as a number, so it cannot hold the figure `population.total.male`",
                "figures.toml has `period.start` as a date, not a number",
            ]
        );
        assert!(apply(Some("a = ["), &values, &new_file()).is_err());
    }

    #[test]
    fn numbers_are_written_as_read() {
        for text in ["12.35", "0.3", "-0.13", "151837", "0.00000015", "12.350"] {
            assert_eq!(number_value(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn keys_that_need_quotes_and_crlf_files() {
        let values = [imp("人口.总数", "5"), imp("a.x", "2")];
        let applied = apply(Some("[a]\r\nx = 1 # one\r\n"), &values, &new_file()).unwrap();
        assert_eq!(
            applied.text,
            "[a]\r\nx = 2 # one\r\n\r\n[\"人口\"]\r\n\"总数\" = 5\r\n"
        );
        let doc: DocumentMut = applied.text.parse().unwrap();
        assert_eq!(doc["人口"]["总数"].as_integer(), Some(5));
    }
}
