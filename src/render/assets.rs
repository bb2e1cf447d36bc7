//! The built-in templates, compiled into the binary so that it works in any
//! folder. A project's `templates/NAME` replaces the built-in `NAME`.

/// Every built-in template: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.md", include_str!("../../templates/base.md")),
    ("report.md", include_str!("../../templates/report.md")),
    (
        "partials/indicators.md",
        include_str!("../../templates/partials/indicators.md"),
    ),
    (
        "partials/targets.md",
        include_str!("../../templates/partials/targets.md"),
    ),
    (
        "partials/charts.md",
        include_str!("../../templates/partials/charts.md"),
    ),
    (
        "partials/summary.md",
        include_str!("../../templates/partials/summary.md"),
    ),
    (
        "partials/shortcomings.md",
        include_str!("../../templates/partials/shortcomings.md"),
    ),
    (
        "partials/plan.md",
        include_str!("../../templates/partials/plan.md"),
    ),
    ("report.html", include_str!("../../templates/report.html")),
    ("diff.html", include_str!("../../templates/diff.html")),
    ("style.css", include_str!("../../templates/style.css")),
];
