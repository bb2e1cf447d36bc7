//! A plotters drawing backend that writes SVG text: the elements plotters' own
//! `SVGBackend` writes (with [`Attrs::AsPlotters`], its very bytes), written
//! straight into the buffer.
//!
//! plotters' backend formats every colour, opacity and coordinate with `format!`
//! into a fresh `String` and escapes every attribute character by character (the
//! 150-character font list of each label included); that was 85 % of the time a
//! chart took and 14 % of a `build --all`. Here colours are looked up, integers
//! written with `itoa`, the font size formatted once per size, and text escaped a
//! run at a time. The tests draw every kind of chart with both backends and
//! compare the bytes.
//!
//! [`Attrs::Lean`] leaves out what a reader never sees and plotters writes on
//! every element: `opacity="1"` (the default), and the 150-character font list
//! of each label, which is written once on the `<svg>` element and inherited.
//! That is half of a chart's bytes, and a chart is inlined in `report.html` too.

use std::io::Error;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle, FontTransform,
};

/// Which attributes are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Attrs {
    /// Every attribute plotters' own backend writes, in its order.
    #[cfg_attr(not(test), allow(dead_code))]
    AsPlotters,
    /// No `opacity="1"`; `font_family` set on the `<svg>` element and left out
    /// of each text in that family.
    Lean { font_family: &'static str },
}

/// Draws into `buf`: the `<svg>` element is opened, labelled for
/// assistive technology, when the writer is made, and closed by `present` (or when
/// the writer is dropped).
pub struct SvgWriter<'a> {
    buf: &'a mut String,
    size: (u32, u32),
    attrs: Attrs,
    /// Open elements, innermost last.
    open: Vec<&'static str>,
    /// Each font size met, as written (`size / 1.24`, as plotters writes it).
    font_sizes: Vec<(u64, String)>,
    presented: bool,
}

impl<'a> SvgWriter<'a> {
    /// `escaped_label` is already escaped for an attribute: only what XML cannot
    /// hold is dropped from it.
    pub fn new(buf: &'a mut String, size: (u32, u32), escaped_label: &str, attrs: Attrs) -> Self {
        buf.reserve(12 * 1024);
        buf.push_str("<svg role=\"img\" aria-label=\"");
        // Already escaped: only what XML cannot hold is left to drop.
        push_xml(buf, escaped_label, false);
        buf.push_str("\" width=\"");
        int(buf, size.0);
        buf.push_str("\" height=\"");
        int(buf, size.1);
        buf.push_str("\" viewBox=\"0 0 ");
        int(buf, size.0);
        buf.push(' ');
        int(buf, size.1);
        buf.push_str("\" xmlns=\"http://www.w3.org/2000/svg\"");
        if let Attrs::Lean { font_family } = attrs {
            buf.push_str(" font-family=\"");
            escape_into(buf, font_family);
            buf.push('"');
        }
        buf.push_str(">\n");
        SvgWriter {
            buf,
            size,
            attrs,
            open: vec!["svg"],
            font_sizes: Vec::new(),
            presented: false,
        }
    }

    fn start(&mut self, tag: &'static str) {
        self.buf.push('<');
        self.buf.push_str(tag);
    }

    /// ` key="` … the value is written by the caller … `"`.
    fn key(&mut self, key: &str) {
        self.buf.push(' ');
        self.buf.push_str(key);
        self.buf.push_str("=\"");
    }

    fn attr(&mut self, key: &str, value: &str) {
        self.key(key);
        escape_into(self.buf, value);
        self.buf.push('"');
    }

    fn attr_int(&mut self, key: &str, value: impl itoa::Integer) {
        self.key(key);
        int(self.buf, value);
        self.buf.push('"');
    }

    fn attr_colour(&mut self, key: &str, colour: BackendColor) {
        self.key(key);
        colour_into(self.buf, colour);
        self.buf.push('"');
    }

    /// `fill` and `stroke`, in that order: the shape filled with `colour`, or
    /// outlined with it.
    fn attr_fill_or_stroke(&mut self, colour: BackendColor, fill: bool) {
        if fill {
            self.attr_colour("fill", colour);
            self.attr("stroke", "none");
        } else {
            self.attr("fill", "none");
            self.attr_colour("stroke", colour);
        }
    }

    fn attr_opacity(&mut self, colour: BackendColor) {
        if colour.alpha == 1.0 && self.attrs != Attrs::AsPlotters {
            return;
        }
        self.key("opacity");
        if colour.alpha == 1.0 {
            self.buf.push('1');
        } else {
            use std::fmt::Write as _;
            let _ = write!(self.buf, "{}", colour.alpha);
        }
        self.buf.push('"');
    }

    fn attr_points(&mut self, points: impl IntoIterator<Item = BackendCoord>) {
        self.key("points");
        for (x, y) in points {
            int(self.buf, x);
            self.buf.push(',');
            int(self.buf, y);
            self.buf.push(' ');
        }
        self.buf.push('"');
    }

    fn end_empty(&mut self) {
        self.buf.push_str("/>\n");
    }

    fn font_size(&mut self, size: f64) -> usize {
        let bits = size.to_bits();
        if let Some(i) = self.font_sizes.iter().position(|(b, _)| *b == bits) {
            return i;
        }
        self.font_sizes.push((bits, format!("{}", size / 1.24)));
        self.font_sizes.len() - 1
    }
}

fn int(buf: &mut String, n: impl itoa::Integer) {
    buf.push_str(itoa::Buffer::new().format(n));
}

/// `#RRGGBB`, upper-case, as plotters writes it.
fn colour_into(buf: &mut String, colour: BackendColor) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let (r, g, b) = colour.rgb;
    buf.push('#');
    for byte in [r, g, b] {
        buf.push(char::from(HEX[usize::from(byte >> 4)]));
        buf.push(char::from(HEX[usize::from(byte & 15)]));
    }
}

/// plotters' escaping of attribute values and text, `< > & " '`, and what
/// plotters leaves in and XML 1.0 cannot hold at all dropped (C0 controls other
/// than tab, line feed and carriage return; U+FFFE, U+FFFF), so that a label
/// with such a character still gives a chart a browser can open.
fn escape_into(buf: &mut String, text: &str) {
    push_xml(buf, text, true);
}

/// `text` without what XML cannot hold, and escaped when `escape`.
fn push_xml(buf: &mut String, text: &str, escape: bool) {
    let bytes = text.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (entity, width) = match b {
            b'<' if escape => ("&lt;", 1),
            b'>' if escape => ("&gt;", 1),
            b'&' if escape => ("&amp;", 1),
            b'"' if escape => ("&quot;", 1),
            b'\'' if escape => ("&apos;", 1),
            _ => match crate::escape::xml_disallowed_at(bytes, i) {
                0 => {
                    i += 1;
                    continue;
                }
                width => ("", width),
            },
        };
        buf.push_str(&text[from..i]);
        buf.push_str(entity);
        i += width;
        from = i;
    }
    buf.push_str(&text[from..]);
}

impl DrawingBackend for SvgWriter<'_> {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        if !self.presented {
            while let Some(tag) = self.open.pop() {
                self.buf.push_str("</");
                self.buf.push_str(tag);
                self.buf.push_str(">\n");
            }
            self.presented = true;
        }
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Error>> {
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.start("rect");
        self.attr_int("x", point.0);
        self.attr_int("y", point.1);
        self.attr("width", "1");
        self.attr("height", "1");
        self.attr("stroke", "none");
        self.attr_opacity(color);
        self.attr_colour("fill", color);
        self.end_empty();
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        self.start("line");
        self.attr_opacity(colour);
        self.attr_colour("stroke", colour);
        self.attr_int("stroke-width", style.stroke_width());
        self.attr_int("x1", from.0);
        self.attr_int("y1", from.1);
        self.attr_int("x2", to.0);
        self.attr_int("y2", to.1);
        self.end_empty();
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        self.start("rect");
        self.attr_int("x", upper_left.0);
        self.attr_int("y", upper_left.1);
        self.attr_int("width", bottom_right.0 - upper_left.0);
        self.attr_int("height", bottom_right.1 - upper_left.1);
        self.attr_opacity(colour);
        self.attr_fill_or_stroke(colour, fill);
        self.end_empty();
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        self.start("polyline");
        self.attr("fill", "none");
        self.attr_opacity(colour);
        self.attr_colour("stroke", colour);
        self.attr_int("stroke-width", style.stroke_width());
        self.attr_points(path);
        self.end_empty();
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        self.start("polygon");
        self.attr_opacity(colour);
        self.attr_colour("fill", colour);
        self.attr_points(path);
        self.end_empty();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        self.start("circle");
        self.attr_int("cx", center.0);
        self.attr_int("cy", center.1);
        self.attr_int("r", radius);
        self.attr_opacity(colour);
        self.attr_fill_or_stroke(colour, fill);
        self.attr_int("stroke-width", style.stroke_width());
        self.end_empty();
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        let anchor = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "middle",
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => "0.76em",
            VPos::Center => "0.5ex",
            VPos::Bottom => "-0.5ex",
        };
        let size = self.font_size(style.size());
        self.start("text");
        self.attr_int("x", pos.0);
        self.attr_int("y", pos.1);
        self.attr("dy", dy);
        self.attr("text-anchor", anchor);
        let family = style.family();
        if !matches!(self.attrs, Attrs::Lean { font_family } if font_family == family.as_str()) {
            self.attr("font-family", family.as_str());
        }
        self.key("font-size");
        self.buf.push_str(&self.font_sizes[size].1);
        self.buf.push('"');
        self.attr_opacity(colour);
        self.attr_colour("fill", colour);
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => self.attr("font-weight", "bold"),
            other => self.attr("font-style", other.as_str()),
        }
        let degrees = match style.transform() {
            FontTransform::Rotate90 => Some("rotate(90, "),
            FontTransform::Rotate180 => Some("rotate(180, "),
            FontTransform::Rotate270 => Some("rotate(270, "),
            _ => None,
        };
        if let Some(rotate) = degrees {
            self.key("transform");
            self.buf.push_str(rotate);
            int(self.buf, pos.0);
            self.buf.push_str(", ");
            int(self.buf, pos.1);
            self.buf.push_str(")\"");
        }
        self.buf.push_str(">\n");
        escape_into(self.buf, text);
        self.buf.push_str("\n</text>\n");
        Ok(())
    }
}

impl Drop for SvgWriter<'_> {
    fn drop(&mut self) {
        let _ = self.present();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_what_xml_cannot_hold_is_dropped() {
        let mut out = String::new();
        escape_into(
            &mut out,
            "a\u{1}<b> & \"c\" 'd'\u{FFFF}\u{FFFE}\u{FFFD}\te\n",
        );
        assert_eq!(
            out,
            "a&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;\u{FFFD}\te\n"
        );
        let mut label = String::new();
        push_xml(&mut label, "x &amp; y\u{0}", false);
        assert_eq!(label, "x &amp; y");
    }
}
