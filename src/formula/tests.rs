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
    let ExprKind::Chain(first, rest) = &e.kind else {
        panic!("{e:?}")
    };
    assert!(matches!(first.kind, ExprKind::Unary(UnaryOp::Neg, _)));
    assert_eq!(rest[0].0, BinaryOp::Mul);
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

/// Issue 11, item 1: a long flat formula overflowed the stack, since each term
/// nested one level deeper. Now it is one node, parsed, printed, walked, cloned
/// and dropped in loops; this runs on a thread with a small stack to show it.
#[test]
fn a_long_flat_formula_is_one_wide_node_not_a_deep_tree() {
    let small_stack = std::thread::Builder::new().stack_size(256 * 1024);
    let done = small_stack
        .spawn(|| {
            let src = vec!["x.a"; 100_000].join(" + ") + " - 1 * 2 * 3 * 4";
            let e = parse(&src).unwrap();
            let ExprKind::Chain(first, rest) = &e.kind else {
                panic!("not a chain")
            };
            assert!(matches!(first.kind, ExprKind::Name(_)));
            assert_eq!(rest.len(), 100_000);
            assert!(matches!(rest[99_999].1.kind, ExprKind::Chain(..)));
            assert_eq!(e.to_string(), src);
            let mut names = 0;
            e.walk_names(&mut |_, _, _| names += 1);
            assert_eq!(names, 100_000);
            assert_eq!(e.clone(), e);
            let rule = vec!["a < 1"; 20_000].join(" and ") + " or b > 2";
            assert_eq!(parse(&rule).unwrap().to_string(), rule);
        })
        .unwrap()
        .join();
    assert!(done.is_ok());
}

#[test]
fn parentheses_keep_their_tree() {
    assert_eq!(show("(a + b) + c"), "(a + b) + c");
    assert_eq!(show("a + b + c - d"), "a + b + c - d");
    assert_eq!(show("(a * b) * c + d"), "(a * b) * c + d");
    assert_eq!(show("a * b + c * d - e / f"), "a * b + c * d - e / f");
    assert_eq!(show("(a or b) or c and d"), "(a or b) or c and d");
    assert_eq!(show("not a and b"), "not a and b");
}

/// The expression with every span emptied, to compare trees parsed from
/// different texts.
fn strip(e: &Expr) -> Expr {
    let kind = match &e.kind {
        ExprKind::Unary(op, x) => ExprKind::Unary(*op, Box::new(strip(x))),
        ExprKind::Binary(op, l, r) => ExprKind::Binary(*op, Box::new(strip(l)), Box::new(strip(r))),
        ExprKind::Chain(first, rest) => ExprKind::Chain(
            Box::new(strip(first)),
            rest.iter().map(|(op, x)| (*op, strip(x))).collect(),
        ),
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
        let comparisons = prop::sample::select(vec![
            BinaryOp::Eq,
            BinaryOp::Ne,
            BinaryOp::Lt,
            BinaryOp::Le,
            BinaryOp::Gt,
            BinaryOp::Ge,
        ]);
        // A chain's operators share one precedence: or, and, + -, * /.
        let levels: [&[BinaryOp]; 4] = [
            &[BinaryOp::Or],
            &[BinaryOp::And],
            &[BinaryOp::Add, BinaryOp::Sub],
            &[BinaryOp::Mul, BinaryOp::Div],
        ];
        let chain = (
            0..levels.len(),
            inner.clone(),
            proptest::collection::vec((any::<prop::sample::Index>(), inner.clone()), 1..4),
        )
            .prop_map(move |(level, first, rest)| {
                let ops = levels[level];
                let rest = rest.into_iter().map(|(i, x)| (*i.get(ops), x)).collect();
                node(ExprKind::Chain(Box::new(first), rest))
            });
        prop_oneof![
            (comparisons, inner.clone(), inner.clone())
                .prop_map(|(op, l, r)| node(ExprKind::Binary(op, Box::new(l), Box::new(r)))),
            chain,
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
