//! Tests of the TOML reader: string positions and the characters no report can show.

use super::{positions, string_offsets, unshowable};

#[test]
fn what_no_report_can_show() {
    for c in [
        '\u{0}', '\u{1}', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
    ] {
        assert!(unshowable(c), "{c:?}");
    }
    for c in [
        '\u{fdd0}',
        '\u{fdef}',
        '\u{fffe}',
        '\u{ffff}',
        '\u{1fffe}',
        '\u{10ffff}',
    ] {
        assert!(unshowable(c), "{c:?}");
    }
    for c in [
        '\t', '\n', '\r', ' ', 'a', '‰', '人', '\u{a0}', '\u{fdcf}', '\u{fffd}', '\u{200b}',
    ] {
        assert!(!unshowable(c), "{c:?}");
    }
}

/// The file text of value bytes `inner` of the one string in `file`.
fn mapped<'a>(file: &'a str, inner: &str) -> &'a str {
    let (table, errors) = toml::de::DeTable::parse_recoverable(file);
    assert!(errors.is_empty(), "{errors:?}");
    let (_, v) = table.get_ref().iter().next().unwrap();
    let toml::de::DeValue::String(value) = v.get_ref() else {
        panic!("not a string")
    };
    let raw = &file[v.span()];
    let offsets = string_offsets(raw, v.span().start, value).expect("offsets");
    let at = value.find(inner).unwrap();
    let (start, end) = (offsets[at].0, offsets[at + inner.len() - 1].1);
    // The cheap form, where it applies, says the same.
    let cheap = positions(raw, v.span().start, value).expect("positions");
    for (i, range) in offsets.iter().enumerate() {
        assert_eq!(cheap.get(i), Some(*range), "byte {i} of {value:?}");
    }
    // Runs made while decoding are the runs of the table, exactly.
    if matches!(cheap, crate::model::Positions::Runs(_)) {
        assert_eq!(Some(cheap), crate::model::Positions::from_table(&offsets));
    }
    &file[start..end]
}

#[test]
fn spans_map_through_escapes_and_line_continuations() {
    assert_eq!(mapped("a = \"x {{ y }}\"", "y"), "y");
    assert_eq!(mapped("a = \"q\\\"{{ y }}\\u00e9 z\"", "z"), "z");
    assert_eq!(mapped("a = \"q\\\"{{ y }}\\u00e9 z\"", "é"), "\\u00e9");
    assert_eq!(mapped("a = 'x\\n {{ y }}'", "y"), "y");
    let file =
        "a = \"\"\"\\\n  第一行，\\\n  第二行{{ m.people | nosuch }}，\\\n  第三行。\\\n\"\"\"";
    let at = mapped(file, "nosuch");
    assert_eq!(at, "nosuch");
    // The span lands on the third line of the file, where `nosuch` is written.
    let start = at.as_ptr() as usize - file.as_ptr() as usize;
    assert_eq!(file[..start].matches('\n').count(), 2);
    assert_eq!(mapped("a = '''\nlit {{ x }}'''", "x"), "x");
    assert_eq!(mapped("a = \"\"\"\r\nline {{ x }}\"\"\"", "x"), "x");
    let file = "a = \"\\U0001F600\\\\\\t{{ y }}\\\"\"";
    assert_eq!(mapped(file, "😀"), "\\U0001F600");
    assert_eq!(mapped(file, "\t"), "\\t");
    assert_eq!(mapped(file, "y"), "y");
    assert_eq!(mapped(file, "\""), "\\\"");
}

/// Issue 12: each Chinese character was a run of its own (16 bytes of
/// positions for 3 of text, a third of `build --all`'s heap at 400 years).
#[test]
fn text_written_as_is_is_one_run_a_line_whatever_its_script() {
    let file = "a = \"\"\"\\\n  第一行，中文。\\\n  第二行{{ x }}，\\\n  第三行。\\\n\"\"\"";
    let (table, errors) = toml::de::DeTable::parse_recoverable(file);
    assert!(errors.is_empty(), "{errors:?}");
    let (_, v) = table.get_ref().iter().next().unwrap();
    let toml::de::DeValue::String(value) = v.get_ref() else {
        panic!("not a string")
    };
    assert_eq!(value.as_ref(), "第一行，中文。第二行{{ x }}，第三行。");
    match positions(&file[v.span()], v.span().start, value).unwrap() {
        super::Positions::Runs(runs) => assert_eq!(runs.len(), 3, "{runs:?}"),
        other => panic!("a string with line continuations needs runs: {other:?}"),
    }
    assert_eq!(mapped(file, "中文"), "中文");
    assert_eq!(mapped(file, "{{ x }}"), "{{ x }}");
}

/// A range that cuts a character maps to the whole character in the file, so a
/// diagnostic never points between the bytes of one.
#[test]
fn a_range_inside_a_character_maps_to_the_whole_character() {
    use crate::diag::{FileId, Loc};
    use crate::model::LocStr;
    let file = "a = \"\"\"\\\n  第一行\\\n  第二行\\\n\"\"\"";
    let (table, _) = toml::de::DeTable::parse_recoverable(file);
    let (_, v) = table.get_ref().iter().next().unwrap();
    let toml::de::DeValue::String(value) = v.get_ref() else {
        panic!("not a string")
    };
    let s = LocStr {
        text: value.to_string(),
        loc: Loc {
            file: FileId(0),
            span: v.span(),
        },
        offsets: positions(&file[v.span()], v.span().start, value),
    };
    let at = s.text.find("二").unwrap();
    let span = s.map(&(at + 1..at + 2)).span;
    assert_eq!(&file[span], "二");
}

#[test]
fn a_string_written_as_is_costs_no_table() {
    let file = "a = '''\nlit {{ x }}'''\nb = \"plain {{ y }}\"\nc = \"esc\\t{{ z }}\"";
    let (table, _) = toml::de::DeTable::parse_recoverable(file);
    let kinds: Vec<bool> = table
        .get_ref()
        .iter()
        .map(|(_, v)| {
            let toml::de::DeValue::String(value) = v.get_ref() else {
                panic!("not a string")
            };
            let p = positions(&file[v.span()], v.span().start, value).unwrap();
            matches!(p, super::Positions::From(_))
        })
        .collect();
    assert_eq!(kinds, [true, true, false]);
}

/// Found by an audit: a key nested past the parser's limit was reported at 1:1
/// (a comment); it is reported at the key.
#[test]
fn a_key_nested_too_deep_is_reported_at_the_key() {
    let key = vec!["a"; 90].join(".");
    let src =
        format!("# figures\n[period]\nx = 1.5 # a.b.c.d\n\n[deep]\n{key} = 1\ny = \"a.b.c\"\n");
    let mut diags = crate::diag::Diagnostics::default();
    let mut r = super::Reader::new(crate::diag::FileId(0), &src, &mut diags);
    assert!(r.parse().is_none());
    let d = &diags.items[0];
    assert!(d.message.contains("recursion limit"), "{}", d.message);
    let span = d.primary.as_ref().map(|(loc, _)| loc.span.clone()).unwrap();
    assert_eq!(&src[span], key);
}
