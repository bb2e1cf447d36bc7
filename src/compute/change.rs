//! A metric's change from one year to another, computed once for the report and for
//! `nianbao diff`: from the exact values, rounded once at the metric's decimals. A
//! rate (`%`, `‰`) changes by points, never by a relative percentage; a count also
//! gets the relative change; a ratio (the sex ratio at birth) the difference alone.

use crate::exact::{Exact, Rounding};
use crate::model::{Better, MetricDef, MetricKind};

/// How a metric moved.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// `to - from`, exact.
    pub delta: Exact,
    /// `delta` rounded once at the metric's decimals (what is displayed).
    pub shown: Exact,
    /// Points (for a rate) or an amount in the metric's unit.
    pub kind: ChangeKind,
    /// For counts: `delta / |from| × 100`, exact; `None` for rates and ratios, or when
    /// `from` is 0.
    pub relative: Option<Exact>,
    /// Up, down or flat, by the displayed change.
    pub direction: Direction,
    /// Whether the move is good, by the metric's `better`; `None` when it has none
    /// or nothing moved.
    pub good: Option<bool>,
}

/// What a change is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Percentage points (`%` rates).
    PercentPoints,
    /// Per-mille points (`‰` rates).
    PermillePoints,
    /// A count in the metric's own unit, with a relative change.
    Amount,
    /// A ratio or level in its own unit, without a relative change.
    Level,
}

/// Which way a value moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Up.
    Up,
    /// Down.
    Down,
    /// No displayed change.
    Flat,
}

impl Direction {
    /// `up`, `down` or `same`, as templates and JSON see it.
    pub fn code(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Flat => "same",
        }
    }
}

/// What a change of `m` is measured in. A difference of two values in `%` is in
/// percentage points, and of two in `‰` in per-mille points, whether the
/// catalogue calls the metric a rate or a ratio (`提高4.0%` would read as a
/// relative rise). A rate in any other unit (per 10,000, 人/万人) changes in its
/// own unit: "个百分点" would say what the data does not. A rate without a unit
/// is taken as a percentage.
pub fn change_kind(m: &MetricDef) -> ChangeKind {
    match (m.kind(), m.unit.zh.as_str()) {
        (MetricKind::Count, _) => ChangeKind::Amount,
        (_, "‰") => ChangeKind::PermillePoints,
        // A rate without a unit is taken as a percentage, the common case.
        (_, "%" | "％") | (MetricKind::Rate, "") => ChangeKind::PercentPoints,
        (MetricKind::Rate | MetricKind::Ratio, _) => ChangeKind::Level,
    }
}

/// The change of metric `m` from `from` to `to`; `None` when either is undefined.
pub fn change(
    m: &MetricDef,
    from: Option<&Exact>,
    to: Option<&Exact>,
    mode: Rounding,
) -> Option<Change> {
    let (a, b) = (from?, to?);
    let delta = b - a;
    // Rounded once, from the exact difference: not the difference of the two
    // rounded values, which can be off by one in the last place.
    let shown = delta.rounded(m.decimals, mode);
    let kind = change_kind(m);
    // Against a positive base only: from -10 to 10 is no "增长200%" (nor -200%):
    // a percentage of a negative or zero amount says nothing a reader can use.
    let relative = match kind {
        ChangeKind::Amount if !a.is_negative() && !a.is_zero() => {
            delta.checked_div(a).map(|r| &r * &Exact::from_int(100))
        }
        _ => None,
    };
    let direction = if shown.is_zero() {
        Direction::Flat
    } else if shown.is_negative() {
        Direction::Down
    } else {
        Direction::Up
    };
    let good = match (m.better, direction) {
        (_, Direction::Flat) | (None, _) => None,
        (Some(Better::Higher), d) => Some(d == Direction::Up),
        (Some(Better::Lower), d) => Some(d == Direction::Down),
    };
    Some(Change {
        delta,
        shown,
        kind,
        relative,
        direction,
        good,
    })
}
