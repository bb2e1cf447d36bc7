//! The data backend: `metrics.json`, `metrics.csv` and `metrics.xlsx`, the computed
//! values for other tools. Values are decimal strings (rounded with exactly
//! `decimals` places, and exact), never binary floats; undefined values are `null`
//! (JSON) or empty (CSV). The CSV starts with a byte-order mark, so that Excel reads
//! its Chinese as UTF-8, and a text field that begins with `=`, `+`, `-` or `@` is
//! written behind a `'`, so that a spreadsheet shows it rather than runs it. The
//! workbook holds the numbers as numbers, with last year and the change.

use indexmap::IndexMap;
use serde::Serialize;

use super::{OutputFile, YearInput};
use crate::compute::change::{self, ChangeKind};
use crate::compute::{TargetResult, YearValues};
use crate::diag::Diagnostic;
use crate::exact::{Exact, Rounding};
use crate::i18n::Lang;
use crate::model::{Project, Status, Unit, YearData};
use crate::sheet;

/// `metrics.json`, `metrics.csv` and `metrics.xlsx`.
pub fn files(input: &YearInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let json = metrics_json(input.project, input.data, input.values);
    let xlsx =
        metrics_xlsx(input.project, input.data, input.values, input.previous).map_err(|e| {
            vec![Diagnostic::error(format!(
                "cannot make metrics.xlsx of {}: {e}",
                input.data.year
            ))]
        })?;
    Ok(vec![
        OutputFile::text("metrics.json", &to_json_text(&json)),
        OutputFile::text(
            "metrics.csv",
            &metrics_csv(input.project, input.data, input.values),
        ),
        OutputFile {
            name: "metrics.xlsx".into(),
            bytes: xlsx.into(),
        },
    ])
}

/// The `metrics.xlsx` workbook of a year: both languages' labels, the value as a
/// number with the number format of its decimals and unit, last year's value and the
/// change (computed as the report computes it), the target and whether it was met.
pub fn metrics_xlsx(
    project: &Project,
    year: &YearData,
    values: &YearValues,
    previous: Option<&YearValues>,
) -> Result<Vec<u8>, crate::sheet::xlsx::XlsxWriteError> {
    let mode = project.config.rounding;
    let rows = project
        .catalogue
        .metrics
        .iter()
        .map(|(name, def)| {
            let value = values.metrics.get(name).and_then(Option::as_ref);
            let before = previous
                .and_then(|p| p.metrics.get(name))
                .and_then(Option::as_ref);
            let delta = crate::compute::change::change(def, before, value, mode);
            let target = values.targets.iter().find(|t| &t.metric == name);
            sheet::MetricRow {
                name: name.clone(),
                label_zh: def.label.or_fallback(Lang::Zh).to_string(),
                label_en: def.label.or_fallback(Lang::En).to_string(),
                unit_zh: def.unit.zh.clone(),
                unit_en: def.unit.en.clone(),
                decimals: def.decimals,
                value: value.map(|v| v.to_fixed(def.decimals, mode)),
                exact: value.map(|v| v.to_exact_string_for(def.decimals)),
                // PRODUCT.md: where either value is undefined, both read "—", as
                // the report's 上年 column does: last year's value beside an
                // undefined one invites a comparison the data cannot make.
                previous: before
                    .filter(|_| value.is_some())
                    .map(|v| v.to_fixed(def.decimals, mode)),
                has_previous: previous.is_some_and(|p| p.metrics.contains_key(name)),
                change: delta.as_ref().map(|d| d.shown.to_fixed(def.decimals, mode)),
                change_kind: match change::change_kind(def) {
                    ChangeKind::PercentPoints | ChangeKind::PermillePoints => {
                        sheet::ChangeKind::Points
                    }
                    ChangeKind::Amount | ChangeKind::Level => sheet::ChangeKind::Amount,
                },
                relative_change: delta
                    .as_ref()
                    .and_then(|d| d.relative.as_ref())
                    .map(|r| r.to_fixed(1, mode)),
                target_min: target.and_then(|t| exact(t.min.as_ref())),
                target_max: target.and_then(|t| exact(t.max.as_ref())),
                met: target.and_then(|t| t.met),
            }
        })
        .collect();
    sheet::metrics_xlsx(&sheet::MetricsSheet {
        year: year.year,
        status: status_name(year.status).to_string(),
        rows,
    })
}

/// The name of a status, as `figures.toml` spells it.
fn status_name(status: Status) -> &'static str {
    match status {
        Status::Final => "final",
        Status::Preliminary => "preliminary",
        Status::Draft => "draft",
    }
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
                exact: value.map(|v| v.to_exact_string_for(def.decimals)),
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

/// The `metrics.csv` table of a year: one row per metric, RFC 4180 quoting, UTF-8
/// with a byte-order mark, text fields made safe for spreadsheets.
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
        // The year's status on every row, as metrics.json gives it: a preliminary
        // or draft figure copied out of the file still says what it is.
        "status",
    ];
    let _ = w.write_record(header);
    for (name, def) in &project.catalogue.metrics {
        let value = values.metrics.get(name).and_then(Option::as_ref);
        let target = values.targets.iter().find(|t| &t.metric == name);
        let opt = |v: Option<String>| v.unwrap_or_default();
        let text = |s: &str| sheet::csv_text(s).into_owned();
        let record = [
            year.year.to_string(),
            text(name),
            text(&opt(def.label.zh.as_ref().map(|s| s.text.clone()))),
            text(&opt(def.label.en.as_ref().map(|s| s.text.clone()))),
            opt(value.map(|v| v.to_fixed(def.decimals, mode))),
            opt(value.map(|v| v.to_exact_string_for(def.decimals))),
            text(&def.unit.zh),
            text(&def.unit.en),
            def.decimals.to_string(),
            opt(target.and_then(|t| exact(t.min.as_ref()))),
            opt(target.and_then(|t| exact(t.max.as_ref()))),
            opt(target.and_then(|t| t.met.map(|m| m.to_string()))),
            status_name(year.status).to_string(),
        ];
        let _ = w.write_record(&record);
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!(
        "{}{}",
        sheet::UTF8_BOM,
        String::from_utf8(bytes).unwrap_or_default()
    )
}
