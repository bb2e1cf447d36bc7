//! The data backend: `metrics.json` and `metrics.csv`, the computed values for other
//! tools. Values are decimal strings (rounded with exactly `decimals` places, and
//! exact), never binary floats; undefined values are `null` (JSON) or empty (CSV).

use indexmap::IndexMap;
use serde::Serialize;

use super::{OutputFile, YearInput};
use crate::compute::{TargetResult, YearValues};
use crate::exact::{Exact, Rounding};
use crate::model::{Project, Status, Unit, YearData};

/// `metrics.json` and `metrics.csv`.
pub fn files(input: &YearInput) -> Vec<OutputFile> {
    let json = metrics_json(input.project, input.data, input.values);
    vec![
        OutputFile::text("metrics.json", &to_json_text(&json)),
        OutputFile::text(
            "metrics.csv",
            &metrics_csv(input.project, input.data, input.values),
        ),
    ]
}

/// The `metrics.json` document of a year.
#[derive(Debug, Serialize)]
pub struct MetricsJson {
    year: i32,
    period: JsonPeriod,
    status: Status,
    rounding: &'static str,
    metrics: IndexMap<String, JsonMetric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_year_targets: Option<IndexMap<String, JsonBounds>>,
}

#[derive(Debug, Serialize)]
struct JsonPeriod {
    start: String,
    end: String,
}

#[derive(Debug, Serialize)]
struct JsonMetric {
    value: Option<String>,
    exact: Option<String>,
    unit: Unit,
    decimals: u32,
    zh: Option<String>,
    en: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<JsonTarget>,
}

#[derive(Debug, Serialize)]
struct JsonTarget {
    min: Option<String>,
    max: Option<String>,
    met: Option<bool>,
}

#[derive(Debug, Serialize)]
struct JsonBounds {
    min: Option<String>,
    max: Option<String>,
}

fn exact(v: Option<&Exact>) -> Option<String> {
    v.map(Exact::to_exact_string)
}

/// The name of a rounding mode, as `nianbao.toml` spells it.
pub fn rounding_name(mode: Rounding) -> &'static str {
    match mode {
        Rounding::HalfAwayFromZero => "half-away-from-zero",
        Rounding::HalfEven => "half-even",
    }
}

/// The `metrics.json` document of a year.
pub fn metrics_json(project: &Project, year: &YearData, values: &YearValues) -> MetricsJson {
    let mode = project.config.rounding;
    let target_of = |name: &str| values.targets.iter().find(|t| t.metric == name);
    let metrics = project
        .catalogue
        .metrics
        .iter()
        .map(|(name, def)| {
            let value = values.metrics.get(name).and_then(Option::as_ref);
            let entry = JsonMetric {
                value: value.map(|v| v.to_fixed(def.decimals, mode)),
                exact: exact(value),
                unit: def.unit.clone(),
                decimals: def.decimals,
                zh: def.label.zh.as_ref().map(|s| s.text.clone()),
                en: def.label.en.as_ref().map(|s| s.text.clone()),
                target: target_of(name).map(|t: &TargetResult| JsonTarget {
                    min: exact(t.min.as_ref()),
                    max: exact(t.max.as_ref()),
                    met: t.met,
                }),
            };
            (name.clone(), entry)
        })
        .collect();
    let next_year_targets = (!values.plan_targets.is_empty()).then(|| {
        values
            .plan_targets
            .iter()
            .map(|t| {
                (
                    t.metric.clone(),
                    JsonBounds {
                        min: exact(t.min.as_ref()),
                        max: exact(t.max.as_ref()),
                    },
                )
            })
            .collect()
    });
    MetricsJson {
        year: year.year,
        period: JsonPeriod {
            start: year.start.to_string(),
            end: year.end.to_string(),
        },
        status: year.status,
        rounding: rounding_name(mode),
        metrics,
        next_year_targets,
    }
}

/// Pretty JSON with a final newline.
pub fn to_json_text<T: Serialize>(doc: &T) -> String {
    let mut text = serde_json::to_string_pretty(doc).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// The `metrics.csv` table of a year: one row per metric, RFC 4180 quoting, UTF-8.
pub fn metrics_csv(project: &Project, year: &YearData, values: &YearValues) -> String {
    let mode = project.config.rounding;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = [
        "year",
        "metric",
        "zh",
        "en",
        "value",
        "exact",
        "unit_zh",
        "unit_en",
        "decimals",
        "target_min",
        "target_max",
        "target_met",
    ];
    let _ = w.write_record(header);
    for (name, def) in &project.catalogue.metrics {
        let value = values.metrics.get(name).and_then(Option::as_ref);
        let target = values.targets.iter().find(|t| &t.metric == name);
        let opt = |v: Option<String>| v.unwrap_or_default();
        let record = [
            year.year.to_string(),
            name.clone(),
            opt(def.label.zh.as_ref().map(|s| s.text.clone())),
            opt(def.label.en.as_ref().map(|s| s.text.clone())),
            opt(value.map(|v| v.to_fixed(def.decimals, mode))),
            opt(exact(value)),
            def.unit.zh.clone(),
            def.unit.en.clone(),
            def.decimals.to_string(),
            opt(target.and_then(|t| exact(t.min.as_ref()))),
            opt(target.and_then(|t| exact(t.max.as_ref()))),
            opt(target.and_then(|t| t.met.map(|m| m.to_string()))),
        ];
        let _ = w.write_record(&record);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
