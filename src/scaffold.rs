//! `new-year` scaffolding, pure: last year's files in, next year's files out, as
//! text. Nothing here reads or writes the disk; `cmd/new_year.rs` does.
//!
//! - `figures.toml` keeps every table and key of last year, with last year's values
//!   as placeholders (each marked by a comment), the period moved on by a year and
//!   `[source] status = "draft"`, so the report builds at once and carries the
//!   DRAFT / 草稿 banner until the figures are replaced and the status changed.
//! - `targets.toml` is last year's plan `[targets]` (next year's targets are this
//!   year's).
//! - `summary.toml` has one section per key task of last year's plan, titles
//!   carried over and texts empty (an empty text shows as "(to be written)" and
//!   `nianbao check` warns about it).
//! - `plan.toml` is a skeleton with the structure commented.
//!
//! TOML is edited with `toml_edit`, which keeps the layout and comments of last
//! year's file; new strings are quoted by it too, never by hand.

use chrono::{Datelike, NaiveDate};
use toml_edit::{DocumentMut, Item, Table, Value};

/// Last year's files, as text.
#[derive(Debug, Clone, Copy)]
pub struct LastYear<'a> {
    /// Last year.
    pub year: i32,
    /// `figures.toml`.
    pub figures: &'a str,
    /// `plan.toml`, when there is one.
    pub plan: Option<&'a str>,
}

/// A file of the new year: its name in `data/<year>/` and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// The file name (`figures.toml`).
    pub name: &'static str,
    /// Its text.
    pub text: String,
}

/// Last year's files could not be read as TOML.
#[derive(Debug, thiserror::Error)]
#[error("data/{year}/{file} is not valid TOML ({message}); run `nianbao check --year {year}`")]
pub struct ScaffoldError {
    /// Last year.
    pub year: i32,
    /// The file.
    pub file: &'static str,
    /// The parser's message, first line.
    pub message: String,
}

/// The four files of `year`, made from last year's.
pub fn scaffold(year: i32, last: &LastYear) -> Result<Vec<NewFile>, ScaffoldError> {
    let plan = match last.plan {
        Some(text) => Some(parse(text, last.year, "plan.toml")?),
        None => None,
    };
    Ok(vec![
        NewFile {
            name: "figures.toml",
            text: figures(year, last)?,
        },
        NewFile {
            name: "targets.toml",
            text: targets(year, last.year, plan.as_ref()),
        },
        NewFile {
            name: "summary.toml",
            text: summary(year, last.year, plan.as_ref()),
        },
        NewFile {
            name: "plan.toml",
            text: plan_skeleton(year, plan.as_ref()),
        },
    ])
}

fn parse(text: &str, year: i32, file: &'static str) -> Result<DocumentMut, ScaffoldError> {
    text.parse::<DocumentMut>().map_err(|e| ScaffoldError {
        year,
        file,
        message: e
            .to_string()
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string(),
    })
}

/// A string as TOML writes it (quoted and escaped by toml_edit).
fn quoted(s: &str) -> String {
    Value::from(s).to_string().trim().to_string()
}

fn figures(year: i32, last: &LastYear) -> Result<String, ScaffoldError> {
    // Last year's opening comment describes last year's sources: drop it, and put
    // a header that says what this file is now.
    let body = strip_leading_comments(last.figures);
    let mut doc = parse(body, last.year, "figures.toml")?;
    let prev = last.year;

    // The period moves on by a year (the last day of February stays the last).
    match doc.get_mut("period").and_then(Item::as_table_like_mut) {
        Some(period) => {
            for key in ["start", "end"] {
                if let Some(item) = period.get_mut(key)
                    && let Some(Value::Datetime(dt)) = item.as_value_mut()
                    && let Some(date) = dt.value().date
                {
                    let shifted = shift_year(date, year - prev);
                    let decor = dt.decor().clone();
                    let mut new_dt = *dt.value();
                    new_dt.date = Some(shifted);
                    let mut v = Value::from(new_dt);
                    *v.decor_mut() = decor;
                    *item = Item::Value(v);
                }
            }
        }
        None => {
            // No [period]: the calendar year (parsed, so that the values are TOML dates).
            let text = format!("start = {year}-01-01\nend = {year}-12-31\n");
            if let Ok(d) = text.parse::<DocumentMut>() {
                let mut period = d.as_table().clone();
                period.set_position(Some(-2));
                doc.insert("period", Item::Table(period));
            }
        }
    }

    // [source]: status "draft"; last year's notes are kept as comments to update.
    let mut notes = String::new();
    if let Some(source) = doc.get("source").and_then(Item::as_table_like) {
        for (k, v) in source.iter() {
            if k == "status" {
                continue;
            }
            if let Some(v) = v.as_value() {
                let mut v = v.clone();
                v.decor_mut().clear();
                // A multi-line string spans lines: each is commented, or the
                // lines after the first would be read as TOML (and not parse).
                for line in format!("{k} = {v}").lines() {
                    notes.push_str(&format!("# {}\n", line.trim_end_matches('\r')));
                }
            }
        }
    }
    let mut source = Table::new();
    let mut status = Value::from("draft");
    status.decor_mut().set_prefix(" ");
    status
        .decor_mut()
        .set_suffix("   # \"preliminary\" (快报) or \"final\" once the figures are in");
    source.insert("status", Item::Value(status));
    if !notes.is_empty()
        && let Some(mut key) = source.key_mut("status")
    {
        key.leaf_decor_mut().set_prefix(format!(
            "# Where the figures come from. Last year's notes, to update:\n{notes}"
        ));
    }
    let position = doc
        .get("source")
        .and_then(Item::as_table)
        .and_then(Table::position)
        .or_else(|| {
            doc.get("period")
                .and_then(Item::as_table)
                .and_then(Table::position)
        });
    let prefix = doc
        .get("source")
        .and_then(Item::as_table)
        .and_then(|t| t.decor().prefix())
        .and_then(|p| p.as_str())
        .unwrap_or("\n")
        .to_string();
    source.set_position(position);
    source.decor_mut().set_prefix(prefix);
    doc.insert("source", Item::Table(source));

    // Every number: kept, and marked as last year's.
    for (key, item) in doc.iter_mut() {
        if key == "period" || key == "source" {
            continue;
        }
        mark_placeholders(item, prev);
    }

    let header = format!(
        "# Figures for {year}, scaffolded by `nianbao new-year {year}` from data/{prev}/figures.toml.\n\
         # Every number below is still the {prev} value, kept as a placeholder so that the\n\
         # report builds: replace each one with the {year} figure, then change the status in\n\
         # [source]. Until then every output of {year} carries a DRAFT / 草稿 banner.\n\n"
    );
    Ok(format!("{header}{}", doc.to_string().trim_start()))
}

/// Drops the comment lines (and blank lines) that open a file.
fn strip_leading_comments(text: &str) -> &str {
    let mut rest = text;
    loop {
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..line_end].trim();
        if line_end == 0 || !(line.is_empty() || line.starts_with('#')) {
            return rest;
        }
        rest = &rest[line_end..];
    }
}

fn shift_year(date: toml_edit::Date, by: i32) -> toml_edit::Date {
    let new_year = i32::from(date.year) + by;
    let (month, day) = (u32::from(date.month), u32::from(date.day));
    // A period that ends on the last day of February (a year from 1 March) ends
    // on the last of next year's February: 2007-02-28 becomes 2008-02-29, or
    // the new period would leave out a day. Other months' last days are fixed.
    let last_of_february = month == 2
        && NaiveDate::from_ymd_opt(i32::from(date.year), 2, day)
            .and_then(|d| d.succ_opt())
            .is_some_and(|next| next.month() == 3);
    let day = if last_of_february {
        NaiveDate::from_ymd_opt(new_year, 3, 1).and_then(|d| d.pred_opt())
    } else {
        NaiveDate::from_ymd_opt(new_year, month, day)
            .or_else(|| NaiveDate::from_ymd_opt(new_year, month, 28))
    };
    match day {
        Some(d) => toml_edit::Date {
            year: u16::try_from(d.year()).unwrap_or(date.year),
            month: d.month() as u8,
            day: d.day() as u8,
        },
        None => date,
    }
}

fn mark_placeholders(item: &mut Item, prev: i32) {
    match item {
        Item::Table(t) => {
            for (_, child) in t.iter_mut() {
                mark_placeholders(child, prev);
            }
        }
        Item::Value(v @ (Value::Integer(_) | Value::Float(_))) => {
            let old = v
                .decor()
                .suffix()
                .and_then(|s| s.as_str())
                .unwrap_or("")
                .to_string();
            let (pad, note) = match old.find('#') {
                Some(at) => (old[..at].to_string(), old[at + 1..].trim().to_string()),
                None => (" ".repeat(4), String::new()),
            };
            let pad = if pad.is_empty() { " ".to_string() } else { pad };
            // The value is recorded so that `check` still knows the placeholder
            // after last year's figure is revised (found by an audit: a revised
            // 快报 figure made the untouched copy look typed in).
            let was = match v {
                Value::Integer(i) => i.display_repr().into_owned(),
                Value::Float(f) => f.display_repr().into_owned(),
                _ => String::new(),
            };
            let comment = if note.is_empty() {
                format!("# placeholder: {was}, the {prev} value")
            } else {
                format!("# placeholder: {was}, the {prev} value ({prev} note: {note})")
            };
            v.decor_mut().set_suffix(format!("{pad}{comment}"));
        }
        Item::Value(Value::InlineTable(t)) => {
            // Comments cannot go inside an inline table: mark the table as a whole.
            let old = t.decor().suffix().and_then(|s| s.as_str()).unwrap_or("");
            if !old.contains("placeholder") {
                t.decor_mut()
                    .set_suffix(format!(" {}", crate::placeholder::whole_table_mark(prev)));
            }
        }
        _ => {}
    }
}

/// The `[targets]` of last year's plan, as `(metric, [(key, number text)])`.
fn plan_targets(plan: Option<&DocumentMut>) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let Some(targets) = plan
        .and_then(|p| p.get("targets"))
        .and_then(Item::as_table_like)
    else {
        return out;
    };
    for (metric, bounds) in targets.iter() {
        let Some(bounds) = bounds.as_table_like() else {
            continue;
        };
        let mut pairs = Vec::new();
        for key in ["min", "max"] {
            if let Some(v) = bounds.get(key).and_then(Item::as_value) {
                let mut v = v.clone();
                v.decor_mut().clear();
                pairs.push((key.to_string(), v.to_string()));
            }
        }
        if !pairs.is_empty() {
            out.push((metric.to_string(), pairs));
        }
    }
    out
}

/// A TOML key, quoted when it is not a bare key.
fn key(k: &str) -> String {
    toml_edit::Key::new(k).display_repr().into_owned()
}

fn targets(year: i32, prev: i32, plan: Option<&DocumentMut>) -> String {
    let list = plan_targets(plan);
    let mut out =
        format!("# Targets for {year}, per metric (min and/or max), judged on every build.\n");
    if list.is_empty() {
        out.push_str(&format!(
            "# The plan of {prev} set none. Add one table per metric, for example:\n#\n\
             # [birth_rate]\n# max = 10\n"
        ));
        return out;
    }
    out.push_str(&format!(
        "# Carried over from the plan of {prev} (data/{prev}/plan.toml, [targets]).\n"
    ));
    for (metric, pairs) in list {
        out.push_str(&format!("\n[{}]\n", key(&metric)));
        for (k, v) in pairs {
            out.push_str(&format!("{k} = {v}\n"));
        }
    }
    out
}

/// A `{ zh, en }` text of a TOML document, as two plain strings.
fn text_pair(item: Option<&Item>) -> (String, String) {
    let get = |lang: &str| {
        item.and_then(Item::as_table_like)
            .and_then(|t| t.get(lang))
            .and_then(Item::as_str)
            .unwrap_or("")
            .to_string()
    };
    (get("zh"), get("en"))
}

/// Writes `text` as comment lines of at most about `width` columns (Chinese text,
/// which has no spaces, is cut every `width / 2` characters).
fn comment_lines(label: &str, text: &str, width: usize) -> String {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return String::new();
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut cols = 0;
    // English words stay whole; each Chinese character (two columns) may end a line.
    let mut place = |piece: &str, w: usize, space: bool| {
        let sep = usize::from(space && cols > 0);
        if cols > 0 && cols + sep + w > width {
            lines.push(std::mem::take(&mut line));
            cols = 0;
        } else if sep == 1 {
            line.push(' ');
            cols += 1;
        }
        line.push_str(piece);
        cols += w;
    };
    for word in text.split(' ') {
        if word.is_ascii() {
            place(word, word.len(), true);
        } else {
            let mut first = true;
            for ch in word.chars() {
                let w = if ch.is_ascii() { 1 } else { 2 };
                place(ch.encode_utf8(&mut [0; 4]), w, first);
                first = false;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let mut out = format!("# {label}\n");
    for l in lines {
        out.push_str(&format!("#   {}\n", l.trim_end()));
    }
    out
}

fn summary(year: i32, prev: i32, plan: Option<&DocumentMut>) -> String {
    let mut out = format!(
        "# Narrative of {year}: the year's work, in Chinese and English.\n\
         # Scaffolded by `nianbao new-year {year}`: one section per key task of the\n\
         # {prev} plan, titles carried over. Every text is still to be written: an empty\n\
         # text shows as \"(to be written)\" in the report, and `nianbao check` lists it.\n\
         # Numbers go in as {{{{ f.<figure> }}}} and {{{{ m.<metric> }}}}, never typed.\n\n\
         opening = {{ zh = \"\", en = \"\" }}\n"
    );
    let items = plan
        .and_then(|p| p.get("items"))
        .and_then(Item::as_array_of_tables);
    match items {
        Some(items) if !items.is_empty() => {
            for item in items.iter() {
                let (zh, en) = text_pair(item.get("title"));
                let (plan_zh, plan_en) = text_pair(item.get("text"));
                out.push_str(&format!(
                    "\n[[sections]]\ntitle = {{ zh = {}, en = {} }}\n",
                    quoted(&zh),
                    quoted(&en)
                ));
                out.push_str(&comment_lines(
                    &format!("The {prev} plan said (zh):"),
                    &plan_zh,
                    76,
                ));
                out.push_str(&comment_lines(
                    &format!("The {prev} plan said (en):"),
                    &plan_en,
                    76,
                ));
                out.push_str("text = { zh = \"\", en = \"\" }\n");
            }
        }
        _ => out.push_str(&format!(
            "\n# The {prev} plan has no key tasks to carry over. Add sections like this:\n\
             #\n# [[sections]]\n# title = {{ zh = \"…\", en = \"…\" }}\n# text = {{ zh = \"…\", en = \"…\" }}\n"
        )),
    }
    out.push_str("\n[shortcomings]\nzh = \"\"\nen = \"\"\n");
    out
}

fn plan_skeleton(year: i32, plan: Option<&DocumentMut>) -> String {
    let next = year + 1;
    let mut out = format!(
        "# Plan for {next}: guiding principle, key tasks and targets.\n\
         # Scaffolded by `nianbao new-year {year}`; an empty text shows as \"(to be written)\".\n\
         # Numbering (1. 2. …) is added by the templates.\n\n\
         guiding_principle = {{ zh = \"\", en = \"\" }}\n\n\
         # One table per key task:\n\
         #\n\
         # [[items]]\n\
         # title = {{ zh = \"…\", en = \"…\" }}\n\
         # text = {{ zh = \"…\", en = \"…\" }}\n\n\
         # Targets for {next}, per metric; they become data/{next}/targets.toml.\n"
    );
    let list = plan_targets(plan);
    if list.is_empty() {
        out.push_str("#\n# [targets.birth_rate]\n# max = 10\n");
    } else {
        out.push_str(&format!("# The targets for {year} were:\n"));
        for (metric, pairs) in list {
            out.push_str(&format!("#\n# [targets.{}]\n", key(&metric)));
            for (k, v) in pairs {
                out.push_str(&format!("# {k} = {v}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
