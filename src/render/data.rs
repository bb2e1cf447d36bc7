//! `metrics.json` and `metrics.csv`: the computed values for other tools. Values
//! are decimal strings (rounded with exactly `decimals` places, and exact), never
//! binary floats; undefined values are `null` (JSON) or empty (CSV).

use serde_json::{Map, Value as Json, json};

use crate::compute::{TargetResult, YearValues};
use crate::exact::Exact;
use crate::load::{Project, YearData};

fn target_json(t: &TargetResult) -> Json {
    json!({
        "min": t.min.as_ref().map(Exact::to_exact_string),
        "max": t.max.as_ref().map(Exact::to_exact_string),
        "met": t.met,
    })
}

/// The `metrics.json` document of a year.
pub fn metrics_json(project: &Project, year: &YearData, values: &YearValues) -> Json {
    let mode = project.config.rounding;
    let mut metrics = Map::new();
    for (name, def) in &project.catalogue.metrics {
        let value = values.metrics.get(name).and_then(Option::as_ref);
        let mut entry = json!({
            "value": value.map(|v| v.to_fixed(def.decimals, mode)),
            "exact": value.map(Exact::to_exact_string),
            "unit": { "zh": def.unit.zh, "en": def.unit.en },
            "decimals": def.decimals,
            "zh": def.label.zh.as_ref().map(|s| s.text.clone()),
            "en": def.label.en.as_ref().map(|s| s.text.clone()),
        });
        if let Some(t) = values.targets.iter().find(|t| &t.metric == name)
            && let Json::Object(map) = &mut entry
        {
            map.insert("target".into(), target_json(t));
        }
        metrics.insert(name.clone(), entry);
    }
    let mut doc = json!({
        "year": year.year,
        "period": { "start": year.start.to_string(), "end": year.end.to_string() },
        "status": year.status,
        "rounding": match mode {
            crate::exact::Rounding::HalfAwayFromZero => "half-away-from-zero",
            crate::exact::Rounding::HalfEven => "half-even",
        },
        "metrics": metrics,
    });
    if !values.plan_targets.is_empty()
        && let Json::Object(map) = &mut doc
    {
        let next: Map<String, Json> = values
            .plan_targets
            .iter()
            .map(|t| {
                (
                    t.metric.clone(),
                    json!({
                        "min": t.min.as_ref().map(Exact::to_exact_string),
                        "max": t.max.as_ref().map(Exact::to_exact_string),
                    }),
                )
            })
            .collect();
        map.insert("next_year_targets".into(), Json::Object(next));
    }
    doc
}

/// Pretty JSON with a final newline.
pub fn to_json_text(doc: &Json) -> String {
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
            opt(value.map(Exact::to_exact_string)),
            def.unit.zh.clone(),
            def.unit.en.clone(),
            def.decimals.to_string(),
            opt(target.and_then(|t| t.min.as_ref().map(Exact::to_exact_string))),
            opt(target.and_then(|t| t.max.as_ref().map(Exact::to_exact_string))),
            opt(target.and_then(|t| t.met.map(|m| m.to_string()))),
        ];
        let _ = w.write_record(&record);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
