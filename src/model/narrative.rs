//! The narrative of a year: the summary of its work (`summary.toml`) and the plan for
//! the next (`plan.toml`). Every text is a `{ zh, en }` pair and may hold Tera
//! expressions, rendered by the render stage.

use super::{TargetDef, Text};

/// A numbered part of the summary or the plan.
#[derive(Debug, Clone)]
pub struct Section {
    /// Its heading.
    pub title: Text,
    /// Its paragraph.
    pub text: Option<Text>,
    /// 一是 … 二是 …
    pub points: Vec<Text>,
}

/// `summary.toml`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The date of the report (成文日期), for the 落款 of the official document.
    pub date: Option<chrono::NaiveDate>,
    /// Where the date is written.
    pub date_loc: Option<crate::diag::Loc>,
    /// Lead paragraph.
    pub opening: Option<Text>,
    /// A paragraph on the indicators, shown above the indicator table.
    pub indicators: Option<Text>,
    /// Numbered sections.
    pub sections: Vec<Section>,
    /// 存在问题.
    pub shortcomings: Option<Text>,
}

/// `plan.toml`.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// 指导思想.
    pub guiding_principle: Option<Text>,
    /// Key items.
    pub items: Vec<Section>,
    /// Targets for the plan year.
    pub targets: Vec<TargetDef>,
}
