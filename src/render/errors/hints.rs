//! What a template error says beyond Tera's message: the label at its place and
//! the help under it ("did you mean", the blocks a parent has, what to check).

use std::collections::HashMap;

use super::{Known, Problem, quoted};
use crate::diag::{FileId, Sources};
use crate::render::names::{block_names, extended};
use crate::suggest;

/// Tera 2.4's built-in filters and nianbao's own, for "did you mean" hints.
const FILTERS: [&str; 41] = [
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
    "pairs",
    "group_by",
    "cn_num",
    "numeral",
    "outline",
    "cell",
];

/// "Did you mean": the nearest known name to the last part of `name`.
pub(super) fn undefined_hint(name: &str, known: Known) -> String {
    if name.split('.').next() == Some("__tera_context") {
        // Tera 2.4 gathers it in a randomly seeded hash map: another order each build.
        return "Tera's dump of the whole context lists it in another order on each build, so a report cannot use it; `nianbao vars` prints the context".to_string();
    }
    let (prefix, last) = match name.rsplit_once('.') {
        Some((p, l)) => (format!("{p}."), l),
        None => (String::new(), name),
    };
    let names = known();
    match suggest::nearest(last, names.iter().map(String::as_str)) {
        Some(near) => format!(
            "did you mean `{prefix}{near}`? `nianbao vars` shows every variable a template can use"
        ),
        None => "the context has no such name, so it is an error wherever it is written (a branch not taken, through a filter); `nianbao vars` shows every variable a template can use".to_string(),
    }
}

/// For a block the parent does not have ("Block `plann` is not defined in any
/// parent template"), the parent's blocks, the nearest first (an audit got the
/// help on variables instead).
pub(super) fn block_hint(
    p: &Problem,
    files: &HashMap<String, FileId>,
    sources: &Sources,
) -> Option<String> {
    if !p.message.contains("not defined in any parent") {
        return None;
    }
    let name = quoted(&p.message)?;
    let child = files.get(p.template.as_deref()?)?;
    let mut parent = extended(&sources.get(*child).text)?;
    // Every block up the chain of parents (a few at most; cycles stop it).
    let mut blocks: Vec<String> = Vec::new();
    for _ in 0..8 {
        let Some(id) = files.get(&parent) else { break };
        let text = &sources.get(*id).text;
        for n in block_names(text) {
            if !blocks.iter().any(|b| b == n) {
                blocks.push(n.to_string());
            }
        }
        match extended(text) {
            Some(next) => parent = next,
            None => break,
        }
    }
    if blocks.is_empty() {
        return None;
    }
    Some(
        match suggest::nearest(name, blocks.iter().map(String::as_str)) {
            Some(near) => format!(
                "did you mean `{near}`? The blocks of its parent are {}",
                blocks.join(", ")
            ),
            None => format!("the blocks of its parent are {}", blocks.join(", ")),
        },
    )
}

pub(super) fn label(p: &Problem) -> String {
    let m = &p.message;
    if p.missing_parent.is_some() {
        "no template of this name".into()
    } else if m.contains("not defined") || m.contains("not found") {
        "not defined".into()
    } else if m.starts_with("Unknown filter") {
        "no such filter".into()
    } else if m.starts_with("Unknown function") {
        "no such function".into()
    } else if m.starts_with("Unknown test") {
        "no such test".into()
    } else if m.starts_with("Unknown template") {
        "no such template".into()
    } else if m.starts_with("Unknown tag") {
        "unknown tag".into()
    } else if m.contains("end of input") {
        "the template ends here".into()
    } else {
        "here".into()
    }
}

pub(super) fn hint(p: &Problem, files: &HashMap<String, FileId>) -> Option<String> {
    let m = &p.message;
    let templates = || {
        let mut names: Vec<&str> = files.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    };
    if let Some(parent) = &p.missing_parent {
        let names = templates();
        return Some(match suggest::nearest(parent, names.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the templates are: {}", names.join(", ")),
        });
    }
    if m.contains("end of input") {
        return Some("a block is not closed: check that every {% for %} has {% endfor %}, every {% if %} has {% endif %} and every {% block %} has {% endblock %}".into());
    }
    if m.starts_with("Unknown tag") {
        return Some(
            "check the tag's spelling, and that every {% if %} and {% for %} before it is closed"
                .into(),
        );
    }
    if m.contains("not defined") || m.contains("not found in context") {
        // Tera lists the fields there are ("Available fields: a, b"): name the nearest.
        let list = m
            .split_once("Available fields:")
            .or_else(|| m.split_once("Available variables:"));
        let near = list.and_then(|(_, list)| {
            let fields = list.split(',').map(|f| f.trim().trim_end_matches('.'));
            suggest::nearest(quoted(m)?, fields).map(str::to_string)
        });
        return Some(match near {
            Some(near) => format!(
                "did you mean `{near}`? `nianbao vars` shows every variable a template can use"
            ),
            None => "run `nianbao vars` to see every variable a template can use".into(),
        });
    }
    if m.starts_with("Unknown filter") {
        let name = quoted(m).unwrap_or("");
        return Some(match suggest::nearest(name, FILTERS) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "nianbao adds `cn_num`, `numeral`, `outline` and `cell` to Tera 2's filters; `date`, `slugify`, `json_encode` and a few others were removed in Tera 2".into(),
        });
    }
    if m.starts_with("Unknown template") {
        let name = quoted(m).unwrap_or("");
        let names = templates();
        return Some(match suggest::nearest(name, names.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "run `nianbao templates list` to see the templates".into(),
        });
    }
    if m.contains("there is no template") {
        return Some("run `nianbao templates list` to see the templates".into());
    }
    if m.contains("not supported in render_str") {
        return Some(
            "a narrative text can use {{ … }}, {% if %} and {% for %}, but not extends or blocks"
                .into(),
        );
    }
    None
}
