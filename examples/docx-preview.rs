//! `cargo run --example docx-preview -- output/2006/report.zh.md OUT.docx`: the
//! Word document of a rendered report, for looking at before `build` writes one.
//! Charts are made from the example project's `output/2006` and `output/2007`
//! `metrics.json` (lines) and `data/<year>/figures.toml` (the parts of a stack);
//! the 落款 date is a sample.

use std::path::Path;

use anyhow::Context;
use nianbao::docx::{ChartData, ChartKind, DocxInput, Layout, Series, Signature, build};
use nianbao::i18n::Lang;

const YEARS: [&str; 2] = ["2006", "2007"];

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [md_path, out] = args.as_slice() else {
        anyhow::bail!("usage: docx-preview REPORT.<zh|en>.md OUT.docx")
    };
    let lang = if md_path.ends_with(".en.md") {
        Lang::En
    } else {
        Lang::Zh
    };
    let code = lang.code();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let markdown = read(Path::new(md_path))?;
    let mut metrics = Vec::new();
    let mut figures = Vec::new();
    for y in YEARS {
        metrics.push(serde_json::from_str::<serde_json::Value>(&read(
            &root.join(format!("output/{y}/metrics.json")),
        )?)?);
        figures.push(read(&root.join(format!("data/{y}/figures.toml")))?.parse::<toml::Table>()?);
    }
    let catalogue: toml::Table = read(&root.join("data/metrics.toml"))?.parse()?;
    let mut charts = Vec::new();
    for piece in markdown.split("](chart-").skip(1) {
        let Some(end) = piece.find(')') else { continue };
        let file = format!("chart-{}", &piece[..end]);
        let name = file
            .trim_start_matches("chart-")
            .trim_end_matches(&format!(".{code}.svg"));
        let m = &metrics[0]["metrics"][name];
        let label = m[code].as_str().unwrap_or(name);
        let unit = m["unit"][code].as_str().unwrap_or("");
        let title = match (lang, unit) {
            (_, "") => label.to_string(),
            (Lang::Zh, u) => format!("{label}（{u}）"),
            (Lang::En, u) => format!("{label} ({u})"),
        };
        let parts = catalogue["metrics"]
            .get(name)
            .and_then(|d| d.get("parts"))
            .and_then(|p| p.as_array());
        let (kind, series) = match parts {
            Some(parts) => {
                let series = parts
                    .iter()
                    .map(|p| Series {
                        name: p[code].as_str().unwrap_or("").to_string(),
                        values: figures
                            .iter()
                            .map(|f| figure(f, p["figure"].as_str().unwrap_or("")))
                            .collect(),
                    })
                    .collect();
                (ChartKind::StackedBar, series)
            }
            None => {
                let values = metrics
                    .iter()
                    .map(|j| j["metrics"][name]["value"].as_str().map(String::from))
                    .collect();
                (
                    ChartKind::Line,
                    vec![Series {
                        name: label.to_string(),
                        values,
                    }],
                )
            }
        };
        let decimals = m["decimals"].as_u64().unwrap_or(0) as u32;
        let categories = YEARS.iter().map(|y| y.to_string()).collect();
        charts.push(ChartData {
            file,
            kind,
            title,
            alt: String::new(),
            categories,
            series,
            decimals,
            unit: String::new(),
            axis: None,
            label_every: 1,
        });
    }
    let signature = Some(match lang {
        Lang::Zh => Signature {
            organisation: "区人口和计划生育委员会".into(),
            date: "2006年12月20日".into(),
        },
        Lang::En => Signature {
            organisation: "District Population and Family Planning Commission".into(),
            date: "20 December 2006".into(),
        },
    });
    let layout = Layout::default();
    let bytes = build(&DocxInput {
        lang,
        markdown: &markdown,
        charts: &charts,
        signature,
        layout: &layout,
        banner: true,
    })?;
    std::fs::write(out, bytes).with_context(|| format!("writing {out}"))?;
    println!("{out}: {} charts", charts.len());
    Ok(())
}

/// The figure at a dotted path, as written.
fn figure(table: &toml::Table, path: &str) -> Option<String> {
    let mut parts = path.split('.');
    let mut value = table.get(parts.next()?)?;
    for p in parts {
        value = value.get(p)?;
    }
    Some(value.to_string())
}
