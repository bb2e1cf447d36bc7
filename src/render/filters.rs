//! nianbao's own Tera filters, registered in one place for the real engine and for
//! the probes that load each template alone.
//!
//! Tera hands a filter an *undefined* value when the last name of a path does not
//! exist (`{{ m.birth_rat | cell }}`), so that `default` can stand in for it; a filter
//! that turns any value into text then renders nothing, and the typo goes unseen.
//! Every filter here refuses an undefined input, and so do the replacements of Tera's
//! own `str` and `safe`: an undefined name is an error wherever it appears.

use tera::{Error, ErrorKind, Tera, TeraResult, Value};

use super::format;

/// The input of a filter as text, or Tera's own error for an argument of the wrong
/// type (which Tera places at the input) when it is undefined.
fn defined_text(value: &Value) -> TeraResult<String> {
    if value.is_undefined() {
        Err(Error::new(ErrorKind::InvalidArgument {
            expected_type: "a defined value".to_string(),
            actual_type: "undefined".to_string(),
        }))
    } else if let Some(text) = value.as_str() {
        // Most inputs are text already: Tera's Display would copy it twice.
        Ok(text.to_string())
    } else {
        Ok(format!("{value}"))
    }
}

/// Registers nianbao's filters, and strict versions of Tera's `str` and `safe`.
pub fn register(tera: &mut Tera) {
    // Tera's `range`, on a budget per render (see `bounded`).
    tera.register_function("range", super::bounded::range);
    tera.register_filter("cn_num", |n: i64, _: tera::Kwargs, _: &tera::State| {
        signed_chinese_numeral(n)
    });
    // A table cell: a `|` in a label must not split the cell.
    tera.register_filter("cell", |v: Value, _: tera::Kwargs, _: &tera::State| {
        defined_text(&v).map(|s| format::table_cell(&s))
    });
    tera.register_filter("numeral", |n: i64, _: tera::Kwargs, state: &tera::State| {
        let lang: Option<String> = state.get("lang").ok().flatten();
        match lang.as_deref() {
            Some("zh") => signed_chinese_numeral(n),
            _ => n.to_string(),
        }
    });
    // The number of a heading at a level of an official document: `一、` `（一）` `1.` `（1）`.
    tera.register_filter(
        "outline",
        |n: i64, kwargs: tera::Kwargs, state: &tera::State| {
            let level: i64 = kwargs.get("level")?.unwrap_or(1);
            let lang: Option<String> = state.get("lang").ok().flatten();
            let lang = crate::i18n::Lang::parse(lang.as_deref().unwrap_or("zh"))
                .unwrap_or(crate::i18n::Lang::Zh);
            TeraResult::Ok(format::outline(
                n.max(0) as u64,
                level.clamp(1, 4) as u8,
                lang,
            ))
        },
    );
    tera.register_filter("replace", replace);
    tera.register_filter("str", |v: Value, _: tera::Kwargs, _: &tera::State| {
        defined_text(&v)
    });
    tera.register_filter("safe", |v: Value, _: tera::Kwargs, _: &tera::State| {
        defined_text(&v).map(|s| Value::safe_string(&s))
    });
}

/// `n` as a Chinese numeral (see [`format::chinese_numeral`]), a negative number
/// after 负 (it was read as 零).
fn signed_chinese_numeral(n: i64) -> String {
    let read = format::chinese_numeral(n.unsigned_abs());
    if n < 0 { format!("负{read}") } else { read }
}

/// Tera's `replace`, refusing a result over [`super::bounded::MAX_RENDERED`]: a
/// chain of replacements can double a text at each step, and no output limit sees
/// a value while it is built (forty of them are a terabyte).
fn replace(val: tera::StringInput, kwargs: tera::Kwargs, state: &tera::State) -> TeraResult<Value> {
    let from = kwargs.must_get::<&str>("from")?;
    let to = kwargs.must_get::<tera::StringInput>("to")?;
    let be_safe = state.autoescaping_enabled() && (val.is_safe() || to.is_safe());
    let (text, to_text) = if be_safe {
        (
            val.rendered(state)?.to_string(),
            to.rendered(state)?.to_string(),
        )
    } else {
        (val.as_str().to_string(), to.as_str().to_string())
    };
    let times = if from.is_empty() {
        text.chars().count() + 1
    } else {
        text.matches(from).count()
    };
    let size =
        (text.len() - times * from.len()).saturating_add(times.saturating_mul(to_text.len()));
    if size > super::bounded::MAX_RENDERED {
        return Err(Error::message(format!(
            "`replace` would make a text of {size} bytes, over the 10 MiB a text may render to"
        )));
    }
    let out = text.replace(from, &to_text);
    Ok(if be_safe {
        Value::safe_string(&out)
    } else {
        Value::from(out)
    })
}

#[cfg(test)]
mod tests {
    /// `template` rendered by an engine with nianbao's filters, in `lang`.
    fn render(template: &str, lang: &str) -> String {
        let mut tera = tera::Tera::new();
        super::register(&mut tera);
        let mut context = tera::Context::new();
        context.insert("lang", lang);
        tera.render_str(template, &context, false)
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn chinese_numerals_go_past_ninety_nine() {
        assert_eq!(render("{{ 100 | cn_num }}", "en"), "一百");
        assert_eq!(render("{{ 110 | numeral }}", "zh"), "一百一十");
        assert_eq!(render("{{ 1005 | numeral }}", "zh"), "一千零五");
        assert_eq!(render("{{ 10000 | cn_num }}", "zh"), "一万");
        assert_eq!(render("{{ 10 | numeral }}", "zh"), "十");
        assert_eq!(render("{{ 110 | numeral }}", "en"), "110");
        assert_eq!(render("{{ -3 | cn_num }}", "zh"), "负三");
    }
}
