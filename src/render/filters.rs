//! nianbao's own Tera filters, registered in one place for the real engine and for
//! the probes that load each template alone.

use tera::Tera;

use super::format;

/// Registers nianbao's filters.
pub fn register(tera: &mut Tera) {
    // Tera's `range`, on a budget per render (see `bounded`).
    tera.register_function("range", super::bounded::range);
    tera.register_filter("cn_num", |n: i64, _: tera::Kwargs, _: &tera::State| {
        format::chinese_numeral(n.max(0) as u64)
    });
    // A table cell: a `|` in a label must not split the cell.
    tera.register_filter("cell", |s: String, _: tera::Kwargs, _: &tera::State| {
        format::table_cell(&s)
    });
    tera.register_filter("numeral", |n: i64, _: tera::Kwargs, state: &tera::State| {
        let lang: Option<String> = state.get("lang").ok().flatten();
        match lang.as_deref() {
            Some("zh") => format::chinese_numeral(n.max(0) as u64),
            _ => n.to_string(),
        }
    });
}
