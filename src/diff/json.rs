//! The diff as JSON for tools: values as decimal strings (rounded with exactly
//! `decimals` places, and exact), never binary floats; undefined is `null`.

use serde_json::{Value as Json, json};

use super::compare::{Diff, FigureChange, TextChange};
use super::html::{kind_name, op_name};
use crate::compute::change::ChangeKind;
use crate::exact::Exact;
use crate::model::Project;
use crate::output::data::to_json_text;

fn exact_str(v: Option<&Exact>) -> Json {
    v.map(|v| Json::String(v.to_exact_string()))
        .unwrap_or(Json::Null)
}

fn text_change_json(t: &TextChange) -> Json {
    json!({
        "part": t.part,
        "title": t.title,
        "change": kind_name(t.kind),
        "segments": t.segments.iter().map(|s| json!({
            "op": op_name(s.tag),
            "text": s.text,
        })).collect::<Vec<_>>(),
    })
}

/// The diff as JSON for tools: values as decimal strings (rounded with exactly
/// `decimals` places, and exact), never binary floats; undefined is `null`.
fn json_doc(project: &Project, d: &Diff) -> Json {
    let mode = project.config.rounding;
    let metrics: Vec<Json> = d
        .metrics
        .iter()
        .filter_map(|m| {
            let def = project.catalogue.metrics.get(&m.name)?;
            let fixed = |v: Option<&Exact>| v.map(|v| v.to_fixed(def.decimals, mode));
            let change = m.change.as_ref().map(|c| {
                json!({
                    "value": c.shown.to_fixed(def.decimals, mode),
                    "exact": c.delta.to_exact_string(),
                    "unit": match c.kind {
                        ChangeKind::PercentPoints => "percentage points",
                        ChangeKind::PermillePoints => "per-mille points",
                        ChangeKind::Amount | ChangeKind::Level => "amount",
                    },
                    "relative_percent": c.relative.as_ref().map(|r| r.to_fixed(1, mode)),
                    "relative_percent_exact": c.relative.as_ref().map(Exact::to_exact_string),
                    // The templates' vocabulary (`metric.<name>.direction`): one
                    // word for one thing, `same`, not `flat` here.
                    "direction": c.direction.code(),
                    "good": c.good,
                    // The change column as the report and the other formats write it.
                    "text": crate::render::format::change_cell(def, Some(c), mode, d.lang),
                })
            });
            Some(json!({
                "name": m.name,
                "zh": def.label.zh.as_ref().map(|s| s.text.clone()),
                "en": def.label.en.as_ref().map(|s| s.text.clone()),
                "unit": { "zh": def.unit.zh, "en": def.unit.en },
                "decimals": def.decimals,
                "better": def.better,
                "from": { "value": fixed(m.from.as_ref()), "exact": exact_str(m.from.as_ref()) },
                "to": { "value": fixed(m.to.as_ref()), "exact": exact_str(m.to.as_ref()) },
                "change": change,
            }))
        })
        .collect();
    let targets: Vec<Json> = d
        .targets
        .iter()
        .map(|t| {
            let value = d
                .metrics
                .iter()
                .find(|m| m.name == t.metric)
                .and_then(|m| m.to.as_ref());
            let decimals = project
                .catalogue
                .metrics
                .get(&t.metric)
                .map_or(0, |m| m.decimals);
            json!({
                "metric": t.metric,
                "min": exact_str(t.min.as_ref()),
                "max": exact_str(t.max.as_ref()),
                "actual": value.map(|v| v.to_fixed(decimals, mode)),
                "met": t.met,
            })
        })
        .collect();
    let figures: Vec<Json> = d
        .figures
        .iter()
        .map(|f: &FigureChange| {
            json!({
                "path": f.path,
                "from": exact_str(f.from.as_ref()),
                "to": exact_str(f.to.as_ref()),
            })
        })
        .collect();
    json!({
        "from": d.from,
        "to": d.to,
        "lang": d.lang.code(),
        "metrics": metrics,
        "targets": targets,
        "figures": figures,
        "summary": d.summary.iter().map(text_change_json).collect::<Vec<_>>(),
        "plan": d.plan.iter().map(text_change_json).collect::<Vec<_>>(),
    })
}

/// The diff as pretty JSON text.
pub fn json(project: &Project, d: &Diff) -> String {
    to_json_text(&json_doc(project, d))
}
