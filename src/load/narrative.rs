//! A year's narrative: `summary.toml` and `plan.toml`.

use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostics, FileId};
use crate::model::{Plan, Section, Summary};

use super::figures::targets;
use super::toml_read::{Reader, Val, get};

/// Reads a `summary.toml`; `None` when it does not parse.
pub fn parse_summary(file: FileId, src: &str, diags: &mut Diagnostics) -> Option<Summary> {
    let mut r = Reader::new(file, src, diags);
    let doc = r.parse()?;
    Some(summary(&mut r, doc.get_ref()))
}

/// Reads a `plan.toml`; `None` when it does not parse.
pub fn parse_plan(file: FileId, src: &str, diags: &mut Diagnostics) -> Option<Plan> {
    let mut r = Reader::new(file, src, diags);
    let doc = r.parse()?;
    Some(plan(&mut r, doc.get_ref()))
}

fn section(r: &mut Reader, what: &str, v: &Val) -> Option<Section> {
    let table = r.table(what, v)?;
    r.unknown_keys(table, &["title", "text", "points"], what);
    let title = match get(table, "title") {
        Some(t) => r.text(&format!("`title` of {what}"), t),
        None => {
            r.missing(
                "title",
                what,
                v.span(),
                Some("add `title = { zh = \"…\", en = \"…\" }`".into()),
            );
            None
        }
    };
    let body = get(table, "text").and_then(|t| r.text(&format!("`text` of {what}"), t));
    let mut points = Vec::new();
    if let Some(p) = get(table, "points") {
        match p.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let Some(t) = r.text(&format!("a point of {what}"), item) {
                        points.push(t);
                    }
                }
            }
            _ => r.type_error(
                &format!("`points` of {what}"),
                "an array of { zh, en } texts",
                p,
            ),
        }
    }
    Some(Section {
        title: title?,
        text: body,
        points,
    })
}

fn summary(r: &mut Reader, table: &DeTable) -> Summary {
    r.unknown_keys(
        table,
        &["date", "opening", "indicators", "sections", "shortcomings"],
        "summary.toml",
    );
    let date_value = get(table, "date");
    let date = date_value.and_then(|v| r.date("`date`", v));
    let date_loc = date_value.map(|v| r.loc(v.span()));
    let opening = get(table, "opening").and_then(|v| r.text("`opening`", v));
    let indicators = get(table, "indicators").and_then(|v| r.text("`indicators`", v));
    let mut sections = Vec::new();
    if let Some(v) = get(table, "sections") {
        for (i, item) in r.tables("`sections`", v).into_iter().enumerate() {
            if let Some(s) = section(r, &format!("section {}", i + 1), item) {
                sections.push(s);
            }
        }
    }
    let shortcomings = get(table, "shortcomings").and_then(|v| r.text("`shortcomings`", v));
    Summary {
        date,
        date_loc,
        opening,
        indicators,
        sections,
        shortcomings,
    }
}

fn plan(r: &mut Reader, table: &DeTable) -> Plan {
    r.unknown_keys(
        table,
        &["guiding_principle", "items", "targets"],
        "plan.toml",
    );
    let guiding_principle =
        get(table, "guiding_principle").and_then(|v| r.text("`guiding_principle`", v));
    let mut items = Vec::new();
    if let Some(v) = get(table, "items") {
        for (i, item) in r.tables("`items`", v).into_iter().enumerate() {
            if let Some(s) = section(r, &format!("plan item {}", i + 1), item) {
                items.push(s);
            }
        }
    }
    let targets = match get(table, "targets") {
        Some(v) => match r.table("`targets`", v) {
            Some(t) => targets(r, t, "plan.toml [targets]"),
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    Plan {
        guiding_principle,
        items,
        targets,
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_plan, parse_summary};
    use crate::diag::{Diagnostics, FileId};

    #[test]
    fn a_summary_has_sections_with_points() {
        let mut diags = Diagnostics::default();
        let src = "opening = { zh = \"开篇\", en = \"Opening\" }\n[[sections]]\ntitle = { zh = \"一\", en = \"One\" }\npoints = [{ zh = \"甲\" }, { en = \"B\" }]\n";
        let s = parse_summary(FileId(0), src, &mut diags).expect("a summary");
        assert!(diags.items.is_empty(), "{:?}", diags.items);
        assert!(s.opening.is_some());
        assert_eq!(s.sections.len(), 1);
        assert_eq!(s.sections[0].points.len(), 2);
    }

    #[test]
    fn a_plan_has_items_and_targets() {
        let mut diags = Diagnostics::default();
        let src =
            "[[items]]\ntitle = { zh = \"宣传\", en = \"Publicity\" }\n[targets.rate]\nmax = 9.5\n";
        let p = parse_plan(FileId(0), src, &mut diags).expect("a plan");
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.targets[0].metric, "rate");
        // A section without a title is an error, and is left out.
        let p = parse_plan(FileId(0), "[[items]]\ntext = { zh = \"x\" }\n", &mut diags)
            .expect("a plan");
        assert!(p.items.is_empty());
        assert!(diags.has_errors());
    }
}
