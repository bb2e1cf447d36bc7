//! The template context: what a template (and a narrative text) can use. Every
//! number arrives as text already formatted for the language, so no binary float
//! ever reaches Tera. `docs/templates.md` documents each key; `nianbao vars` prints them.

use indexmap::IndexMap;
use serde_json::{Map, Value as Json, json};

use super::format;
use crate::compute::{TargetResult, YearValues};
use crate::exact::{Exact, Rounding};
use crate::load::{Figure, Lang, LocStr, MetricDef, Project, Status, Text, YearData};

/// Fixed wording of the report, per language.
pub fn labels(lang: Lang, year: i32) -> Json {
    let next = year + 1;
    match lang {
        Lang::Zh => json!({
            "indicators": "主要指标完成情况",
            "targets": "目标完成情况",
            "summary": format!("{year}年工作总结"),
            "shortcomings": "存在问题",
            "plan": format!("{next}年工作计划"),
            "guiding_principle": "指导思想",
            "key_items": "重点工作",
            "plan_targets": format!("{next}年主要目标"),
            "metric": "指标",
            "value": "数值",
            "target": "目标",
            "actual": "实际",
            "result": "完成情况",
            "met": "✓ 完成",
            "not_met": "✗ 未完成",
            "unknown": "— 无法判断",
            "period": "统计时段",
            "at_least": "不低于",
            "at_most": "不高于",
            "between": "至",
            "untranslated": "（未翻译）",
            "trends": "历年趋势",
            "language": "语言",
            "both": "双语",
            "banner_preliminary": "本报告数据为快报数，以统计年鉴公布数为准。",
            "banner_draft": "本年数据尚未定稿，请勿引用。",
            "banner_title_preliminary": "快报",
            "banner_title_draft": "草稿",
        }),
        Lang::En => json!({
            "indicators": "Key indicators",
            "targets": "Targets",
            "summary": format!("Work in {year}"),
            "shortcomings": "Shortcomings",
            "plan": format!("Plan for {next}"),
            "guiding_principle": "Guiding principle",
            "key_items": "Key tasks",
            "plan_targets": format!("Targets for {next}"),
            "metric": "Indicator",
            "value": "Value",
            "target": "Target",
            "actual": "Actual",
            "result": "Result",
            "met": "✓ met",
            "not_met": "✗ not met",
            "unknown": "— undetermined",
            "period": "Period",
            "at_least": "at least",
            "at_most": "at most",
            "between": "to",
            "untranslated": "(untranslated)",
            "trends": "Trends",
            "language": "Language",
            "both": "Both",
            "banner_preliminary": "The figures in this report are preliminary and may be revised by the statistical yearbook.",
            "banner_draft": "The figures of this year are not final. Do not quote.",
            "banner_title_preliminary": "Preliminary",
            "banner_title_draft": "DRAFT",
        }),
    }
}

fn text_in(t: &Text, lang: Lang) -> String {
    t.get_or_fallback(lang).0.to_string()
}

/// The title of a year's report from the pattern in `nianbao.toml`.
pub fn title(project: &Project, year: i32, lang: Lang) -> String {
    let pattern = match &project.config.title {
        Some(t) => text_in(t, lang),
        None => match lang {
            Lang::Zh => "{year}年工作总结及{next}年工作计划".to_string(),
            Lang::En => "{year} Work Summary and {next} Work Plan".to_string(),
        },
    };
    pattern
        .replace("{year}", &year.to_string())
        .replace("{next}", &(year + 1).to_string())
}

/// One metric as templates see it.
pub fn metric_record(m: &MetricDef, value: Option<&Exact>, mode: Rounding, lang: Lang) -> Json {
    let number = format::value(value, m.decimals, mode, lang);
    json!({
        "name": m.name,
        "label": text_in(&m.label, lang),
        "number": number,
        "display": format::with_unit(&number, &m.unit, lang),
        "value": value.map(|v| v.to_fixed(m.decimals, mode)),
        "exact": value.map(Exact::to_exact_string),
        "unit": m.unit.get(lang),
        "decimals": m.decimals,
        "defined": value.is_some(),
        "better": m.better,
        "is_rate": m.is_rate(),
    })
}

/// A target as templates see it: the bound in words, the actual value, met or not.
pub fn target_record(
    project: &Project,
    t: &TargetResult,
    value: Option<&Exact>,
    lang: Lang,
) -> Json {
    let mode = project.config.rounding;
    let Some(m) = project.catalogue.metrics.get(&t.metric) else {
        return Json::Null;
    };
    let l = labels(lang, 0);
    let bound =
        |v: &Exact| format::with_unit(&format::number(&v.to_exact_string(), lang), &m.unit, lang);
    let sep = if lang == Lang::Zh { "" } else { " " };
    let target = match (&t.min, &t.max) {
        (Some(lo), Some(hi)) => format!(
            "{}{sep}{}{sep}{}",
            bound(lo),
            l["between"].as_str().unwrap_or("–"),
            bound(hi)
        ),
        (Some(lo), None) => format!(
            "{}{sep}{}",
            l["at_least"].as_str().unwrap_or("≥"),
            bound(lo)
        ),
        (None, Some(hi)) => format!("{}{sep}{}", l["at_most"].as_str().unwrap_or("≤"), bound(hi)),
        (None, None) => String::new(),
    };
    let result = match t.met {
        Some(true) => l["met"].clone(),
        Some(false) => l["not_met"].clone(),
        None => l["unknown"].clone(),
    };
    let number = format::value(value, m.decimals, mode, lang);
    json!({
        "name": m.name,
        "label": text_in(&m.label, lang),
        "target": target,
        "min": t.min.as_ref().map(Exact::to_exact_string),
        "max": t.max.as_ref().map(Exact::to_exact_string),
        "actual": format::with_unit(&number, &m.unit, lang),
        "met": t.met,
        "result": result,
    })
}

fn figure_tree(table: &IndexMap<String, Figure>, lang: Option<Lang>) -> Json {
    let mut map = Map::new();
    for (k, v) in table {
        let value = match v {
            Figure::Number(n, _) => {
                let plain = n.to_exact_string();
                Json::String(match lang {
                    Some(l) => format::number(&plain, l),
                    None => plain,
                })
            }
            Figure::Table(t, _) => figure_tree(t, lang),
        };
        map.insert(k.clone(), value);
    }
    Json::Object(map)
}

/// Everything but the narrative: year, period, figures, metrics, targets, labels.
pub fn base(
    project: &Project,
    year: &YearData,
    values: &YearValues,
    all_values: &[&YearValues],
    lang: Lang,
) -> Json {
    let mode = project.config.rounding;
    let t = labels(lang, year.year);
    let mut m = Map::new();
    let mut n = Map::new();
    let mut metrics = Vec::new();
    let mut metric_map = Map::new();
    for (name, def) in &project.catalogue.metrics {
        let value = values.metrics.get(name).and_then(Option::as_ref);
        let record = metric_record(def, value, mode, lang);
        m.insert(name.clone(), record["display"].clone());
        n.insert(name.clone(), record["number"].clone());
        metric_map.insert(name.clone(), record.clone());
        metrics.push(record);
    }
    let target_list = |list: &[TargetResult]| -> Vec<Json> {
        list.iter()
            .map(|tr| {
                target_record(
                    project,
                    tr,
                    values.metrics.get(&tr.metric).and_then(Option::as_ref),
                    lang,
                )
            })
            .filter(|j| !j.is_null())
            .collect()
    };
    let (banner_title, banner) = match year.status {
        Status::Final => (Json::Null, Json::Null),
        Status::Preliminary => (
            t["banner_title_preliminary"].clone(),
            t["banner_preliminary"].clone(),
        ),
        Status::Draft => (t["banner_title_draft"].clone(), t["banner_draft"].clone()),
    };
    let years: Vec<i32> = all_values.iter().map(|v| v.year).collect();
    json!({
        "lang": lang.code(),
        "year": year.year,
        "next_year": year.year + 1,
        "years": years,
        "org": text_in(&project.config.organisation, lang),
        "title": title(project, year.year, lang),
        "period": {
            "start": year.start.to_string(),
            "end": year.end.to_string(),
            "start_text": format::date(year.start, lang),
            "end_text": format::date(year.end, lang),
            "text": format::period(year.start, year.end, lang),
        },
        "status": year.status,
        "banner": banner,
        "banner_title": banner_title,
        "source": year
            .source_notes
            .iter()
            .map(|(k, v)| (k.clone(), Json::String(v.clone())))
            .collect::<Map<String, Json>>(),
        "f": figure_tree(&year.figures, Some(lang)),
        "figures": figure_tree(&year.figures, None),
        "m": m,
        "n": n,
        "metrics": metrics,
        "metric": metric_map,
        "targets": target_list(&values.targets),
        "plan_targets": target_list(&values.plan_targets),
        "t": t,
    })
}

/// Renders every narrative text of the year through `render` and returns the
/// `summary` and `plan` context entries. `render` gets the text in the language
/// (or the fallback) and whether it is a fallback.
pub fn narrative(
    year: &YearData,
    lang: Lang,
    render: &mut dyn FnMut(&LocStr, bool) -> Option<String>,
) -> Vec<(String, Json)> {
    let mut one = |t: &Text| -> Json {
        // An empty text (as `new-year` scaffolds them) counts as not written: the
        // other language stands in, marked untranslated, and when both are empty
        // the report says "(to be written)"; `check` warns about it.
        fn written(s: Option<&LocStr>) -> Option<&LocStr> {
            s.filter(|s| !s.text.trim().is_empty())
        }
        let other = written(t.zh.as_ref()).or(written(t.en.as_ref()));
        let (chosen, fallback) = match (written(t.get(lang)), other) {
            (Some(s), _) => (s, false),
            (None, Some(other)) => (other, true),
            (None, None) if t.zh.is_some() || t.en.is_some() => {
                return Json::String(unwritten(lang).to_string());
            }
            (None, None) => return Json::Null,
        };
        render(chosen, fallback)
            .map(Json::String)
            .unwrap_or(Json::Null)
    };
    let section = |s: &crate::load::Section, one: &mut dyn FnMut(&Text) -> Json| -> Json {
        json!({
            "title": one(&s.title),
            "text": s.text.as_ref().map(&mut *one),
            "points": s.points.iter().map(&mut *one).collect::<Vec<_>>(),
        })
    };
    let summary = year.summary.as_ref().map(|s| {
        json!({
            "opening": s.opening.as_ref().map(&mut one),
            "indicators": s.indicators.as_ref().map(&mut one),
            "sections": s.sections.iter().map(|sec| section(sec, &mut one)).collect::<Vec<_>>(),
            "shortcomings": s.shortcomings.as_ref().map(&mut one),
        })
    });
    let plan = year.plan.as_ref().map(|p| {
        json!({
            "guiding_principle": p.guiding_principle.as_ref().map(&mut one),
            "items": p.items.iter().map(|sec| section(sec, &mut one)).collect::<Vec<_>>(),
        })
    });
    vec![
        ("summary".to_string(), summary.unwrap_or(Json::Null)),
        ("plan".to_string(), plan.unwrap_or(Json::Null)),
    ]
}

/// What an empty (scaffolded, not yet written) text shows in the report.
pub fn unwritten(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "*（待撰写）*",
        Lang::En => "*(to be written)*",
    }
}

/// Makes rendered narrative safe for Markdown: raw HTML is escaped so that it shows
/// as text, lines are joined, and an untranslated fallback is marked.
pub fn finish_text(rendered: &str, fallback: bool, lang: Lang) -> String {
    let mut out = String::with_capacity(rendered.len() + 16);
    if fallback {
        out.push_str(match lang {
            Lang::Zh => "*（未翻译）* ",
            Lang::En => "*(untranslated)* ",
        });
    }
    // Lines of one paragraph are joined (Chinese needs no space between them);
    // blank lines still separate paragraphs.
    let sep = if lang == Lang::Zh { "" } else { " " };
    let paragraphs: Vec<String> = rendered
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(sep)
        })
        .filter(|p| !p.is_empty())
        .collect();
    let text = paragraphs.join("\n\n");
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(ch),
        }
    }
    out
}
