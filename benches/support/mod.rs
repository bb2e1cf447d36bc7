//! Builds a large synthetic project for benchmarks: the example's 2006 data
//! repeated over many years, with the counts nudged so that years differ, and
//! optionally a larger catalogue and a longer narrative (issue 12 measures
//! "50 years × 40 metrics × 12 sections").
//!
//! Used by the criterion bench (`benches/pipeline.rs`) and, through `#[path]`, by
//! `examples/make-bench-project.rs`, which `benches/run.sh` calls.

#![allow(dead_code)] // each includer uses its own part

use std::path::Path;

use toml_edit::{DocumentMut, Item, value};

/// The shape of a synthetic project beyond its number of years. `None` keeps the
/// example's own count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// Metrics in the catalogue: the example's, then copies of them in catalogue
    /// order under new names (`population_2`, `women_childbearing_age_2`, …).
    pub metrics: Option<usize>,
    /// Sections of each year's `summary.toml`: the example's, repeated in order.
    pub sections: Option<usize>,
    /// Metrics drawn as trend charts (`chart = true`, or a `parts` breakdown), in
    /// the whole catalogue. The example has 7; more marks copies `chart = true`,
    /// fewer un-charts the last ones.
    pub charts: Option<usize>,
}

/// Writes a project with `years` years (ending in 2006) into `dir`, shaped as the
/// example.
pub fn make_project(repo: &Path, dir: &Path, years: i32) -> std::io::Result<()> {
    make_project_with(repo, dir, years, &Shape::default())
}

fn invalid(msg: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, msg)
}

/// Writes a project with `years` years (ending in 2006, so 1607–2006 for 400) into
/// `dir`, with the catalogue and narrative of `shape`.
pub fn make_project_with(
    repo: &Path,
    dir: &Path,
    years: i32,
    shape: &Shape,
) -> std::io::Result<()> {
    if !(1..=1007).contains(&years) {
        return Err(invalid(format!(
            "{years} years: give 1 to 1007, so that every year (ending in 2006) has four digits"
        )));
    }
    std::fs::create_dir_all(dir.join("data"))?;
    std::fs::copy(repo.join("nianbao.toml"), dir.join("nianbao.toml"))?;
    let catalogue = std::fs::read_to_string(repo.join("data/metrics.toml"))?;
    std::fs::write(
        dir.join("data/metrics.toml"),
        shape_catalogue(&catalogue, shape)?,
    )?;
    let src = repo.join("data/2006");
    let figures = std::fs::read_to_string(src.join("figures.toml"))?;
    let summary = match std::fs::read_to_string(src.join("summary.toml")) {
        Ok(text) => Some(shape_summary(&text, shape)?),
        Err(_) => None,
    };
    // The population grows by `step` a year; smaller steps for long spans keep the
    // earliest years positive (400 a year over 50 years, 100 over 400).
    let step = (40_000 / years).clamp(1, 400);
    for i in 0..years {
        let year = 2006 - years + 1 + i;
        let out = dir.join("data").join(year.to_string());
        std::fs::create_dir_all(&out)?;
        let text = figures
            .replace("start = 2005-10-01", &format!("start = {}-10-01", year - 1))
            .replace("end = 2006-09-30", &format!("end = {year}-09-30"))
            .replace(
                "total = 151837",
                &format!("total = {}", 151837 - step * (years - 1 - i)),
            )
            .replace("first = 929", &format!("first = {}", 929 + (i % 7) * 3))
            .replace("boys = 708", &format!("boys = {}", 708 + (i % 7) * 3));
        std::fs::write(out.join("figures.toml"), text)?;
        if let Some(s) = &summary {
            std::fs::write(out.join("summary.toml"), s)?;
        }
        if src.join("plan.toml").exists() {
            std::fs::copy(src.join("plan.toml"), out.join("plan.toml"))?;
        }
        // Each year's targets are those the year before planned (2007's are
        // 2006's plan's), as `new-year` writes them: otherwise every year warns
        // that its targets are easier than planned.
        let targets = match (i, repo.join("data/2007/targets.toml")) {
            (1.., planned) if planned.exists() => planned,
            _ => src.join("targets.toml"),
        };
        if targets.exists() {
            std::fs::copy(targets, out.join("targets.toml"))?;
        }
    }
    Ok(())
}

/// Gives every table of `doc` its place in depth-first order, so that copied
/// tables (and their sub-tables, such as `[sections.text]`) are written where
/// they now stand, not where their original stood.
fn renumber(doc: &mut DocumentMut) {
    fn visit(table: &mut toml_edit::Table, next: &mut isize) {
        for (_, item) in table.iter_mut() {
            match item {
                Item::Table(t) => {
                    t.set_position(Some(*next));
                    *next += 1;
                    visit(t, next);
                }
                Item::ArrayOfTables(list) => {
                    for t in list.iter_mut() {
                        t.set_position(Some(*next));
                        *next += 1;
                        visit(t, next);
                    }
                }
                _ => {}
            }
        }
    }
    let mut next = 1;
    visit(doc.as_table_mut(), &mut next);
}

fn parse(text: &str, what: &str) -> std::io::Result<DocumentMut> {
    text.parse::<DocumentMut>()
        .map_err(|e| invalid(format!("{what}: {e}")))
}

/// The catalogue with `shape.metrics` metrics and `shape.charts` charts.
fn shape_catalogue(text: &str, shape: &Shape) -> std::io::Result<String> {
    if shape.metrics.is_none() && shape.charts.is_none() {
        return Ok(text.to_string());
    }
    let mut doc = parse(text, "data/metrics.toml")?;
    let metrics = doc
        .get_mut("metrics")
        .and_then(Item::as_table_mut)
        .ok_or_else(|| invalid("data/metrics.toml has no [metrics]".into()))?;
    let originals: Vec<(String, toml_edit::Table)> = metrics
        .iter()
        .filter_map(|(k, v)| Some((k.to_string(), v.as_table()?.clone())))
        .collect();
    let want = shape.metrics.unwrap_or(originals.len());
    if want < originals.len() {
        return Err(invalid(format!(
            "--metrics {want}: the example already has {} metrics",
            originals.len()
        )));
    }
    for n in originals.len()..want {
        let (name, table) = &originals[n % originals.len()];
        let mut copy = table.clone();
        copy.remove("parts");
        copy.remove("chart");
        copy.decor_mut().clear();
        let round = n / originals.len() + 1;
        for lang in ["zh", "en"] {
            if let Some(label) = copy.get(lang).and_then(Item::as_str) {
                let label = format!("{label} ({round})");
                copy.insert(lang, value(label));
            }
        }
        metrics.insert(&format!("{name}_{round}"), Item::Table(copy));
    }
    if let Some(charts) = shape.charts {
        let is_chart = |t: &toml_edit::Table| {
            t.contains_key("parts") || t.get("chart").and_then(Item::as_bool).unwrap_or(false)
        };
        // Keep the first `charts` charts; then chart copies, in order, up to `charts`.
        let mut charted = 0;
        for (_, item) in metrics.iter_mut() {
            let Some(t) = item.as_table_mut() else {
                continue;
            };
            if is_chart(t) {
                if charted < charts {
                    charted += 1;
                } else {
                    t.remove("parts");
                    t.remove("chart");
                }
            }
        }
        for (name, item) in metrics.iter_mut() {
            let Some(t) = item.as_table_mut() else {
                continue;
            };
            if charted < charts && !originals.iter().any(|(o, _)| o == name.get()) {
                t.insert("chart", value(true));
                charted += 1;
            }
        }
    }
    renumber(&mut doc);
    Ok(doc.to_string())
}

/// The summary with `shape.sections` sections, the example's repeated in order.
fn shape_summary(text: &str, shape: &Shape) -> std::io::Result<String> {
    let Some(want) = shape.sections else {
        return Ok(text.to_string());
    };
    let mut doc = parse(text, "data/2006/summary.toml")?;
    let sections = doc
        .get_mut("sections")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| invalid("data/2006/summary.toml has no [[sections]]".into()))?;
    let originals: Vec<toml_edit::Table> = sections.iter().cloned().collect();
    if originals.is_empty() {
        return Err(invalid("data/2006/summary.toml has no [[sections]]".into()));
    }
    while sections.len() > want {
        sections.remove(sections.len() - 1);
    }
    for n in sections.len()..want {
        let mut copy = originals[n % originals.len()].clone();
        copy.decor_mut().clear();
        sections.push(copy);
    }
    renumber(&mut doc);
    Ok(doc.to_string())
}
