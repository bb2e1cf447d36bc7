use super::{Unknown, unknown};

fn ctx() -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("year", &2006);
    ctx.insert("targets_all_met", &false);
    ctx.insert("m", &serde_json::json!({"pct": "70%", "births": "1335人"}));
    ctx.insert(
        "metric",
        &serde_json::json!({"pct": {"label": "率"}, "births": {"label": "出生"}}),
    );
    ctx.insert("target", &serde_json::json!({"pct": {"met": true}}));
    ctx.insert("targets_unmet", &Vec::<String>::new());
    ctx.insert("f", &serde_json::json!({"c": {"part": "7"}}));
    ctx.insert("source", &serde_json::json!({}));
    ctx.insert("title", &"年报");
    ctx
}

fn read_templates(templates: &[(&str, &str)]) -> Vec<(String, Vec<super::NamePath>)> {
    super::Templates::read(templates).paths()
}

fn names(src: &str) -> Vec<String> {
    unknown(src, &ctx()).into_iter().map(|u| u.path).collect()
}

#[test]
fn a_name_the_context_lacks_is_found_wherever_it_is() {
    let src = "A{% if targets_all_mett %}x{% else %}{{ m.pctt }}{% endif %}B";
    assert_eq!(
        unknown(src, &ctx()),
        [
            Unknown {
                path: "targets_all_mett".into(),
                span: 7..23,
                siblings: Vec::new(),
            },
            Unknown {
                path: "m.pctt".into(),
                span: 40..46,
                siblings: vec!["pct".into(), "births".into()],
            },
        ]
    );
    assert_eq!(names("{{ m.pct ~ m.pctt }}"), ["m.pctt"]);
    assert_eq!(names("{{ m.pctt | default(value='x') }}"), ["m.pctt"]);
    assert_eq!(names("{% if m.x is defined %}{% endif %}"), ["m.x"]);
    assert_eq!(
        names("{% for t in targets_unmett %}{{ t.lable }}{% endfor %}"),
        ["targets_unmett"]
    );
    assert_eq!(names("{{ f.c.prt }}和{{ f.d }}"), ["f.c.prt", "f.d"]);
    assert_eq!(names("{%- if titel -%}{%- endif -%}"), ["titel"]);
}

/// A misspelt field of a loop variable was passed over (the loop variable
/// was bound, so never looked at), and rendered as nothing in a year whose
/// list was empty: found by two audits.
#[test]
fn a_loop_variables_fields_are_looked_up_in_the_lists_items() {
    use super::{read_paths, unknown_among};
    let mut ctx = ctx();
    ctx.insert("plan", &serde_json::Value::Null);
    let shapes = tera::Value::from_serializable(&serde_json::json!({
        "targets_unmet": [{"label": "", "met": null}],
        "plan": {"guiding_principle": "", "items": [{"title": "", "points": [""]}]},
    }));
    let names = |src: &str| -> Vec<String> {
        unknown_among(&read_paths(src), &ctx, Some(&shapes))
            .into_iter()
            .map(|u| u.path)
            .collect()
    };
    // An empty list this year: its items' shape decides.
    assert_eq!(
        names("{% for t in targets_unmet %}{{ t.lable }}{{ t.label }}{% endfor %}"),
        ["t.lable"]
    );
    // No plan this year, nested loops, a filter that keeps the items.
    assert_eq!(
        names(
            "{{ plan.guiding_principl }}{% for i in plan.items | sort(attribute='title') %}\
             {{ i.titel }}{% for p in i.points %}{{ p }}{% endfor %}{% endfor %}"
        ),
        ["plan.guiding_principl", "i.titel"]
    );
    // A map's values, and a list that is there: its first item.
    assert_eq!(
        names("{% for k, v in metric %}{{ k }}{{ v.label }}{{ v.lable }}{% endfor %}"),
        ["v.lable"]
    );
    // What the loop runs over is not a path: nothing to say of its items.
    assert!(names("{% for x in range(end=3) %}{{ x.y }}{% endfor %}").is_empty());
    assert!(names("{% for x in metric | items %}{{ x.y }}{% endfor %}").is_empty());
    // A loop variable is the loop's from `for` to `endfor` only: before and
    // after it, `m` is the context's again (an audit found it shadowed
    // throughout the text).
    assert_eq!(
        names(
            "{{ m.pct }}{% for m in targets_unmet %}{{ m.label }}{% endfor %}{{ m.births }}{{ m.pctt }}"
        ),
        ["m.pctt"]
    );
    assert_eq!(
        names("{% set t = 1 %}{% for t in targets_unmet %}{{ t.q }}{% endfor %}{{ t.q }}"),
        ["t.q"]
    );
}

/// Tera shares the includer's loop and `set` variables with the template it
/// includes; the check called them undefined (found by an audit).
#[test]
fn an_included_template_sees_the_names_bound_where_it_is_included() {
    use super::unknown_among;
    let ctx = ctx();
    let read = read_templates(&[
        (
            "a.md",
            "{% for t in targets_unmet %}{% set shared = 1 %}{% include \"b.md\" %}{% endfor %}",
        ),
        ("b.md", "{{ t.label }}{{ t.lable }}{{ shared }}"),
        (
            "c.md",
            "{% set shared = 1 %}{% for t in targets_unmet %}{% include \"b.md\" %}{% endfor %}",
        ),
        ("d.md", "{{ t.label }}"),
        (
            "e.md",
            "{% for t in targets_unmet %}{% endfor %}{% include \"f.md\" %}",
        ),
        ("f.md", "{{ t.label }}"),
    ]);
    let shapes = tera::Value::from_serializable(&serde_json::json!({
        "targets_unmet": [{"label": ""}],
    }));
    let found = |name: &str| -> Vec<String> {
        let mut all: Vec<String> = read
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, paths)| unknown_among(paths, &ctx, Some(&shapes)))
            .map(|u| u.path)
            .collect();
        all.dedup();
        all
    };
    assert_eq!(found("b.md"), ["t.lable"]);
    assert!(found("a.md").is_empty() && found("c.md").is_empty());
    // Not included, or included where the loop has ended: `t` is no name.
    assert_eq!(found("d.md"), ["t"]);
    assert_eq!(found("f.md"), ["t"]);
}

#[test]
fn text_joined_onto_a_set_value_is_found() {
    use super::growing_sets;
    let names = |src: &str| -> Vec<String> { growing_sets(src).into_iter().map(|g| g.0).collect() };
    assert_eq!(names("{% set a = 'xx' %}{% set a = a ~ a %}"), ["a"]);
    assert_eq!(
        names("{% set a = 'x' %}{% set b = a ~ a %}{% set_global a = b ~ b %}"),
        ["b", "a"]
    );
    assert!(names("{% set n = 1 %}{% set n = n + 1 %}{% set t = m.pct ~ '!' %}").is_empty());
    // Joined onto another set value, once: no doubling (found by an audit).
    assert!(names("{% set u = m.pct %}{% set s2 = '共' ~ u %}{{ s2 }}").is_empty());
    assert_eq!(
        growing_sets("{% set a = 'x' %}{% set a = a ~ a %}{% set a = a ~ a %}"),
        [("a".to_string(), 24..25)]
    );
}

#[test]
fn what_a_template_may_read_is_passed_over() {
    for src in [
        "{{ year }}年{{ m.pct | upper }}{{ m.births }}",
        "{% if targets_all_met and not m.pct is defined %}{% endif %}",
        "{% for t in targets_unmet %}{{ t.label }}{{ loop.index }}{% endfor %}",
        "{% set x = m.pct %}{{ x.y }}",
        "{{ tr(key='a') }}{{ m.pct | replace(from='%', to='') }}",
        "{{ 'm.nothing' }}{{ \"{{ nope }}\" }}{# {{ nope }} #}",
        "{% raw %}{{ nope }}{% endraw %}{{ year }}",
        "{% if target.births %}{{ target.pct.met }}{% endif %}",
        "{{ source.anything }}{{ title.len }}{{ m[\"pct\"] }}",
        "{{ 1.5 + year }}{{ [year, 2] | join(sep='、') }}",
        "text with { braces } and {{ year }}",
        // Not Tera's syntax (Tera reports it), and no panic on the way.
        "{{ 人口 }}{% if 是 %}{% endif %}{{ m.办 }}{{ year ｜ upper }}中文{{ year }}",
    ] {
        assert_eq!(names(src), Vec::<String>::new(), "{src}");
    }
    // Not a metric, so not known after `target.` either.
    assert_eq!(names("{% if target.bogus %}{% endif %}"), ["target.bogus"]);
}

#[test]
fn names_are_scoped_as_tera_scopes_them() {
    // A `set` inside a loop ends with the loop; the loop's variables and `loop`
    // are not there in its `else` or outside it (Tera 2 says "not defined" only
    // when the branch renders).
    for (src, unknown) in [
        (
            "{% for x in [1] %}{% set y = x %}{% endfor %}{{ y }}",
            vec!["y"],
        ),
        (
            "{% for x in [1] %}{% if year %}{% set y = 1 %}{% endif %}{% endfor %}{{ y }}",
            vec!["y"],
        ),
        (
            "{% for x in [] %}a{% else %}{{ x }}{{ loop.index }}{% endfor %}",
            vec!["x", "loop"],
        ),
        ("{{ loop.index }}", vec!["loop"]),
        ("{% for x in [1] %}{% endfor %}{{ x }}", vec!["x"]),
        // Still known: a set used before it in the same loop, a set_global, a
        // top-level set inside an `if`, an `else` of an `if` inside a loop, a
        // nested loop's `loop`, and the outer loop's variables in the inner one.
        (
            "{% for x in [1] %}{{ y }}{% set y = x %}{% endfor %}",
            vec![],
        ),
        (
            "{% for x in [1] %}{% set_global g = 1 %}{% endfor %}{{ g }}",
            vec![],
        ),
        ("{% if year %}{% set w = 1 %}{% endif %}{{ w }}", vec![]),
        (
            "{% for x in [1] %}{% if year %}{% else %}{{ x }}{{ loop.index }}{% endif %}{% endfor %}",
            vec![],
        ),
        (
            "{% for x in [1] %}{% for z in [2] %}{{ x }}{{ z }}{{ loop.index }}{% endfor %}{{ loop.last }}{% endfor %}",
            vec![],
        ),
        (
            "{% for x in [1] %}{% for z in [2] %}{% set q = 1 %}{% endfor %}{{ q }}{% endfor %}",
            vec!["q"],
        ),
    ] {
        assert_eq!(names(src), unknown, "{src}");
    }
}

#[test]
fn an_included_template_inside_a_loop_sees_the_loop_variable_but_not_loop() {
    use super::unknown_among;
    // Tera 2 does not give `loop` to an included template (found by an audit).
    let read = read_templates(&[
        (
            "a.md",
            "{% for s in [1] %}{% include \"b.md\" %}{% endfor %}",
        ),
        ("b.md", "{{ s }}{{ loop.index }}"),
    ]);
    let b = &read.iter().find(|(n, _)| n == "b.md").unwrap().1;
    let unknown: Vec<String> = unknown_among(b, &ctx(), None)
        .into_iter()
        .map(|u| u.path)
        .collect();
    assert_eq!(unknown, ["loop"]);
}

#[test]
fn templates_joined_by_extends_share_what_they_set() {
    use super::unknown_among;
    // A child's block sees what the parent sets, and the parent, after the
    // block, what the block sets: Tera 2 renders both (found by an audit).
    let read = read_templates(&[
        (
            "base.md",
            "{% set brand = 1 %}{% block a %}{% endblock a %}{{ note }}",
        ),
        (
            "report.md",
            "{% extends \"base.md\" %}{% block a %}{{ brand }}{% set note = 2 %}{% endblock a %}",
        ),
        ("other.md", "{{ brand }}"),
    ]);
    for (name, paths) in &read {
        let unknown = unknown_among(paths, &ctx(), None);
        if name == "other.md" {
            assert_eq!(unknown.len(), 1, "{name}");
        } else {
            assert!(unknown.is_empty(), "{name}: {unknown:?}");
        }
    }
}

#[test]
fn only_a_value_joined_onto_itself_whole_is_doubling() {
    let doubling = |src: &str| {
        !super::Templates::read(&[("t.md", src)])
            .doubling_sets()
            .is_empty()
    };
    assert!(doubling("{% set s = s ~ s %}"));
    assert!(doubling("{% set_global s = s | upper ~ s %}"));
    assert!(!doubling("{% set s = s ~ (s | length) %}"));
    assert!(!doubling("{% set s = s ~ s[:1] %}"));
    assert!(!doubling("{% set s = s ~ item %}"));
    // Found by an audit: the separator idioms grow a piece at a time.
    assert!(!doubling(
        "{% set names = \"\" %}{% set_global names = names ~ \", \" ~ g.label if names else g.label %}"
    ));
    assert!(!doubling(
        "{% set_global line = line ~ (\" · \" if line else \"\") ~ x.label %}"
    ));
    assert!(!doubling(
        "{% set t = t if lang == \"zh\" else t | upper ~ \"\" %}"
    ));
    // Joined from other values, none made from it: no feedback.
    assert!(!doubling(
        "{% set a = 'x' %}{% set b = 'y' %}{% set full = a ~ ' ' ~ b %}"
    ));
    // Through another name, it doubles all the same.
    assert!(doubling("{% set b = a ~ a %}{% set a = b %}"));
    assert!(doubling("{% set s = s ~ s if x else '' %}"));
}

#[test]
fn the_block_left_open_is_found() {
    use super::unclosed_block;
    let src = "{% if a %}\n{% for m in ms %}\nx\n{% endif %}";
    let (kw, at) = unclosed_block(src).unwrap();
    assert_eq!(kw, "for");
    assert_eq!(&src[at], "for m in ms");
    assert_eq!(
        unclosed_block("{% block a %}{% if x %}{% endif %}")
            .unwrap()
            .0,
        "block"
    );
    assert!(
        unclosed_block("{% for a in b %}{% else %}{% endfor %}{% if x %}{% elif y %}{% endif %}")
            .is_none()
    );
}

#[test]
fn components_body_and_calls_inside_expressions_are_no_variables() {
    // Found by an audit: Tera 2 renders all of these.
    for src in [
        "{% component note(title) %}{{ title }} {{ body }}{% endcomponent note %}",
        "{% set c = <badge text={year} /> %}{{ c }}{{ \"→ \" ~ <badge text={m.pct} /> }}",
        "{% if year < targets_all_met %}{% endif %}",
    ] {
        assert_eq!(names(src), Vec::<String>::new(), "{src}");
    }
    // A comparison still reads its names.
    assert_eq!(names("{% if year < limitt %}{% endif %}"), ["limitt"]);
}

#[test]
fn a_map_of_unlike_values_has_its_fields_not_checked() {
    use super::{read_paths, unknown_among};
    let mut ctx = ctx();
    ctx.insert(
        "figures",
        &serde_json::json!({"counts": {"part": 1}, "requests": {"received": 2}}),
    );
    let paths = read_paths(
        "{% for k, v in figures %}{% if v.received %}{{ v.received }}{% endif %}{% endfor %}",
    );
    assert!(unknown_among(&paths, &ctx, None).is_empty());
    // Alike values are checked as before.
    ctx.insert(
        "figures",
        &serde_json::json!({"a": {"x": 1}, "b": {"x": 2}}),
    );
    let paths = read_paths("{% for k, v in figures %}{{ v.y }}{% endfor %}");
    assert_eq!(unknown_among(&paths, &ctx, None).len(), 1);
}

#[test]
fn the_template_a_template_extends() {
    use super::extended;
    assert_eq!(
        extended("{# extends x #}\n{%- extends \"report.md\" -%}"),
        Some("report.md".into())
    );
    assert_eq!(extended("{% extends 'base.md' %}"), Some("base.md".into()));
    assert_eq!(extended("no extends here"), None);
    assert_eq!(extended("{% extends base %}"), None);
}

#[test]
fn the_blocks_a_template_defines() {
    use super::block_names;
    let src = "{# {% block old %} #}{%- block opening -%}{% endblock %}{% block plan %}{% endblock plan %}";
    assert_eq!(block_names(src), ["opening", "plan"]);
    assert!(block_names("{% raw %}{% block x %}{% endraw %}").is_empty());
}

/// A record printed whole dumped it as a map with blanks for nulls (found by an
/// audit: `{{ metrics | first }}`, `{{ m }}` in a loop over the metrics).
#[test]
fn a_record_printed_whole_is_found_through_a_loop_or_a_filter() {
    let mut ctx = ctx();
    ctx.insert(
        "metrics",
        &serde_json::json!([{"name": "pct", "label": "率"}]),
    );
    ctx.insert("years", &[2005, 2006]);
    ctx.insert("names", &["a", "b"]);
    let shapes = serde_json::json!({"targets_unmet": [{"label": "", "met": null}]});
    let shapes = tera::Value::from_serializable(&shapes);
    let printed = |src: &str| -> Vec<String> {
        super::printed_tables(&super::read_paths(src), &ctx, Some(&shapes))
            .into_iter()
            .map(|u| u.path)
            .collect()
    };
    assert_eq!(printed("{{ metrics | first }}"), ["metrics | first"]);
    assert_eq!(printed("{{ metrics | last }}"), ["metrics | last"]);
    assert_eq!(printed("{% for x in metrics %}{{ x }}{% endfor %}"), ["x"]);
    // Set again in the loop, the variable is no longer the item.
    assert_eq!(
        printed("{% for x in metrics %}{% set x = x.label %}{{ x }}{% endfor %}"),
        Vec::<String>::new()
    );
    assert_eq!(printed("{{ f.c }} {{ metric.pct }}"), ["f.c", "metric.pct"]);
    // An empty list this year: its shape says what an item holds.
    assert_eq!(
        printed("{% for t in targets_unmet %}{{ t }}{% endfor %}"),
        ["t"]
    );
    // Values, lists of values, and maps through a filter that makes a text.
    for fine in [
        "{{ m.pct }}{{ year }}{{ title }}{{ years }}{{ names | first }}",
        "{% for x in metrics %}{{ x.label }}{% endfor %}",
        "{{ metrics | length }}{{ f.c | json_encode }}{{ metrics | first | get(key='label') }}",
    ] {
        assert_eq!(printed(fine), Vec::<String>::new(), "{fine}");
    }
}
