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
    let mut big = Big::new(existing.unwrap_or(""));
    let masked = existing.map(|t| big.mask(t));
    let (mut doc, header) = match masked.as_deref() {
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
        match set(&mut doc, v, &mut next_position, &mut big) {
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
    let body = without_stale_scaffold_note(big.restore(doc.to_string()));
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

/// `new-year`'s note that "every number below is still the 2007 value", once
/// no number is: it would tell the next reader the imported figures are
/// placeholders (found by an audit). The first line, which says where the file
/// came from, stays.
fn without_stale_scaffold_note(body: String) -> String {
    const FIRST: &str = "# Every number below is still the ";
    const LAST: &str = "carries a DRAFT / 草稿 banner.";
    if body.contains("# placeholder") {
        return body;
    }
    let Some(start) = body.find(FIRST) else {
        return body;
    };
    let Some(end) = body[start..].find(LAST).map(|i| start + i + LAST.len()) else {
        return body;
    };
    let end = body[end..].find('\n').map_or(body.len(), |i| end + i + 1);
    format!("{}{}", &body[..start], &body[end..])
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

/// Whole numbers beyond 64 bits. TOML's grammar has integers of any size, and
/// nianbao reads them exactly, but toml_edit refuses one that does not fit an
/// `i64`. So each such integer of the file, and each such new value, is held in the
/// document as a literal string of a marker found nowhere in the file
/// (`'nianbao-big-integer-0-3'`), and the marker is replaced by the integer as
/// written once the document is text again: the integer is written as it is
/// (`123456789012345678901234567890`, not `….0`).
struct Big {
    nonce: String,
    /// The integers as written, and their values.
    literals: Vec<(String, Option<Exact>)>,
}

impl Big {
    fn new(text: &str) -> Big {
        let nonce = (0u32..)
            .map(|n| format!("nianbao-big-integer-{n}-"))
            .find(|n| !text.contains(n.as_str()))
            .unwrap_or_default();
        Big {
            nonce,
            literals: Vec::new(),
        }
    }

    fn token(&self, k: usize) -> String {
        format!("'{}{k}'", self.nonce)
    }

    /// `text` with each integer beyond 64 bits replaced by its marker.
    fn mask(&mut self, text: &str) -> String {
        use toml::de::{DeTable, DeValue};
        fn walk(
            v: &toml::Spanned<DeValue>,
            out: &mut Vec<(std::ops::Range<usize>, Option<Exact>)>,
        ) {
            match v.get_ref() {
                DeValue::Integer(i) if i64::from_str_radix(i.as_str(), i.radix()).is_err() => {
                    out.push((v.span(), Exact::read_integer(i.as_str(), i.radix()).ok()));
                }
                DeValue::Array(items) => items.iter().for_each(|i| walk(i, out)),
                DeValue::Table(t) => t.values().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
        let (table, errors) = DeTable::parse_recoverable(text);
        if !errors.is_empty() {
            return text.to_string();
        }
        let mut spans = Vec::new();
        table.get_ref().values().for_each(|v| walk(v, &mut spans));
        spans.sort_by_key(|(span, _)| span.start);
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (span, value) in spans {
            let (Some(before), Some(literal)) = (text.get(at..span.start), text.get(span.clone()))
            else {
                return text.to_string();
            };
            out.push_str(before);
            out.push_str(&self.token(self.literals.len()));
            self.literals.push((literal.to_string(), value));
            at = span.end;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        out
    }

    /// A marker value for a new whole number beyond 64 bits.
    fn value(&mut self, decimal: &str) -> Option<Value> {
        let token = self.token(self.literals.len());
        let v = parse_value(&token)?;
        self.literals
            .push((decimal.to_string(), Exact::parse_decimal(decimal)));
        Some(v)
    }

    /// The integer a marker stands for: as written, and its value.
    fn literal(&self, v: &Value) -> Option<&(String, Option<Exact>)> {
        let Value::String(s) = v else { return None };
        let k: usize = s.value().strip_prefix(self.nonce.as_str())?.parse().ok()?;
        self.literals.get(k)
    }

    /// The document's text with each marker replaced by its integer.
    fn restore(&self, mut text: String) -> String {
        for (k, (literal, _)) in self.literals.iter().enumerate().rev() {
            text = text.replace(&self.token(k), literal);
        }
        text
    }
}

fn parse_value(text: &str) -> Option<Value> {
    let doc = format!("v = {text}").parse::<DocumentMut>().ok()?;
    let mut v = doc.get("v")?.as_value()?.clone();
    v.decor_mut().clear();
    Some(v)
}

/// A TOML number written exactly as `decimal`: an integer when it has no fraction,
/// else a float of that text. `None` for a whole number beyond 64 bits, which
/// toml_edit cannot hold (see [`Big`]).
pub fn number_value(decimal: &str) -> Option<Value> {
    parse_value(decimal)
}

/// Whether `decimal` is a whole number (`-123`), which TOML writes as an integer
/// whatever its size.
fn is_whole(decimal: &str) -> bool {
    let digits = decimal.strip_prefix('-').unwrap_or(decimal);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
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
fn set(
    doc: &mut DocumentMut,
    v: &Imported,
    next_position: &mut isize,
    big: &mut Big,
) -> Result<Status, String> {
    let status = set_value(doc, v, next_position, big)?;
    unmark_in_inline_table(doc, &v.path);
    Ok(status)
}

/// Takes `path` off the `# placeholders` mark of the inline table holding it:
/// the mark is on the table's line, as comments cannot go inside it, and an
/// audit found a figure set from the form still held for new-year's
/// placeholder because its table kept the mark. The members still unset are
/// named (`# placeholders: second, multiple (the 2008 values)`); once none
/// is left, the mark goes.
fn unmark_in_inline_table(doc: &mut DocumentMut, path: &str) {
    let segments: Vec<&str> = path.split('.').collect();
    let mut item = doc.as_item_mut();
    for (i, seg) in segments.iter().enumerate() {
        let Some(next) = item.get_mut(seg) else {
            return;
        };
        if let Item::Value(Value::InlineTable(t)) = next {
            let Some(mark) = t
                .decor()
                .suffix()
                .and_then(|s| s.as_str())
                .and_then(crate::placeholder::parse_inline_mark)
            else {
                return;
            };
            let member = segments[i + 1..].join(".");
            let left: Vec<String> = mark
                .members
                .unwrap_or_else(|| number_members(t, ""))
                .into_iter()
                .filter(|m| *m != member)
                .collect();
            let suffix = t
                .decor()
                .suffix()
                .and_then(|s| s.as_str())
                .map(|s| s[..s.find('#').unwrap_or(s.len())].to_string())
                .unwrap_or_default();
            if left.is_empty() {
                t.decor_mut().set_suffix("");
            } else {
                let pad = if suffix.is_empty() {
                    " ".to_string()
                } else {
                    suffix
                };
                t.decor_mut().set_suffix(format!(
                    "{pad}{}",
                    crate::placeholder::inline_mark(&left, &mark.rest)
                ));
            }
            return;
        }
        item = next;
    }
}

/// The dotted paths of the numbers in an inline table, below `prefix`.
fn number_members(t: &toml_edit::InlineTable, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in t.iter() {
        let path = if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Integer(_) | Value::Float(_) => out.push(path),
            Value::InlineTable(inner) => out.extend(number_members(inner, &path)),
            _ => {}
        }
    }
    out
}

/// Sets one figure's value, the comments and layout around it kept.
fn set_value(
    doc: &mut DocumentMut,
    v: &Imported,
    next_position: &mut isize,
    big: &mut Big,
) -> Result<Status, String> {
    let segments: Vec<&str> = v.path.split('.').collect();
    let Some((leaf, parents)) = segments.split_last() else {
        return Err("the path is empty".into());
    };
    let new = match number_value(&v.decimal) {
        Some(n) => Some(n),
        None if is_whole(&v.decimal) => big.value(&v.decimal),
        None => None,
    };
    let Some(new) = new else {
        return Err(format!(
            "{} cannot be written as a TOML number",
            super::quote(&v.decimal)
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
            let Some(old) = item.as_value_mut().filter(|o| {
                matches!(o, Value::Integer(_) | Value::Float(_)) || big.literal(o).is_some()
            }) else {
                return Err(format!(
                    "figures.toml has `{}` as {found}, not a number",
                    v.path
                ));
            };
            let (old_text, old_exact) = match big.literal(old) {
                Some((text, exact)) => (text.clone(), exact.clone()),
                None => (repr(old), exact_of(old)),
            };
            if old_exact.is_some() && old_exact == Exact::parse_decimal(&v.decimal) {
                // The same value, now from the form: no longer new-year's guess.
                drop_placeholder_mark(old);
                return Ok(Status::Unchanged);
            }
            let mut new = new;
            *new.decor_mut() = old.decor().clone();
            drop_placeholder_mark(&mut new);
            keep_comment_column(&mut new, &old_text, &v.decimal);
            *old = new;
            Ok(Status::Changed(old_text))
        }
    }
}

/// Drops the `# placeholder: 152604, the 2007 value` comment `new-year` writes: a value
/// the import set (or found the same in the form) is the year's figure, and a
/// comment saying otherwise would be false; `check` would also hold a value
/// that did not change from last year for a placeholder (found by an audit).
fn drop_placeholder_mark(v: &mut Value) {
    let Some(suffix) = v.decor().suffix().and_then(|s| s.as_str()) else {
        return;
    };
    let Some(hash) = suffix.find('#') else {
        return;
    };
    if suffix[hash + 1..].trim_start().starts_with("placeholder") {
        v.decor_mut().set_suffix("");
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
mod tests;
