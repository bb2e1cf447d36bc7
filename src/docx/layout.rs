//! The page, fonts and sizes of the document, and the measures derived from
//! them: GB/T 9704-2012 (党政机关公文格式) by default.
//!
//! Everything Word needs in its own units (twips, half-points, EMU, the
//! document grid's character spacing) is computed here from the few numbers
//! the standard gives, so that a change of margin or of lines per page moves
//! every dependent measure with it.

/// Page, fonts and sizes. [`Layout::default`] is GB/T 9704-2012: A4, margins
/// 37/35/28/26 mm, 22 lines of 28 characters, 三号 仿宋_GB2312 body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Page width in mm (A4: 210).
    pub page_width_mm: u32,
    /// Page height in mm (A4: 297).
    pub page_height_mm: u32,
    /// Top margin (天头) in mm: 37.
    pub margin_top_mm: u32,
    /// Bottom margin in mm: 35.
    pub margin_bottom_mm: u32,
    /// Left margin (订口) in mm: 28.
    pub margin_left_mm: u32,
    /// Right margin in mm: 26.
    pub margin_right_mm: u32,
    /// Distance from the bottom edge of the page to the page number's line, in mm:
    /// 22, which puts the number about 7 mm under the text block (GB/T 9704 7.5).
    pub footer_mm: u32,
    /// Lines of body text on a page: 22.
    pub lines_per_page: u32,
    /// Characters of body text on a line: 28.
    pub chars_per_line: u32,
    /// Whether the document grid also fixes the characters of a line
    /// (`w:docGrid w:type="linesAndChars"` with `w:charSpace`), as Word's
    /// 公文 templates do. 28 characters of 三号 (448 pt) are wider than the
    /// 156 mm line (442 pt), and Word and WPS squeeze them onto the character
    /// grid, but LibreOffice then gives every character two cells (14 a line).
    /// So the default (`false`) is a line grid with the body's characters
    /// condensed by the difference (−0.25 pt), which gives 28 a line in Word,
    /// WPS and LibreOffice alike.
    pub char_grid: bool,
    /// Height of a chart, in lines of the grid (8 lines ≈ 82 mm), so that the
    /// text after a chart stays on the grid.
    pub chart_lines: u32,
    /// The fonts.
    pub fonts: Fonts,
    /// The sizes, in half-points as Word counts them (三号 16 pt = 32).
    pub sizes: Sizes,
}

/// Font names as Word and WPS on Chinese Windows know them. The Chinese
/// document uses them for East Asian text; every Latin letter and digit is in
/// [`Fonts::latin`]. The English document uses [`Fonts::latin`] throughout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fonts {
    /// The title: 方正小标宋简体.
    pub title: String,
    /// Body text and headings of levels 3 and 4: 仿宋_GB2312.
    pub body: String,
    /// Level 1 headings, the banner's label, bold text: 黑体.
    pub hei: String,
    /// Level 2 headings, the subtitle, italic text: 楷体_GB2312.
    pub kai: String,
    /// Page numbers: 宋体.
    pub song: String,
    /// Latin letters and digits everywhere: Times New Roman.
    pub latin: String,
}

/// Font sizes in half-points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// The title: 二号, 22 pt = 44.
    pub title: u32,
    /// Body, subtitle, banner, headings, 落款: 三号, 16 pt = 32.
    pub body: u32,
    /// Table cells: 四号, 14 pt = 28.
    pub table: u32,
    /// Page numbers: 四号, 14 pt = 28.
    pub page_number: u32,
    /// Chart title: 四号 = 28.
    pub chart_title: u32,
    /// Chart labels, axes and legend: 小四, 12 pt = 24.
    pub chart_text: u32,
    /// Footnotes: 四号 = 28. GB/T 9704 has none; a size below the body's, as
    /// its tables and page numbers have.
    pub footnote: u32,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            page_width_mm: 210,
            page_height_mm: 297,
            margin_top_mm: 37,
            margin_bottom_mm: 35,
            margin_left_mm: 28,
            margin_right_mm: 26,
            footer_mm: 22,
            lines_per_page: 22,
            chars_per_line: 28,
            char_grid: false,
            chart_lines: 8,
            fonts: Fonts::default(),
            sizes: Sizes::default(),
        }
    }
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts {
            title: "方正小标宋简体".into(),
            body: "仿宋_GB2312".into(),
            hei: "黑体".into(),
            kai: "楷体_GB2312".into(),
            song: "宋体".into(),
            latin: "Times New Roman".into(),
        }
    }
}

impl Default for Sizes {
    fn default() -> Self {
        Sizes {
            title: 44,
            body: 32,
            table: 28,
            page_number: 28,
            chart_title: 28,
            chart_text: 24,
            footnote: 28,
        }
    }
}

/// Millimetres to twips (1/1440 inch), rounded to the nearest.
pub(crate) fn twips(mm: u32) -> i64 {
    (i64::from(mm) * 14_400 + 127) / 254
}

/// Twips to EMU (1/914400 inch), the unit of DrawingML.
pub(crate) fn emu(twips: i64) -> i64 {
    twips * 635
}

/// The measures Word needs, derived from a [`Layout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Measures {
    pub page_w: i64,
    pub page_h: i64,
    pub top: i64,
    pub bottom: i64,
    pub left: i64,
    pub right: i64,
    pub footer: i64,
    /// Width of the text block in twips (156 mm: 8845).
    pub text_w: i64,
    /// The grid's line pitch in twips: text height / lines, rounded down so that
    /// the last line fits (225 mm / 22 = 579 twips ≈ 28.95 pt).
    pub line_pitch: i64,
    /// `w:docGrid/@w:charSpace`: the character pitch minus the body font size,
    /// in 1/4096 pt, rounded down so that `chars_per_line` characters fit.
    pub char_space: i64,
    /// Character spacing of body text (`w:spacing` in a run, twips) that puts
    /// `chars_per_line` characters on a line without a character grid: −5.
    pub char_spacing: i64,
}

impl Layout {
    pub(crate) fn measures(&self) -> Measures {
        let page_w = twips(self.page_width_mm);
        let page_h = twips(self.page_height_mm);
        let (top, bottom) = (twips(self.margin_top_mm), twips(self.margin_bottom_mm));
        let (left, right) = (twips(self.margin_left_mm), twips(self.margin_right_mm));
        let text_w = (page_w - left - right).max(1);
        let text_h = (page_h - top - bottom).max(1);
        let lines = i64::from(self.lines_per_page.max(1));
        let chars = i64::from(self.chars_per_line.max(1));
        // pitch (pt) = text_w / 20 / chars; char_space = (pitch - body pt) × 4096.
        let body_twips = i64::from(self.sizes.body) * 10;
        let char_space = (4096 * (text_w - body_twips * chars)).div_euclid(20 * chars);
        Measures {
            page_w,
            page_h,
            top,
            bottom,
            left,
            right,
            footer: twips(self.footer_mm),
            text_w,
            line_pitch: (text_h / lines).max(1),
            char_space,
            char_spacing: (text_w - body_twips * chars).div_euclid(chars),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb_t_9704_measures() {
        let m = Layout::default().measures();
        assert_eq!((m.page_w, m.page_h), (11906, 16838));
        assert_eq!((m.top, m.bottom, m.left, m.right), (2098, 1984, 1587, 1474));
        assert_eq!(m.text_w, 8845);
        assert_eq!(m.line_pitch, 579);
        assert_eq!(m.char_space, -842);
        assert_eq!(m.char_spacing, -5);
        // 28 characters at the grid's pitch fit the line, 29 do not.
        let pitch = 16.0 + m.char_space as f64 / 4096.0;
        let width = m.text_w as f64 / 20.0;
        assert!(28.0 * pitch <= width && 29.0 * pitch > width);
        let condensed = 16.0 + m.char_spacing as f64 / 20.0;
        assert!(28.0 * condensed <= width && 29.0 * condensed > width);
    }

    #[test]
    fn a_degenerate_layout_does_not_divide_by_zero() {
        let l = Layout {
            lines_per_page: 0,
            chars_per_line: 0,
            margin_left_mm: 300,
            ..Layout::default()
        };
        let m = l.measures();
        assert!(m.line_pitch >= 1 && m.text_w >= 1);
    }
}
