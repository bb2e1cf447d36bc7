//! Tests of the formula parser and printer.

use super::*;

fn show(src: &str) -> String {
    parse(src).unwrap().to_string()
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(show("a + b * c"), "a + b * c");
    assert_eq!(show("(a + b) * c"), "(a + b) * c");
    assert_eq!(show("a - b - c"), "a - b - c");
    assert_eq!(show("a - (b - c)"), "a - (b - c)");
    assert_eq!(show("a / b / c"), "a / b / c");
    assert_eq!(show("a / (b * c)"), "a / (b * c)");
    assert_eq!(
        show("x.y <= 1 and not a == b or c > 2"),
        "x.y <= 1 and not a == b or c > 2"
    );
    // Found by the round-trip property: comparisons do not chain, so the
    // parentheses of a comparison inside another must be printed.
    assert_eq!(show("(a < b) < c"), "(a < b) < c");
    assert_eq!(show("a == (b != c)"), "a == (b != c)");
}

#[test]
fn unary_minus_binds_tightest() {
    let e = parse("-a * b").unwrap();
    assert!(matches!(e.kind, ExprKind::Binary(BinaryOp::Mul, _, _)));
    assert_eq!(show("- - 3"), "--3");
    assert_eq!(show("2 * -x.y"), "2 * -x.y");
}

#[test]
fn names_paths_and_calls() {
    let e = parse("sum(births.by_order) / population.total * 1000").unwrap();
    let mut names = Vec::new();
    e.walk_names(&mut |p, _, table| names.push((p.join("."), table)));
    assert_eq!(
        names,
        vec![
            ("births.by_order".to_string(), true),
            ("population.total".to_string(), false)
        ]
    );
    assert_eq!(show("max(a, b.c, 3)"), "max(a, b.c, 3)");
    assert_eq!(show("abs(-1.50)"), "abs(-1.50)");
    // Keys that start with a digit, as TOML allows (`[age] 15 = …`).
    assert_eq!(show("age.15 + x.1.5 * 2"), "age.15 + x.1.5 * 2");
    assert_eq!(show("age. 15"), "age.15");
    assert_eq!(show("x.and"), "x.and");
    assert_eq!(show("1.5 + .5"), "1.5 + .5");
    // Found by the fuzzer: `b-_sex. 100` printed as `_sex.100`, which did not parse.
    assert_eq!(show("births.b-_sex. 100"), "births.b - _sex.100");
}

#[test]
fn errors_point_at_the_column() {
    let err = parse("births.total / * 1000").unwrap_err();
    assert_eq!(err.span, 15..16);
    let err = parse("a ++").unwrap_err();
    assert_eq!(err.span, 4..4);
    let err = parse("(a + b").unwrap_err();
    assert!(err.message.contains("unclosed"));
    let err = parse("summ(a)").unwrap_err();
    assert_eq!(err.help.as_deref().map(|h| h.contains("`sum`")), Some(true));
    let err = parse("a = b").unwrap_err();
    assert!(err.help.unwrap().contains("=="));
    let err = parse("a < b < c").unwrap_err();
    assert!(err.message.contains("chained"));
    assert!(parse("sum(1)").is_err());
    assert!(parse("").is_err());
    assert!(parse("a b").is_err());
    assert!(parse("births.").is_err());
    let deep = "(".repeat(10_000) + "1" + &")".repeat(10_000);
    assert!(parse(&deep).is_err());
    let deep = "-".repeat(10_000) + "1";
    assert!(parse(&deep).is_err());
}

/// The expression with every span emptied, to compare trees parsed from
/// different texts.
fn strip(e: &Expr) -> Expr {
    let kind = match &e.kind {
        ExprKind::Unary(op, x) => ExprKind::Unary(*op, Box::new(strip(x))),
        ExprKind::Binary(op, l, r) => ExprKind::Binary(*op, Box::new(strip(l)), Box::new(strip(r))),
        ExprKind::Call(func, args) => ExprKind::Call(*func, args.iter().map(strip).collect()),
        other => other.clone(),
    };
    Expr { kind, span: 0..0 }
}

fn node(kind: ExprKind) -> Expr {
    Expr { kind, span: 0..0 }
}

/// Any tree the parser can produce (numbers are never negative: `-1` is a
/// negation), including ones the checker would reject, such as `(a < b) < c`.
fn any_expr() -> impl proptest::strategy::Strategy<Value = Expr> {
    use proptest::prelude::*;
    let number = ("[0-9]{1,5}(\\.[0-9]{1,3})?", any::<bool>()).prop_map(|(text, under)| {
        let text = if under && text.len() > 3 && !text.contains('.') {
            format!("{}_{}", &text[..1], &text[1..])
        } else {
            text
        };
        node(ExprKind::Number(Exact::parse_decimal(&text).unwrap(), text))
    });
    let segment = "[a-z_][a-z0-9_]{0,6}"
        .prop_filter("keywords", |s| !matches!(s.as_str(), "and" | "or" | "not"));
    // Later segments may start with a digit or be a keyword: `age.15`, `x.and`.
    let rest = proptest::collection::vec("[a-z0-9_]{1,6}", 0..3);
    let name = (segment, rest).prop_map(|(first, rest)| {
        node(ExprKind::Name(std::iter::once(first).chain(rest).collect()))
    });
    let leaf = prop_oneof![number, name.clone()];
    leaf.prop_recursive(5, 48, 3, move |inner| {
        let ops = prop::sample::select(vec![
            BinaryOp::Or,
            BinaryOp::And,
            BinaryOp::Eq,
            BinaryOp::Ne,
            BinaryOp::Lt,
            BinaryOp::Le,
            BinaryOp::Gt,
            BinaryOp::Ge,
            BinaryOp::Add,
            BinaryOp::Sub,
            BinaryOp::Mul,
            BinaryOp::Div,
        ]);
        prop_oneof![
            (ops, inner.clone(), inner.clone()).prop_map(|(op, l, r)| node(ExprKind::Binary(
                op,
                Box::new(l),
                Box::new(r)
            ))),
            inner
                .clone()
                .prop_map(|x| node(ExprKind::Unary(UnaryOp::Neg, Box::new(x)))),
            inner
                .clone()
                .prop_map(|x| node(ExprKind::Unary(UnaryOp::Not, Box::new(x)))),
            name.clone()
                .prop_map(|n| node(ExprKind::Call(Func::Sum, vec![n]))),
            inner
                .clone()
                .prop_map(|x| node(ExprKind::Call(Func::Abs, vec![x]))),
            (
                prop::sample::select(vec![Func::Min, Func::Max]),
                proptest::collection::vec(inner, 1..4)
            )
                .prop_map(|(f, args)| node(ExprKind::Call(f, args))),
        ]
    })
}

proptest::proptest! {
    #[test]
    fn printing_and_parsing_gives_the_same_formula(e in any_expr()) {
        let printed = e.to_string();
        let parsed = parse(&printed).map_err(|err| {
            proptest::test_runner::TestCaseError::fail(format!("{printed:?}: {err}"))
        })?;
        proptest::prop_assert_eq!(strip(&parsed), strip(&e), "{}", printed);
    }

    #[test]
    fn the_parser_never_panics(src in "[-+*/()<>=!., a-z0-9_]{0,40}") {
        let _ = parse(&src);
    }
}
