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
    // Tera's `group_by` gathers the groups in a hash map with a random seed.
    tera.register_filter("group_by", group_by);
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

/// Tera's `group_by`, with the groups in the order their keys first appear: Tera
/// 2.4 collects them in a randomly seeded hash map, so a loop over the groups came
/// out in another order on each build. Same arguments, keys and errors as Tera's:
/// `attribute` is a dotted path into each item, an item whose value there is `none`
/// is left out, and one without that attribute is an error.
fn group_by(val: &[Value], kwargs: tera::Kwargs, _: &tera::State) -> TeraResult<tera::Map> {
    let attribute = kwargs.must_get::<&str>("attribute")?;
    let mut grouped: indexmap::IndexMap<tera::value::Key<'static>, Vec<Value>> =
        indexmap::IndexMap::new();
    for (i, v) in val.iter().enumerate() {
        match v.get_from_path(attribute) {
            None => {
                return Err(Error::message(format!(
                    "Value at index {i} (a {}) does not have an attribute at path: {attribute}",
                    v.name()
                )));
            }
            Some(x) if x.is_none() => {}
            Some(x) => grouped.entry(key_of(x)?).or_default().push(v.clone()),
        }
    }
    Ok(grouped.into_iter().map(|(k, v)| (k, v.into())).collect())
}

/// A value as the key of a map, as Tera makes one: a bool, an integer or a string.
fn key_of(value: &Value) -> TeraResult<tera::value::Key<'static>> {
    use tera::value::Key;
    if let Some(b) = value.as_bool() {
        Ok(Key::Bool(b))
    } else if let Some(s) = value.as_str() {
        Ok(Key::String(std::sync::Arc::from(s)))
    } else if value.is_u64() {
        value.as_u64().map(Key::U64).ok_or_else(not_a_key)
    } else if value.is_i64() {
        value.as_i64().map(Key::I64).ok_or_else(not_a_key)
    } else if value.is_u128() {
        value.as_u128().map(Key::U128).ok_or_else(not_a_key)
    } else if value.is_i128() {
        value.as_i128().map(Key::I128).ok_or_else(not_a_key)
    } else {
        Err(not_a_key())
    }
}

fn not_a_key() -> Error {
    Error::message("Not a valid key type".to_string())
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

    #[test]
    fn group_by_keeps_the_order_in_which_keys_first_appear() {
        // Twenty keys: a hash map's order would differ from this one, and between runs.
        let keys: Vec<String> = (0..20).map(|i| format!("k{}", (i * 7) % 20)).collect();
        let items: Vec<tera::Value> = keys
            .iter()
            .chain(keys.iter().take(5))
            .enumerate()
            .map(|(i, k)| {
                let mut m = tera::Map::new();
                m.insert("kind".into(), tera::Value::from(k.as_str()));
                m.insert("i".into(), tera::Value::from(i));
                tera::Value::from(m)
            })
            .collect();
        let mut tera = tera::Tera::new();
        super::register(&mut tera);
        let mut context = tera::Context::new();
        context.insert("items", &items);
        let template = "{% for k, v in items | group_by(attribute=\"kind\") %}{{ k }}:{% for x in v %}{{ x.i }},{% endfor %} {% endfor %}";
        let out = tera
            .render_str(template, &context, false)
            .unwrap_or_default();
        let expected: String = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                if i < 5 {
                    format!("{k}:{i},{},", i + 20)
                } else {
                    format!("{k}:{i},")
                }
            })
            .map(|g| g + " ")
            .collect();
        assert_eq!(out, expected);
        // Integers, bools and `none` as Tera has them.
        let mut context = tera::Context::new();
        context.insert(
            "items",
            &serde_json::json!([{"n": 2}, {"n": null}, {"n": 1}, {"n": 2}, {"n": true}]),
        );
        let out = tera
            .render_str(
                "{% for k, v in items | group_by(attribute=\"n\") %}{{ k }}={{ v | length }} {% endfor %}",
                &context,
                false,
            )
            .unwrap_or_default();
        assert_eq!(out, "2=2 1=1 true=1 ");
        let err = tera.render_str("{{ items | group_by(attribute=\"m\") }}", &context, false);
        assert!(format!("{:?}", err.err()).contains("does not have an attribute at path: m"));
    }
}
