//! `metrics.xlsx`: a year's metrics as one sheet for people who work in Excel or
//! WPS. Every value is a number cell (so it can be summed, sorted, charted) whose
//! number format shows exactly the metric's decimals and its unit, so the cell reads
//! as `metrics.json`'s `value` does: a rate of 91.78 % is stored as **91.78** with
//! the format `0.00"%"` (not as 0.9178 with `0.00%`), a count as 151837 with
//! `0"人"`. Both languages' labels, last year's value, the change (in points for a
//! rate, as an amount and a relative change for a count; one column with the
//! Chinese unit of the change, one with the English), the targets and whether
//! each was met sit beside it. The header row is bold, frozen and filtered; column
//! widths fit their content (a CJK character counts two); printed, it is A4
//! landscape, one page wide, the header on every page. The bytes are the same
//! from run to run: the document's properties, creation time included, are fixed.
//!
//! A cell of an xlsx file *is* a binary float: the decimal text is turned into one
//! only here, at the cell, and the format shows it rounded back to the same text.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use crate::i18n::Lang;

/// How a year-over-year change is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A rate (`%`, `‰`): the difference in points.
    Points,
    /// A count or amount: the difference in the metric's unit.
    Amount,
}

/// One metric's row. Numbers are plain decimal text as `metrics.json` has them,
/// already rounded (`"8.79"`, `"-0.13"`, `"151837"`); `None` is undefined or absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricRow {
    /// The metric's name in the catalogue (`birth_rate`).
    pub name: String,
    /// 中文 label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
    /// Chinese unit (`‰`, `人`, or empty).
    pub unit_zh: String,
    /// English unit.
    pub unit_en: String,
    /// Decimal places shown.
    pub decimals: u32,
    /// This year's value, rounded.
    pub value: Option<String>,
    /// The unrounded value (written as text: a float could not hold it).
    pub exact: Option<String>,
    /// Last year's value, rounded.
    pub previous: Option<String>,
    /// Whether there is a last year to compare with: then a `None` in `previous` is
    /// an undefined value, shown as "—" (and so is the change), not a blank.
    pub has_previous: bool,
    /// The change from last year, rounded: in points for a rate, in the unit for a count.
    pub change: Option<String>,
    /// What `change` measures.
    pub change_kind: ChangeKind,
    /// The relative change of a count, in per cent, rounded (`"0.5"`).
    pub relative_change: Option<String>,
    /// The year's target: lower bound.
    pub target_min: Option<String>,
    /// The year's target: upper bound.
    pub target_max: Option<String>,
    /// Whether the target was met (`None` without a target or a value).
    pub met: Option<bool>,
}

/// A year's metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsSheet {
    /// The year.
    pub year: i32,
    /// `final`, `preliminary` or `draft`, as in `metrics.json`.
    pub status: String,
    /// One row per metric, in catalogue order.
    pub rows: Vec<MetricRow>,
}

/// A value that is not the decimal text the sheet expects.
#[derive(Debug, thiserror::Error)]
pub enum XlsxWriteError {
    /// A number field that does not read as a number.
    #[error("metric `{metric}`: `{text}` is not a decimal number")]
    NotANumber {
        /// The metric.
        metric: String,
        /// The text.
        text: String,
    },
    /// The writer failed (the caller names the file).
    #[error("{0}")]
    Xlsx(#[from] XlsxError),
}

/// The columns, with their two-language headers.
const HEADERS: [&str; 14] = [
    "代码 Key",
    "指标 Indicator",
    "英文名称 Indicator (English)",
    "本年 This year",
    "单位 Unit",
    "Unit (English)",
    "上年 Last year",
    "增减 Change",
    "Change (English)",
    "增长 Change %",
    "目标下限 Target min",
    "目标上限 Target max",
    "完成 Met",
    "精确值 Exact value",
];

/// Column indexes, for the writer and the tests.
pub mod col {
    /// The metric's name.
    pub const KEY: u16 = 0;
    /// Chinese label.
    pub const LABEL_ZH: u16 = 1;
    /// English label.
    pub const LABEL_EN: u16 = 2;
    /// This year's value.
    pub const VALUE: u16 = 3;
    /// Chinese unit.
    pub const UNIT_ZH: u16 = 4;
    /// English unit.
    pub const UNIT_EN: u16 = 5;
    /// Last year's value.
    pub const PREVIOUS: u16 = 6;
    /// The change, with the Chinese unit of the change (`+0.72个百分点`, `+767人`).
    pub const CHANGE: u16 = 7;
    /// The same change with the English unit (`+0.72 pp`, `+767 persons`).
    pub const CHANGE_EN: u16 = 8;
    /// The relative change.
    pub const RELATIVE: u16 = 9;
    /// Target minimum.
    pub const TARGET_MIN: u16 = 10;
    /// Target maximum.
    pub const TARGET_MAX: u16 = 11;
    /// Met or not.
    pub const MET: u16 = 12;
    /// The exact value, as text.
    pub const EXACT: u16 = 13;
}

/// The fixed creation time of every `metrics.xlsx` (the zip format's own epoch), so
/// that the same metrics give the same bytes.
pub const CREATED: (u16, u8, u8) = (1980, 1, 1);

/// The longest number format Excel accepts, in UTF-16 units: a longer one makes
/// Excel report the workbook as damaged and repair it away.
const MOST_FORMAT: usize = 255;

/// The number format that shows `places` decimals followed by `unit`:
/// `0.00"‰"`, `0"人"`, `0.0`. A `%` is quoted, so it is a sign and not a ×100.
/// A unit no format can show (too long for Excel's 255 characters, or with a
/// line break) is left out: the cell shows the bare number, and the unit
/// column beside it still names the unit.
pub fn number_format(places: u32, unit: &str) -> String {
    let digits = digits_format(places);
    match unit_literal(unit) {
        Some(lit) if fits(&[&digits, &lit]) => format!("{digits}{lit}"),
        _ => digits,
    }
}

/// `0`, `0.00`.
fn digits_format(places: u32) -> String {
    let mut code = String::from("0");
    if places > 0 {
        code.push('.');
        code.push_str(&"0".repeat(places as usize));
    }
    code
}

/// `unit` as literal text of a number format: quoted, so that every character
/// special in a format (`0 # ? . , % E @ * _ \ [ ] ;`, a `/`) shows as itself.
/// A `"` cannot be written inside quotes (it closes them): it is written escaped,
/// `\"`, between quoted runs, and no run is empty (`人"` is `"人"\"`, not
/// `"人"\"""`). `None` for no unit, or one with a control character, which a
/// format cannot hold (`styles.xml` cannot even carry most of them).
fn unit_literal(unit: &str) -> Option<String> {
    if unit.is_empty() || unit.chars().any(char::is_control) {
        return None;
    }
    let runs: Vec<String> = unit
        .split('"')
        .map(|run| {
            if run.is_empty() {
                String::new()
            } else {
                format!("\"{run}\"")
            }
        })
        .collect();
    Some(runs.join("\\\""))
}

/// Whether the parts together are within Excel's limit for a format.
fn fits(parts: &[&str]) -> bool {
    parts
        .iter()
        .map(|p| p.encode_utf16().count())
        .sum::<usize>()
        <= MOST_FORMAT
}

/// A change, always signed: `+0.72" pp";-0.72" pp";0.00" pp"`; without the unit
/// when the three sections with it would be longer than Excel allows.
fn signed_format(places: u32, unit: &str) -> String {
    let signed = |body: &str| format!("+{body};-{body};{body}");
    let with_unit = signed(&number_format(places, unit));
    if fits(&[&with_unit]) {
        with_unit
    } else {
        signed(&digits_format(places))
    }
}

/// Decimal places of a decimal text (`"0.5"` → 1).
fn places_of(text: &str) -> u32 {
    text.split_once('.').map_or(0, |(_, f)| f.len() as u32)
}

/// The unit a change is written in, in `lang`, as the report's `change` writes it:
/// points for a rate (`个百分点` / ` pp`, `个千分点` / ` ‰ pts`), else the metric's
/// unit. One language a column: a column that said `+767人` beside `+0.48 pp`
/// mixed them (found by an audit).
fn change_unit(row: &MetricRow, lang: Lang) -> String {
    let w = lang.words();
    let unit = match lang {
        Lang::Zh => &row.unit_zh,
        Lang::En => &row.unit_en,
    };
    match row.change_kind {
        ChangeKind::Points if row.unit_zh == "‰" => {
            format!("{}{}", w.space, w.permille_points_short)
        }
        ChangeKind::Points => format!("{}{}", w.space, w.percent_points),
        ChangeKind::Amount => {
            let attached = matches!(unit.as_str(), "" | "%" | "‰" | "％" | "‱") || lang == Lang::Zh;
            if attached {
                unit.clone()
            } else {
                format!(" {unit}")
            }
        }
    }
}

/// The bytes of `metrics.xlsx`.
pub fn metrics_xlsx(sheet: &MetricsSheet) -> Result<Vec<u8>, XlsxWriteError> {
    let mut workbook = Workbook::new();
    // The fastest deflate: a small sheet shrinks about as much at any level, and
    // the workbook is made on every build.
    workbook.set_zip_compression_level(1);
    let created = ExcelDateTime::from_ymd(CREATED.0, CREATED.1, CREATED.2)?;
    let status = match sheet.status.as_str() {
        "preliminary" => " 快报 preliminary",
        "draft" => " 草稿 draft",
        _ => "",
    };
    let properties = DocProperties::new()
        .set_title(format!("{} 指标 Metrics{status}", sheet.year))
        .set_author("nianbao")
        .set_status(sheet.status.clone())
        .set_creation_datetime(&created);
    workbook.set_properties(&properties);
    let ws = workbook.add_worksheet();
    ws.set_name(sheet_name(sheet.year, &sheet.status))?;
    let header = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let dash = Format::new().set_align(FormatAlign::Center);
    let right = Format::new().set_align(FormatAlign::Right);
    let mut widths: Vec<usize> = HEADERS.iter().map(|h| h.width()).collect();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (i, row) in sheet.rows.iter().enumerate() {
        let r = i as u32 + 1;
        let mut put_text = |ws: &mut Worksheet, c: u16, s: &str| -> Result<(), XlsxError> {
            if !s.is_empty() {
                // The default format (style 0) without hashing a format per cell.
                ws.write_string(r, c, s)?;
                widths[c as usize] = widths[c as usize].max(s.width());
            }
            Ok(())
        };
        put_text(ws, col::KEY, &row.name)?;
        put_text(ws, col::LABEL_ZH, &row.label_zh)?;
        put_text(ws, col::LABEL_EN, &row.label_en)?;
        put_text(ws, col::UNIT_ZH, &row.unit_zh)?;
        put_text(ws, col::UNIT_EN, &row.unit_en)?;
        if let Some(e) = &row.exact {
            put_text(ws, col::EXACT, e)?;
        }
        // The report's words (its 完成情况 column), both languages in one cell:
        // `✓ 完成 met`, not words of the workbook's own.
        let verdict = |pick: fn(&crate::i18n::Words) -> &'static str| {
            let (zh, en) = (pick(Lang::Zh.words()), pick(Lang::En.words()));
            // Both begin with the same mark; it is written once.
            let en = en.split_once(' ').map_or(en, |(_, rest)| rest);
            format!("{zh} {en}")
        };
        let met = match (row.met, &row.target_min, &row.target_max) {
            (Some(true), ..) => verdict(|w| w.met),
            (Some(false), ..) => verdict(|w| w.not_met),
            (None, None, None) => String::new(),
            (None, ..) => verdict(|w| w.unknown),
        };
        put_text(ws, col::MET, &met)?;
        let value_format = number_format(row.decimals, &row.unit_zh);
        let mut numbers: Vec<(u16, &Option<String>, String)> = vec![
            (col::VALUE, &row.value, value_format.clone()),
            (col::PREVIOUS, &row.previous, value_format.clone()),
            (
                col::TARGET_MIN,
                &row.target_min,
                number_format(places_of_opt(&row.target_min), &row.unit_zh),
            ),
            (
                col::TARGET_MAX,
                &row.target_max,
                number_format(places_of_opt(&row.target_max), &row.unit_zh),
            ),
        ];
        if let Some(ch) = &row.change {
            for (c, lang) in [(col::CHANGE, Lang::Zh), (col::CHANGE_EN, Lang::En)] {
                numbers.push((
                    c,
                    &row.change,
                    signed_format(places_of(ch), &change_unit(row, lang)),
                ));
            }
        }
        if let Some(rel) = &row.relative_change {
            numbers.push((
                col::RELATIVE,
                &row.relative_change,
                signed_format(places_of(rel), "%"),
            ));
        }
        for (c, value, code) in numbers {
            match value {
                Some(t) => {
                    let n: f64 = t.trim().parse().map_err(|_| XlsxWriteError::NotANumber {
                        metric: row.name.clone(),
                        text: t.clone(),
                    })?;
                    let shown = shown_text(t, &code);
                    if fits_a_double(t) {
                        ws.write_number_with_format(r, c, n, &Format::new().set_num_format(&code))?;
                    } else {
                        // A double would show other digits than the report's
                        // (987654321098765432109876543210.98765 read
                        // 987654321098765400000000000000): the exact text instead,
                        // right-aligned as a number is.
                        ws.write_string_with_format(r, c, &shown, &right)?;
                    }
                    widths[c as usize] = widths[c as usize].max(shown.width());
                }
                // An undefined value shows as "—", as in the report (last year's
                // too, when there is a last year); a previous year or target that is
                // not there stays blank.
                None if c == col::VALUE || (c == col::PREVIOUS && row.has_previous) => {
                    ws.write_string_with_format(r, c, "—", &dash)?;
                }
                None => {}
            }
        }
        if row.change.is_none() && (row.previous.is_some() || row.has_previous) {
            ws.write_string_with_format(r, col::CHANGE, "—", &dash)?;
            ws.write_string_with_format(r, col::CHANGE_EN, "—", &dash)?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    // Printed, the sheet is 14 columns wide: A4 landscape, one page wide, the
    // header row on every page, so a printed page is not a column cut off.
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    let last_row = sheet.rows.len().max(1) as u32;
    ws.autofilter(0, 0, last_row, HEADERS.len() as u16 - 1)?;
    Ok(workbook.save_to_buffer()?)
}

/// Whether a number cell shows the decimal `text` as it is: a double holds any
/// decimal of at most 15 significant digits closely enough to be shown back at its
/// places, and Excel shows no more than 15 ([`super::number::FLOAT_DIGITS`]).
fn fits_a_double(text: &str) -> bool {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0');
    significant.len() <= super::number::FLOAT_DIGITS
}

fn places_of_opt(text: &Option<String>) -> u32 {
    text.as_deref().map_or(0, places_of)
}

/// What a number cell shows, for the column width: the text, a sign for a signed
/// format, and the unit.
fn shown_text(value: &str, code: &str) -> String {
    // The literal text of the first section: quoted, or escaped with `\`.
    let mut unit = String::new();
    let (mut quoted, mut chars) = (false, code.chars());
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => unit.push(c),
            '\\' => unit.extend(chars.next()),
            ';' => break,
            _ => {}
        }
    }
    let sign = if code.starts_with('+') && !value.starts_with('-') {
        "+"
    } else {
        ""
    };
    format!("{sign}{value}{unit}")
}

/// The sheet's name: the year, and the status when it is not final
/// (`2006`, `2007 草稿`).
pub fn sheet_name(year: i32, status: &str) -> String {
    match status {
        "preliminary" => format!("{year} 快报"),
        "draft" => format!("{year} 草稿"),
        _ => year.to_string(),
    }
}

#[cfg(test)]
mod tests;
