//! The official-document backend: `report.zh.docx` and `report.en.docx` in GB/T 9704
//! layout, made by [`crate::docx`] from the very Markdown of each edition (so the
//! document says what the other editions say, numbered as the templates number it)
//! and from the charts, drawn as Word's own charts.

use super::{OutputFile, YearInput};
use crate::diag::Diagnostic;
use crate::docx::{self, ChartData, ChartKind, DocxInput, Layout, Series, Signature};
use crate::i18n::Lang;
use crate::model::{DocxConfig, Project};
use crate::render::charts::{Chart, ChartBody};
use crate::render::format;

/// `report.zh.docx` and `report.en.docx`.
pub fn files(input: &YearInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let layout = layout(&input.project.config.docx);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for edition in &input.report.editions {
        let lang = edition.lang;
        let charts: Vec<ChartData> = input
            .report
            .charts_in(lang)
            .map(|c| chart(input.project, c))
            .collect();
        let doc = DocxInput {
            lang,
            markdown: &edition.markdown,
            charts: &charts,
            signature: signature(input, lang),
            layout: &layout,
            banner: input.data.status != crate::model::Status::Final,
        };
        match docx::build(&doc) {
            Ok(bytes) => out.push(OutputFile {
                name: format!("report.{}.docx", lang.code()),
                bytes: bytes.into(),
            }),
            Err(e) => errors.push(Diagnostic::error(format!(
                "cannot make report.{}.docx of {}: {e}",
                lang.code(),
                input.data.year
            ))),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// GB/T 9704 with the project's `[docx]` changes.
pub fn layout(config: &DocxConfig) -> Layout {
    let mut layout = Layout::default();
    for (role, font) in &config.fonts {
        let slot = match role.as_str() {
            "title" => &mut layout.fonts.title,
            "body" => &mut layout.fonts.body,
            "heading1" => &mut layout.fonts.hei,
            "heading2" => &mut layout.fonts.kai,
            "page_number" => &mut layout.fonts.song,
            _ => &mut layout.fonts.latin,
        };
        slot.clone_from(font);
    }
    for (role, half_points) in &config.sizes {
        let slot = match role.as_str() {
            "title" => &mut layout.sizes.title,
            "body" => &mut layout.sizes.body,
            "table" => &mut layout.sizes.table,
            _ => &mut layout.sizes.page_number,
        };
        *slot = *half_points;
    }
    for (side, mm) in &config.margins {
        let slot = match side.as_str() {
            "top" => &mut layout.margin_top_mm,
            "bottom" => &mut layout.margin_bottom_mm,
            "left" => &mut layout.margin_left_mm,
            _ => &mut layout.margin_right_mm,
        };
        *slot = *mm;
    }
    if let Some(n) = config.lines_per_page {
        layout.lines_per_page = n;
    }
    if let Some(n) = config.chars_per_line {
        layout.chars_per_line = n;
    }
    if let Some(grid) = config.char_grid {
        layout.char_grid = grid;
    }
    layout
}

/// The 落款, when the year's summary gives the report's date.
fn signature(input: &YearInput, lang: Lang) -> Option<Signature> {
    let date = input.data.summary.as_ref()?.date?;
    Some(Signature {
        organisation: crate::render::context::organisation(input.project, lang),
        date: format::date(date, lang),
    })
}

/// A chart as Word draws it: the displayed values (rounded once, as the labels of
/// the SVG and the tables), one series for a trend, one per part for a breakdown.
fn chart(project: &Project, c: &Chart) -> ChartData {
    let decimals = project
        .catalogue
        .metrics
        .get(&c.metric)
        .map_or(0, |m| m.decimals);
    let mode = project.config.rounding;
    let (kind, categories, series) = match &c.body {
        ChartBody::Trend { points } => {
            // Every year from the first to the last, a year without data a gap:
            // Word draws categories side by side, and would join 2022 to 2024 as
            // if 2023 lay between them with a value.
            let (first, last) = (
                c.years.first().copied().unwrap_or(0),
                c.years.last().copied().unwrap_or(-1),
            );
            let all: Vec<i32> = (first..=last).collect();
            let values = all
                .iter()
                .map(|y| {
                    let i = c.years.iter().position(|x| x == y)?;
                    let (v, _) = points.get(i)?.as_ref()?;
                    Some(v.to_fixed(decimals, mode))
                })
                .collect();
            (
                ChartKind::Line,
                all.iter().map(i32::to_string).collect(),
                vec![Series {
                    name: c.title.clone(),
                    values,
                }],
            )
        }
        ChartBody::Breakdown { parts, bars } => (
            ChartKind::StackedBar,
            bars.iter().map(|b| b.year.to_string()).collect(),
            parts
                .iter()
                .enumerate()
                .map(|(i, name)| Series {
                    name: name.clone(),
                    values: bars
                        .iter()
                        .map(|b| b.parts[i].as_ref().map(|v| v.to_exact_string()))
                        .collect(),
                })
                .collect(),
        ),
    };
    ChartData {
        file: c.file.clone(),
        kind,
        title: c.title.clone(),
        alt: c.alt.clone(),
        categories,
        series,
        decimals,
        unit: c.unit.clone(),
        axis: super::svg::axis_ticks(c),
        label_every: super::svg::label_every(c),
    }
}
