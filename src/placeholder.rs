//! The `# placeholders` mark `new-year` puts on the line of an inline table
//! (comments cannot go inside one): `# placeholders: the 2007 values` marks
//! every number in it; once an import has set some of them, the mark names
//! those still unset, `# placeholders: second, multiple (the 2007 values)`.
//! `load` reads the mark, `new-year` writes it and `import` rewrites it.

/// An inline table's mark, read.
#[derive(Debug, PartialEq)]
pub struct InlineMark {
    /// The members (dotted paths within the table) still placeholders, or
    /// `None` for all of them.
    pub members: Option<Vec<String>>,
    /// What the mark says of them: `the 2007 values`.
    pub rest: String,
}

/// The mark for all of an inline table's numbers.
pub fn whole_table_mark(prev: i32) -> String {
    format!("# placeholders: the {prev} values")
}

/// The mark naming the `members` still placeholders.
pub fn inline_mark(members: &[String], rest: &str) -> String {
    format!("# placeholders: {} ({rest})", members.join(", "))
}

/// Reads a mark from the text after an inline table on its line (its
/// comment, with the spaces before it), or `None` when it is no mark.
pub fn parse_inline_mark(after: &str) -> Option<InlineMark> {
    let line = after.split('\n').next().unwrap_or("");
    let body = line
        .trim_start()
        .strip_prefix('#')?
        .trim_start()
        .strip_prefix("placeholders")?
        .strip_prefix(':')
        .map(str::trim)
        .unwrap_or("");
    if body.is_empty() || body.starts_with("the ") {
        return Some(InlineMark {
            members: None,
            rest: body.to_string(),
        });
    }
    let (list, rest) = match body.rfind(" (") {
        Some(at) if body.ends_with(')') => (&body[..at], &body[at + 2..body.len() - 1]),
        _ => (body, ""),
    };
    let members = list
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect();
    Some(InlineMark {
        members: Some(members),
        rest: rest.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_read_back_as_written() {
        let all = parse_inline_mark(&format!(" {}\n", whole_table_mark(2007))).unwrap();
        assert_eq!(all.members, None);
        assert_eq!(all.rest, "the 2007 values");
        let some = inline_mark(&["second".into(), "by_sex.boys".into()], &all.rest);
        assert_eq!(
            some,
            "# placeholders: second, by_sex.boys (the 2007 values)"
        );
        let read = parse_inline_mark(&some).unwrap();
        assert_eq!(
            read.members,
            Some(vec!["second".to_string(), "by_sex.boys".to_string()])
        );
        assert_eq!(read.rest, "the 2007 values");
        assert_eq!(parse_inline_mark(" # a note"), None);
        assert_eq!(parse_inline_mark(""), None);
    }
}
