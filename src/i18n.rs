//! Languages, and the one table of fixed wording in both of them: the headings and
//! labels of the reports, the words of `nianbao diff` and of the charts. A text from
//! the data carries its own two languages ([`crate::model::Text`]); everything the
//! tool itself writes comes from here.

use serde::Serialize;

/// The languages of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese, the language of the original.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Both languages, Chinese first.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The language code (`zh`, `en`), as used in file names and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The code of an HTML `lang` attribute.
    pub fn html_code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a language code.
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The fixed wording in this language.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// Every fixed word and phrase of the tool's outputs, in one language. Phrases that
/// hold a year are methods of [`Words`] (`summary_heading(2006)`).
#[derive(Debug)]
pub struct Words {
    /// The language of these words.
    pub lang: Lang,

    // The report.
    /// Heading of the indicators section.
    pub indicators: &'static str,
    /// Heading of the targets table.
    pub targets: &'static str,
    /// Heading of the shortcomings paragraph.
    pub shortcomings: &'static str,
    /// Heading of the plan's guiding principle.
    pub guiding_principle: &'static str,
    /// Heading of the plan's key items.
    pub key_items: &'static str,
    /// Column: the indicator.
    pub metric: &'static str,
    /// Column: its value.
    pub value: &'static str,
    /// Column: a target.
    pub target: &'static str,
    /// Column: the actual value.
    pub actual: &'static str,
    /// Column: met or not.
    pub result: &'static str,
    /// A target met.
    pub met: &'static str,
    /// A target not met.
    pub not_met: &'static str,
    /// A target that cannot be judged (the value is undefined).
    pub unknown: &'static str,
    /// The reporting period, as a label.
    pub period: &'static str,
    /// A lower bound: "at least".
    pub at_least: &'static str,
    /// An upper bound: "at most".
    pub at_most: &'static str,
    /// Between two bounds: "to".
    pub between: &'static str,
    /// A target whose lower and upper bounds are the same value.
    pub exactly: &'static str,
    /// The mark of a text shown in the other language.
    pub untranslated: &'static str,
    /// The mark of a text shown in the other language, in Markdown.
    pub untranslated_md: &'static str,
    /// What an empty (scaffolded) text shows, in Markdown.
    pub unwritten_md: &'static str,
    /// Heading of the trend charts.
    pub trends: &'static str,
    /// Heading of the charts when none spans two years (a first year's breakdowns).
    pub breakdowns: &'static str,
    /// The part of a breakdown's total that its listed parts leave out.
    pub other_part: &'static str,
    /// The language switch's label.
    pub language: &'static str,
    /// The switch position that shows both editions.
    pub both: &'static str,
    /// Banner of a preliminary year.
    pub banner_preliminary: &'static str,
    /// Banner of a draft year.
    pub banner_draft: &'static str,
    /// Banner title of a preliminary year.
    pub banner_title_preliminary: &'static str,
    /// Banner title of a draft year.
    pub banner_title_draft: &'static str,
    /// Between a label and what follows (`：` / `: `).
    pub colon: &'static str,
    /// Between words: nothing in Chinese, a space in English.
    pub space: &'static str,
    /// Between the items of a list (`、` / `, `).
    pub list_sep: &'static str,
    /// Between two clauses (`，` / `, `).
    pub comma: &'static str,
    /// The title pattern when `nianbao.toml` gives none.
    pub default_title: &'static str,

    // Changes from last year.
    /// A rate that went up (`提高`).
    pub rate_up: &'static str,
    /// A rate that went down (`下降`).
    pub rate_down: &'static str,
    /// A count that went up (`增加`).
    pub count_up: &'static str,
    /// A count that went down (`减少`).
    pub count_down: &'static str,
    /// A relative rise (`增长`).
    pub grew: &'static str,
    /// A relative fall (`下降`).
    pub fell: &'static str,
    /// Percentage points (`个百分点` / `pp`).
    pub percent_points: &'static str,
    /// Per-mille points (`个千分点` / `per-mille points`).
    pub permille_points: &'static str,
    /// Percentage points in running text (`个百分点` / `points`).
    pub percent_points_text: &'static str,
    /// Per-mille points in running text (`个千分点` / `points per thousand`).
    pub permille_points_text: &'static str,
    /// Per-mille points after a signed number (`个千分点` / `‰ pts`).
    pub permille_points_short: &'static str,
    /// No change in running text (`持平` / `unchanged`).
    pub unchanged: &'static str,
    /// Column: this year's value (`本年`).
    pub this_year: &'static str,
    /// Column: last year's value (`上年`).
    pub last_year: &'static str,
    /// Column: the change from last year (`增减`).
    pub year_change: &'static str,

    // `nianbao diff`.
    /// Heading of the metric table of a diff.
    pub diff_indicators: &'static str,
    /// Column: the change.
    pub change: &'static str,
    /// Column: the verdict.
    pub trend: &'static str,
    /// A change for the better.
    pub better: &'static str,
    /// A change for the worse.
    pub worse: &'static str,
    /// Heading of the changed figures.
    pub figures: &'static str,
    /// Column: a figure.
    pub figure: &'static str,
    /// Heading of the summary's changes.
    pub diff_summary: &'static str,
    /// Heading of the plan's changes.
    pub diff_plan: &'static str,
    /// A text only in the later year.
    pub added: &'static str,
    /// A text only in the earlier year.
    pub removed: &'static str,
    /// A text in both years, worded differently.
    pub reworded: &'static str,
    /// The opening paragraph, as a name.
    pub opening: &'static str,
    /// The indicators paragraph, as a name.
    pub indicators_text: &'static str,
    /// Nothing changed.
    pub nothing: &'static str,
    /// No targets were set.
    pub no_targets: &'static str,
}

impl Words {
    /// `2006年工作总结` / `Work in 2006`.
    pub fn summary_heading(&self, year: i32) -> String {
        if self.lang == Lang::Zh {
            format!("{year}年工作总结")
        } else {
            format!("Work in {year}")
        }
    }

    /// `2007年工作计划` / `Plan for 2007`, for the plan of `year + 1`.
    pub fn plan_heading(&self, year: i32) -> String {
        if self.lang == Lang::Zh {
            format!("{}年工作计划", year + 1)
        } else {
            format!("Plan for {}", year + 1)
        }
    }

    /// `2007年主要目标` / `Targets for 2007`, for the plan of `year + 1`.
    pub fn plan_targets_heading(&self, year: i32) -> String {
        self.targets_for(year + 1)
    }

    /// `2007年目标完成情况` / `Targets for 2007`: the targets of `year`.
    pub fn targets_of(&self, year: i32) -> String {
        if self.lang == Lang::Zh {
            format!("{year}年目标完成情况")
        } else {
            format!("Targets for {year}")
        }
    }

    fn targets_for(&self, year: i32) -> String {
        if self.lang == Lang::Zh {
            format!("{year}年主要目标")
        } else {
            format!("Targets for {year}")
        }
    }

    /// The title of a diff: `2006年与2007年对比` / `Changes from 2006 to 2007`.
    pub fn diff_title(&self, from: i32, to: i32) -> String {
        if self.lang == Lang::Zh {
            format!("{from}年与{to}年对比")
        } else {
            format!("Changes from {from} to {to}")
        }
    }

    /// A span of years: `2006—2007年` / `2006–2007`, or one year.
    pub fn year_span(&self, first: i32, last: i32) -> String {
        match (self.lang, first == last) {
            (Lang::Zh, false) => format!("{first}—{last}年"),
            (Lang::En, false) => format!("{first}–{last}"),
            (Lang::Zh, true) => format!("{first}年"),
            (Lang::En, true) => first.to_string(),
        }
    }

    /// A name with a remark: `导语（改写）` / `Opening (reworded)`.
    pub fn with_remark(&self, name: &str, remark: &str) -> String {
        if self.lang == Lang::Zh {
            format!("{name}（{remark}）")
        } else {
            format!("{name} ({remark})")
        }
    }
}

/// Chinese.
static ZH: Words = Words {
    lang: Lang::Zh,
    indicators: "主要指标完成情况",
    targets: "目标完成情况",
    shortcomings: "存在问题",
    guiding_principle: "指导思想",
    key_items: "重点工作",
    metric: "指标",
    value: "数值",
    target: "目标",
    actual: "实际",
    result: "完成情况",
    met: "✓ 完成",
    not_met: "✗ 未完成",
    unknown: "— 无法判断",
    period: "统计时段",
    at_least: "不低于",
    at_most: "不高于",
    between: "至",
    exactly: "等于",
    untranslated: "（未翻译）",
    untranslated_md: "*（未翻译）* ",
    unwritten_md: "（待撰写）",
    trends: "历年趋势",
    other_part: "其他",
    breakdowns: "构成情况",
    language: "语言",
    both: "双语",
    banner_preliminary: "本报告数据为快报数，以统计年鉴公布数为准。",
    banner_draft: "本年数据尚未定稿，请勿引用。",
    banner_title_preliminary: "快报",
    banner_title_draft: "草稿",
    colon: "：",
    space: "",
    list_sep: "、",
    comma: "，",
    default_title: "{year}年工作总结及{next}年工作计划",
    rate_up: "提高",
    rate_down: "下降",
    count_up: "增加",
    count_down: "减少",
    grew: "增长",
    fell: "下降",
    percent_points: "个百分点",
    permille_points: "个千分点",
    percent_points_text: "个百分点",
    permille_points_text: "个千分点",
    permille_points_short: "个千分点",
    unchanged: "持平",
    this_year: "本年",
    last_year: "上年",
    year_change: "增减",
    diff_indicators: "主要指标",
    change: "增减",
    trend: "评价",
    better: "向好",
    worse: "变差",
    figures: "变动的原始数据",
    figure: "数据项",
    diff_summary: "工作总结",
    diff_plan: "工作计划",
    added: "新增",
    removed: "删除",
    reworded: "改写",
    opening: "导语",
    indicators_text: "指标概述",
    nothing: "无变化。",
    no_targets: "未设目标。",
};

/// English.
static EN: Words = Words {
    lang: Lang::En,
    indicators: "Key indicators",
    targets: "Targets",
    shortcomings: "Shortcomings",
    guiding_principle: "Guiding principle",
    key_items: "Key tasks",
    metric: "Indicator",
    value: "Value",
    target: "Target",
    actual: "Actual",
    result: "Result",
    met: "✓ met",
    not_met: "✗ not met",
    unknown: "— undetermined",
    period: "Period",
    at_least: "at least",
    at_most: "at most",
    between: "to",
    exactly: "exactly",
    untranslated: "(untranslated)",
    untranslated_md: "*(untranslated)* ",
    unwritten_md: "(to be written)",
    trends: "Trends",
    other_part: "Other",
    breakdowns: "Breakdown",
    language: "Language",
    both: "Both",
    banner_preliminary: "The figures in this report are preliminary and may be revised by the statistical yearbook.",
    banner_draft: "The figures of this year are not final. Do not quote.",
    banner_title_preliminary: "Preliminary",
    banner_title_draft: "DRAFT",
    colon: ": ",
    space: " ",
    list_sep: ", ",
    comma: ", ",
    default_title: "{year} Work Summary and {next} Work Plan",
    rate_up: "up",
    rate_down: "down",
    count_up: "up",
    count_down: "down",
    grew: "up",
    fell: "down",
    percent_points: "pp",
    permille_points: "per-mille points",
    percent_points_text: "points",
    permille_points_text: "points per thousand",
    permille_points_short: "‰ pts",
    unchanged: "unchanged",
    this_year: "This year",
    last_year: "Last year",
    year_change: "Change",
    diff_indicators: "Key indicators",
    change: "Change",
    trend: "Trend",
    better: "better",
    worse: "worse",
    figures: "Figures that changed",
    figure: "Figure",
    diff_summary: "Work summary",
    diff_plan: "Work plan",
    added: "added",
    removed: "removed",
    reworded: "reworded",
    opening: "Opening",
    indicators_text: "Indicators paragraph",
    nothing: "No changes.",
    no_targets: "No targets set.",
};
