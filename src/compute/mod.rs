//! Stage 3, compute: evaluates every metric of a year exactly, runs the check
//! rules, and judges the targets. Division by zero makes a metric undefined (a
//! warning, never inf or NaN); a failing rule is an error.

pub mod change;
mod eval;

use std::collections::HashSet;

use indexmap::IndexMap;

use crate::diag::{Diagnostic, Diagnostics};
use crate::exact::{Exact, LIMIT_HELP};
use crate::formula::{Expr, ExprKind};
use crate::i18n::Lang;
use crate::model::{Plan, Project, TargetDef, YearData};

use eval::{Env, failing_part};

/// A judged target.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetResult {
    /// The metric.
    pub metric: String,
    /// Lower bound.
    pub min: Option<Exact>,
    /// Upper bound.
    pub max: Option<Exact>,
    /// Met or not; `None` when the value is undefined (or not known yet, for a plan).
    pub met: Option<bool>,
}

/// The computed values of one year.
#[derive(Debug, Clone)]
pub struct YearValues {
    /// The year.
    pub year: i32,
    /// Every metric in catalogue order; `None` when undefined.
    pub metrics: IndexMap<String, Option<Exact>>,
    /// The year's targets, judged.
    pub targets: Vec<TargetResult>,
    /// Next year's targets from the plan (not judged).
    pub plan_targets: Vec<TargetResult>,
}

/// Computes one year: metrics, checks and targets. `order` is the evaluation order
/// the check stage worked out; diagnostics go to `diags`.
pub fn compute_year(
    project: &Project,
    order: &[String],
    year: &YearData,
    diags: &mut Diagnostics,
) -> YearValues {
    let mut values: IndexMap<String, Option<Exact>> = IndexMap::new();
    // Metrics whose value is over the size limit, and those built on them: one
    // error, where it happens; those built on it are left without a word.
    let mut too_large: HashSet<&str> = HashSet::new();
    let uses_too_large = |expr: &Expr, too_large: &HashSet<&str>| {
        let mut found = false;
        expr.walk_names(&mut |path, _, table| {
            found |= !table && path.len() == 1 && too_large.contains(path[0].as_str());
        });
        found
    };
    for name in order {
        let Some(m) = project.catalogue.metrics.get(name) else {
            continue;
        };
        let value = match &m.formula {
            Some(expr) if uses_too_large(expr, &too_large) => {
                too_large.insert(name);
                None
            }
            Some(expr) => {
                let env = Env {
                    figures: &year.figures,
                    metrics: &values,
                };
                match env.num(expr) {
                    Ok(v) => Some(v),
                    Err(u) if u.too_large => {
                        too_large.insert(name);
                        diags.push(
                            Diagnostic::error(format!(
                                "metric `{}` is too large to compute in {}",
                                m.name, year.year
                            ))
                            .at(
                                m.formula_src.map(&u.span),
                                "the result of this has more than 4,096 bits",
                            )
                            .help(format!(
                                "{LIMIT_HELP}, so look for a formula that multiplies a value by itself again and again"
                            )),
                        );
                        None
                    }
                    Err(u) => {
                        // Only the metric where the division happens warns; metrics built
                        // on it are undefined too, and say so more briefly.
                        diags.push(
                            Diagnostic::warning(format!(
                                "metric `{}` is undefined in {}: {}",
                                m.name, year.year, u.divisor
                            ))
                            .at(m.formula_src.map(&u.span), u.label)
                            .help("it is shown as \"—\" and is null in metrics.json"),
                        );
                        None
                    }
                }
            }
            None => None,
        };
        values.insert(name.clone(), value);
    }
    // Catalogue order for output.
    let metrics: IndexMap<String, Option<Exact>> = project
        .catalogue
        .metrics
        .keys()
        .map(|k| (k.clone(), values.get(k).cloned().flatten()))
        .collect();
    let env = Env {
        figures: &year.figures,
        metrics: &metrics,
    };
    for c in &project.catalogue.checks {
        let Some(rule) = &c.rule else { continue };
        if uses_too_large(rule, &too_large) {
            continue;
        }
        match env.truth(rule) {
            Ok(true) => {}
            Ok(false) => {
                let failing = failing_part(&env, rule);
                let sides = sides(&env, failing, project);
                let message = match &c.message {
                    Some(t) => {
                        let zh = t.get(Lang::Zh).map(|s| s.text.as_str());
                        let en = t.get(Lang::En).map(|s| s.text.as_str());
                        match (zh, en) {
                            (Some(z), Some(e)) => format!("{e} ({z})"),
                            (Some(x), None) | (None, Some(x)) => x.to_string(),
                            (None, None) => "a check failed".into(),
                        }
                    }
                    None => format!("check `{}` failed", c.rule_src.text),
                };
                diags.push(
                    Diagnostic::error(format!("check failed in {}: {message}", year.year))
                        .at(c.rule_src.map(&failing.span), "this does not hold")
                        .help(sides),
                );
            }
            Err(u) if u.too_large => diags.push(
                Diagnostic::error(format!("a check is too large to compute in {}", year.year))
                    .at(
                        c.rule_src.map(&u.span),
                        "the result of this has more than 4,096 bits",
                    )
                    .help(LIMIT_HELP),
            ),
            Err(u) => diags.push(
                Diagnostic::warning(format!(
                    "check could not be evaluated in {}: {}",
                    year.year, u.divisor
                ))
                .at(c.rule_src.map(&u.span), "undefined"),
            ),
        }
    }
    for m in project.catalogue.metrics.values() {
        if let Some(Some(total)) = metrics.get(&m.name) {
            parts_add_up(m, total, year, diags);
        }
    }
    let targets = year
        .targets
        .iter()
        .filter(|t| metrics.contains_key(&t.metric))
        .map(|t| {
            let result = judged(&metrics, t, true);
            verdict_as_shown(project, year.year, &metrics, t, &result, diags);
            result
        })
        .collect();
    let plan_targets = plan_targets(year.plan.as_ref(), &metrics);
    YearValues {
        year: year.year,
        metrics,
        targets,
        plan_targets,
    }
}

/// A breakdown's parts against its total, so that its chart never contradicts its
/// label (a bar 30 tall labelled 100). Parts that fall short warn: the chart shows
/// the rest as “other”. Parts that add up to more than the whole are an error:
/// no bar can show both. A part that is not a figure was warned of by `check`.
fn parts_add_up(
    m: &crate::model::MetricDef,
    total: &Exact,
    year: &YearData,
    diags: &mut Diagnostics,
) {
    let mut sum = Exact::zero();
    for (path, _) in &m.parts {
        match crate::model::Figure::number_at(&year.figures, path) {
            Some(v) => sum = &sum + v,
            None => return,
        }
    }
    if m.parts.is_empty() || &sum == total {
        return;
    }
    let loc = m.parts[0].1.clone();
    let (sum_text, total_text) = (sum.to_exact_string(), total.to_exact_string());
    if &sum < total {
        let rest = (total - &sum).to_exact_string();
        diags.push(
            Diagnostic::warning(format!(
                "the parts of `{}` add up to {sum_text}, less than its value {total_text} in {}",
                m.name, year.year
            ))
            .at(loc, "these parts")
            .help(format!(
                "its chart shows the remaining {rest} as “other” (其他); list every part, or correct the figures"
            )),
        );
    } else {
        diags.push(
            Diagnostic::error(format!(
                "the parts of `{}` add up to {sum_text}, more than its value {total_text} in {}",
                m.name, year.year
            ))
            .at(loc, "these parts")
            .help("parts cannot add up to more than their total: correct the figures, the parts or the formula"),
        );
    }
}

/// The targets `year`'s plan sets for the next year, not judged (the next year's
/// figures are not in yet). [`compute_year`] gives them when the plan is read;
/// the pipeline calls this once it reads the narrative later.
pub fn plan_targets(
    plan: Option<&Plan>,
    metrics: &IndexMap<String, Option<Exact>>,
) -> Vec<TargetResult> {
    plan.iter()
        .flat_map(|p| p.targets.iter())
        .filter(|t| metrics.contains_key(&t.metric))
        .map(|t| judged(metrics, t, false))
        .collect()
}

/// A warning when the verdict on the exact value is not the one the shown value
/// gives: "29% ✓ met" beside a maximum of 28.5% (28.5 exactly, shown at 0
/// decimals), or "9.50 ✗ not met" beside a maximum of 9.50 (9.504). The verdict
/// stays the exact value's (docs/data-format.md); the report would still read
/// as wrong to anyone who compares the two numbers it prints.
fn verdict_as_shown(
    project: &Project,
    year: i32,
    metrics: &IndexMap<String, Option<Exact>>,
    t: &TargetDef,
    result: &TargetResult,
    diags: &mut Diagnostics,
) {
    let (Some(met), Some(Some(value)), Some(m)) = (
        result.met,
        metrics.get(&t.metric),
        project.catalogue.metrics.get(&t.metric),
    ) else {
        return;
    };
    let mode = project.config.rounding;
    let meets = |v: &Exact| {
        t.min.as_ref().is_none_or(|lo| v >= lo) && t.max.as_ref().is_none_or(|hi| v <= hi)
    };
    if meets(&value.rounded(m.decimals, mode)) == met {
        return;
    }
    let shown = value.to_fixed(m.decimals, mode);
    let bounds = match (&t.min, &t.max) {
        (Some(lo), Some(hi)) => format!("{} to {}", lo.to_exact_string(), hi.to_exact_string()),
        (Some(lo), None) => format!("at least {}", lo.to_exact_string()),
        (None, Some(hi)) => format!("at most {}", hi.to_exact_string()),
        (None, None) => return,
    };
    let verdict = if met { "met" } else { "not met" };
    // The fewest decimals at which the shown value agrees with the verdict.
    let enough = (m.decimals + 1..=12).find(|d| meets(&value.rounded(*d, mode)) == met);
    let help = match enough {
        Some(d) => format!(
            "at `decimals = {d}` the metric shows {}; or set the target at the precision shown",
            value.to_fixed(d, mode)
        ),
        None => "set the target at the precision the metric is shown with".to_string(),
    };
    diags.push(
        Diagnostic::warning(format!(
            "the target of `{}` ({bounds}) is {verdict} in {} by its exact value {}, but the report shows {shown}",
            t.metric,
            year,
            value.to_exact_string(),
        ))
        .at(t.loc.clone(), format!("{verdict}, while {shown} reads otherwise"))
        .help(help),
    );
}

/// `t` against the metric's value when `judge`, unjudged otherwise.
fn judged(metrics: &IndexMap<String, Option<Exact>>, t: &TargetDef, judge: bool) -> TargetResult {
    let met = judge
        .then(|| {
            let value = metrics.get(&t.metric)?.as_ref()?;
            Some(
                t.min.as_ref().is_none_or(|lo| value >= lo)
                    && t.max.as_ref().is_none_or(|hi| value <= hi),
            )
        })
        .flatten();
    TargetResult {
        metric: t.metric.clone(),
        min: t.min.clone(),
        max: t.max.clone(),
        met,
    }
}

/// "left side `births` = 1335, right side `boys + girls` = 1336".
fn sides(env: &Env, e: &Expr, project: &Project) -> String {
    let show = |x: &Expr| match env.num(x) {
        Ok(v) => {
            // Show a metric at its display precision plus the exact value.
            let exact = v.to_exact_string();
            match &x.kind {
                ExprKind::Name(p) if p.len() == 1 => match project.catalogue.metrics.get(&p[0]) {
                    Some(m) => {
                        let shown = v.to_fixed(m.decimals, project.config.rounding);
                        if shown == exact {
                            shown
                        } else {
                            format!("{shown} (exactly {exact})")
                        }
                    }
                    None => exact,
                },
                _ => exact,
            }
        }
        Err(u) => format!("undefined ({})", u.divisor),
    };
    // A literal is shown as written; anything else with its value.
    let side = |x: &Expr| match &x.kind {
        ExprKind::Number(_, text) => text.clone(),
        _ => format!("`{x}` = {}", show(x)),
    };
    match &e.kind {
        ExprKind::Binary(op, l, r) if op.is_comparison() => {
            format!("left side {}, right side {}", side(l), side(r))
        }
        _ => format!("`{e}` is false"),
    }
}
