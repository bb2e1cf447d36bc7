//! Escaping text from the data for the formats it goes into, in one place: HTML (and
//! SVG), with the escaper Tera's own autoescape uses.

/// Escapes text for HTML content or a quoted attribute (`& < > " '`).
pub fn html(text: &str) -> String {
    let mut buf = Vec::with_capacity(text.len() + 16);
    // Writing into a Vec cannot fail, and escaping keeps UTF-8 valid.
    let _ = tera::escape_html(text, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}
