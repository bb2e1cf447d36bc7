//! Evaluating formulas over one year's figures and the metrics computed so far,
//! exactly: every value is a big rational, and a division by zero makes the value
//! undefined, with the reason, rather than inf or NaN.

use indexmap::IndexMap;

use crate::exact::Exact;
use crate::formula::{BinaryOp, Expr, ExprKind, Func, UnaryOp};
use crate::model::Figure;

/// The value of an expression.
#[derive(Debug, Clone)]
pub enum Value {
    /// A number, or undefined with the reason.
    Num(Result<Exact, Undefined>),
    /// A truth value, or undefined.
    Bool(Result<bool, Undefined>),
}

/// Why a value is undefined: the division whose divisor was zero, or the step
/// whose result is over the size limit.
#[derive(Debug, Clone)]
pub struct Undefined {
    /// Why, in words (`the figure `a.b` is zero`).
    pub divisor: String,
    /// The part of the formula that is undefined.
    pub span: std::ops::Range<usize>,
    /// True when a result is over [`crate::exact::MAX_BITS`]: not undefined but
    /// too large to compute with, an error rather than a warning.
    pub too_large: bool,
    /// What the span marks, in a few words (`division by zero`).
    pub label: &'static str,
}

impl Undefined {
    fn new(divisor: String, span: std::ops::Range<usize>) -> Self {
        Self::marked(divisor, span, "division by zero")
    }

    /// Undefined for another reason than a division here: the span is marked
    /// with `label` (an audit found "division by zero" under a metric that was
    /// only undefined itself).
    fn marked(divisor: String, span: std::ops::Range<usize>, label: &'static str) -> Self {
        Undefined {
            divisor,
            span,
            too_large: false,
            label,
        }
    }

    fn too_large(span: std::ops::Range<usize>) -> Self {
        Undefined {
            divisor: "the result has more digits than nianbao computes with".into(),
            span,
            too_large: true,
            label: "too large",
        }
    }
}

/// `value`, or the error of a result over the size limit at `span`.
fn limited(
    value: Exact,
    span: impl FnOnce() -> std::ops::Range<usize>,
) -> Result<Exact, Undefined> {
    if value.fits() {
        Ok(value)
    } else {
        Err(Undefined::too_large(span()))
    }
}

/// What names in a formula refer to: the year's figures and the metrics computed
/// so far.
pub struct Env<'a> {
    /// The year's figures.
    pub figures: &'a IndexMap<String, Figure>,
    /// Metrics computed so far; `None` when undefined.
    pub metrics: &'a IndexMap<String, Option<Exact>>,
}

impl Env<'_> {
    /// The value of `e`.
    pub fn eval(&self, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Number(n, _) => Value::Num(Ok(n.clone())),
            ExprKind::Name(path) => {
                if path.len() == 1
                    && let Some(v) = self.metrics.get(&path[0])
                {
                    return Value::Num(v.clone().ok_or_else(|| {
                        Undefined::marked(
                            format!("metric `{}` is undefined", path[0]),
                            e.span.clone(),
                            "undefined",
                        )
                    }));
                }
                match Figure::lookup(self.figures, path) {
                    Some(Figure::Number(n, _)) => Value::Num(Ok(n.clone())),
                    // Unknown names were reported by the check stage; treat as undefined.
                    _ => Value::Num(Err(Undefined::marked(
                        format!("`{}` is unknown", path.join(".")),
                        e.span.clone(),
                        "unknown",
                    ))),
                }
            }
            ExprKind::Unary(UnaryOp::Neg, x) => Value::Num(self.num(x).map(|v| -&v)),
            ExprKind::Unary(UnaryOp::Not, x) => Value::Bool(self.truth(x).map(|b| !b)),
            ExprKind::Binary(op, l, r) => self.compare(*op, l, r),
            ExprKind::Chain(first, rest) => self.chain(first, rest),
            ExprKind::Call(func, args) => Value::Num(self.call(*func, args)),
        }
    }

    /// The value of `e`, which must be a number.
    pub fn num(&self, e: &Expr) -> Result<Exact, Undefined> {
        match self.eval(e) {
            Value::Num(v) => v,
            Value::Bool(_) => Err(Undefined::marked(
                "a comparison used as a number".into(),
                e.span.clone(),
                "not a number",
            )),
        }
    }

    /// The value of `e`, which must be true or false.
    pub fn truth(&self, e: &Expr) -> Result<bool, Undefined> {
        match self.eval(e) {
            Value::Bool(v) => v,
            Value::Num(_) => Err(Undefined::marked(
                "a number used as true or false".into(),
                e.span.clone(),
                "not true or false",
            )),
        }
    }

    /// A comparison.
    fn compare(&self, op: BinaryOp, l: &Expr, r: &Expr) -> Value {
        let (a, b) = (self.num(l), self.num(r));
        Value::Bool(a.and_then(|a| {
            b.map(|b| match op {
                BinaryOp::Eq => a == b,
                BinaryOp::Ne => a != b,
                BinaryOp::Lt => a < b,
                BinaryOp::Le => a <= b,
                BinaryOp::Gt => a > b,
                _ => a >= b,
            })
        }))
    }

    /// A chain of operators of one precedence, folded left to right in a loop: the
    /// same value as the left-nested tree `((a op b) op c) …`, without recursing once
    /// per term. The first undefined operand, from the left, is the reason given.
    fn chain(&self, first: &Expr, rest: &[(BinaryOp, Expr)]) -> Value {
        let logical = rest.first().is_some_and(|(op, _)| op.is_logical());
        if logical {
            let mut acc = self.truth(first);
            for (op, e) in rest {
                acc = match (op, acc) {
                    // `false and x` is false and `true or x` true, even when x is
                    // undefined; an undefined left side gives way to a right side
                    // that settles the answer.
                    (BinaryOp::And, Ok(false)) => Ok(false),
                    (BinaryOp::Or, Ok(true)) => Ok(true),
                    (_, Ok(_)) => self.truth(e),
                    (BinaryOp::And, Err(u)) => match self.truth(e) {
                        Ok(false) => Ok(false),
                        _ => Err(u),
                    },
                    (_, Err(u)) => match self.truth(e) {
                        Ok(true) => Ok(true),
                        _ => Err(u),
                    },
                };
            }
            return Value::Bool(acc);
        }
        let mut acc = match self.num(first) {
            Ok(v) => v,
            Err(u) => return Value::Num(Err(u)),
        };
        for (op, e) in rest {
            let b = match self.num(e) {
                Ok(b) => b,
                Err(u) => return Value::Num(Err(u)),
            };
            let next = match op {
                BinaryOp::Add => &acc + &b,
                BinaryOp::Sub => &acc - &b,
                BinaryOp::Mul => &acc * &b,
                _ => match acc.checked_div(&b) {
                    Some(v) => v,
                    None => {
                        return Value::Num(Err(Undefined::new(
                            describe_divisor(e),
                            e.span.clone(),
                        )));
                    }
                },
            };
            // Each step is checked, so a runaway formula stops at the first one
            // over the limit, before a larger step is even tried.
            acc = match limited(next, || first.span.start..e.span.end) {
                Ok(v) => v,
                Err(u) => return Value::Num(Err(u)),
            };
        }
        Value::Num(Ok(acc))
    }

    fn call(&self, func: Func, args: &[Expr]) -> Result<Exact, Undefined> {
        match func {
            Func::Sum => {
                let Some(arg) = args.first() else {
                    return Ok(Exact::zero());
                };
                let ExprKind::Name(path) = &arg.kind else {
                    return self.num(arg);
                };
                match Figure::lookup(self.figures, path) {
                    Some(node) => {
                        sum_node(node).ok_or_else(|| Undefined::too_large(arg.span.clone()))
                    }
                    None => Err(Undefined::marked(
                        format!("`{}` is unknown", path.join(".")),
                        arg.span.clone(),
                        "unknown",
                    )),
                }
            }
            Func::Abs => args
                .first()
                .map(|a| self.num(a).map(|v| v.abs()))
                .unwrap_or_else(|| Ok(Exact::zero())),
            Func::Min | Func::Max => {
                let mut best: Option<Exact> = None;
                for a in args {
                    let v = self.num(a)?;
                    best = Some(match best {
                        None => v,
                        Some(b) if (func == Func::Min) == (v < b) => v,
                        Some(b) => b,
                    });
                }
                Ok(best.unwrap_or_else(Exact::zero))
            }
        }
    }
}

/// Every number in a figure table, added; `None` when the sum goes over the limit.
fn sum_node(node: &Figure) -> Option<Exact> {
    match node {
        Figure::Number(n, _) => Some(n.clone()),
        Figure::Table(t, _) => t.values().try_fold(Exact::zero(), |acc, v| {
            let sum = &acc + &sum_node(v)?;
            sum.fits().then_some(sum)
        }),
    }
}

fn describe_divisor(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(path) if path.len() > 1 => {
            format!("the figure `{}` is zero", path.join("."))
        }
        ExprKind::Name(path) => format!("`{}` is zero", path[0]),
        _ => format!("`{e}` is zero"),
    }
}

/// The innermost part of a rule that is false: for `a and b`, whichever is false.
pub fn failing_part<'e>(env: &Env, e: &'e Expr) -> &'e Expr {
    match &e.kind {
        // `a and b and c`: the first of a, b that is false, else c (as the nested
        // `(a and b) and c` would be searched).
        ExprKind::Chain(first, rest)
            if rest.first().is_some_and(|(op, _)| *op == BinaryOp::And) =>
        {
            let mut operands = std::iter::once(&**first).chain(rest.iter().map(|(_, x)| x));
            let last = rest.last().map_or(&**first, |(_, x)| x);
            let part = operands
                .by_ref()
                .take(rest.len())
                .find(|x| matches!(env.truth(x), Ok(false)))
                .unwrap_or(last);
            failing_part(env, part)
        }
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{FileId, Loc};
    use crate::formula::parse;

    fn figures(pairs: &[(&str, &str)]) -> IndexMap<String, Figure> {
        let loc = Loc {
            file: FileId(0),
            span: 0..0,
        };
        let mut root: IndexMap<String, Figure> = IndexMap::new();
        for (path, value) in pairs {
            let segs: Vec<&str> = path.split('.').collect();
            let mut table = &mut root;
            for seg in &segs[..segs.len() - 1] {
                let entry = table
                    .entry(seg.to_string())
                    .or_insert_with(|| Figure::Table(IndexMap::new(), loc.clone()));
                let Figure::Table(t, _) = entry else { panic!() };
                table = t;
            }
            table.insert(
                segs[segs.len() - 1].to_string(),
                Figure::Number(Exact::parse_decimal(value).unwrap(), loc.clone()),
            );
        }
        root
    }

    fn eval(
        src: &str,
        figs: &IndexMap<String, Figure>,
        metrics: &IndexMap<String, Option<Exact>>,
    ) -> Value {
        Env {
            figures: figs,
            metrics,
        }
        .eval(&parse(src).unwrap())
    }

    fn num(src: &str, figs: &IndexMap<String, Figure>) -> Option<String> {
        match eval(src, figs, &IndexMap::new()) {
            Value::Num(v) => v.ok().map(|v| v.to_exact_string()),
            Value::Bool(_) => panic!("not a number"),
        }
    }

    #[test]
    fn evaluates_exactly() {
        let f = figures(&[
            ("births.first", "929"),
            ("births.second", "400"),
            ("births.multiple", "6"),
            ("population.total", "151837"),
            ("x.a", "0.1"),
            ("x.b", "0.2"),
        ]);
        assert_eq!(num("x.a + x.b", &f).unwrap(), "0.3");
        assert_eq!(num("sum(births)", &f).unwrap(), "1335");
        assert_eq!(num("sum(x)", &f).unwrap(), "0.3");
        assert_eq!(num("1 / 7 * 3.5", &f).unwrap(), "0.5");
        assert_eq!(num("-2 * -3 - -1", &f).unwrap(), "7");
        assert_eq!(num("min(3, births.second, 500)", &f).unwrap(), "3");
        assert_eq!(num("max(3, births.second, 500)", &f).unwrap(), "500");
        assert_eq!(num("abs(0 - births.first)", &f).unwrap(), "929");
        assert_eq!(num("2 + 3 * 4", &f).unwrap(), "14");
        assert_eq!(num("(2 + 3) * 4", &f).unwrap(), "20");
        assert_eq!(num("8 / 4 / 2", &f).unwrap(), "1");
        assert_eq!(num("8 - 4 - 2", &f).unwrap(), "2");
        // 1e30 * 1e30 does not overflow.
        assert_eq!(
            num(
                "1000000000000000000000000000000 * 1000000000000000000000000000000 / 1e59",
                &f
            )
            .unwrap(),
            "10"
        );
    }

    #[test]
    fn division_by_zero_is_undefined_and_names_the_figure() {
        let f = figures(&[("a.n", "5"), ("a.zero", "0")]);
        match eval("a.n / a.zero * 100", &f, &IndexMap::new()) {
            Value::Num(Err(u)) => {
                assert!(u.divisor.contains("a.zero"));
                assert_eq!(u.label, "division by zero");
            }
            other => panic!("{other:?}"),
        }
        let mut metrics = IndexMap::new();
        metrics.insert("rate".to_string(), None);
        // Built on an undefined metric: marked as such, not as a division.
        match eval("rate * 2", &f, &metrics) {
            Value::Num(Err(u)) => {
                assert!(u.divisor.contains("rate"));
                assert_eq!(u.label, "undefined");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rules_and_comparisons() {
        let f = figures(&[("a", "1"), ("b", "2")]);
        let t = |src: &str| match eval(src, &f, &IndexMap::new()) {
            Value::Bool(Ok(b)) => b,
            other => panic!("{other:?}"),
        };
        assert!(t("a < b and not a == b"));
        assert!(t("a > b or b >= 2"));
        assert!(!t("a != 1"));
        assert!(t("a + 1 == b"));
    }

    /// An arithmetic formula of the tests' own, evaluated by a plain big-rational
    /// reference and printed, fully parenthesised, for the real parser and evaluator.
    #[derive(Debug, Clone)]
    enum Ref {
        /// `mantissa / 10^scale`, written as a decimal.
        Num(u64, u32),
        /// The figure `x.<index>` (values below).
        Fig(usize),
        Neg(Box<Ref>),
        Bin(char, Box<Ref>, Box<Ref>),
        /// `(a) + (b) - (c)`, or `(a) * (b) / (c)`: one chain of the parser.
        Chain(Box<Ref>, Vec<(char, Ref)>),
        Abs(Box<Ref>),
        Min(Vec<Ref>),
        Max(Vec<Ref>),
    }

    /// The figures the formulas may name: `x.f0` … `x.f4`, as (signed mantissa, scale).
    const FIGS: [(i64, u32); 5] = [(0, 0), (151837, 0), (1335, 2), (-57, 1), (7, 3)];

    fn rat(m: i64, scale: u32) -> num_rational::BigRational {
        num_rational::BigRational::new(
            num_bigint::BigInt::from(m),
            num_traits::pow(num_bigint::BigInt::from(10), scale as usize),
        )
    }

    fn text_of(m: u64, scale: u32) -> String {
        let digits = format!("{m:0>width$}", width = scale as usize + 1);
        let (int, frac) = digits.split_at(digits.len() - scale as usize);
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    }

    impl Ref {
        fn print(&self) -> String {
            match self {
                Ref::Num(m, s) => text_of(*m, *s),
                Ref::Fig(i) => format!("x.f{i}"),
                Ref::Neg(x) => format!("-({})", x.print()),
                Ref::Bin(op, l, r) => format!("({}) {op} ({})", l.print(), r.print()),
                Ref::Chain(first, rest) => {
                    let mut out = format!("({})", first.print());
                    for (op, x) in rest {
                        out.push_str(&format!(" {op} ({})", x.print()));
                    }
                    out
                }
                Ref::Abs(x) => format!("abs({})", x.print()),
                Ref::Min(xs) | Ref::Max(xs) => format!(
                    "{}({})",
                    if matches!(self, Ref::Min(_)) {
                        "min"
                    } else {
                        "max"
                    },
                    xs.iter().map(Ref::print).collect::<Vec<_>>().join(", ")
                ),
            }
        }

        /// `None` for a division by zero anywhere.
        fn eval(&self) -> Option<num_rational::BigRational> {
            use num_traits::{Signed, Zero};
            Some(match self {
                Ref::Num(m, s) => rat(*m as i64, *s),
                Ref::Fig(i) => rat(FIGS[*i].0, FIGS[*i].1),
                Ref::Neg(x) => -x.eval()?,
                Ref::Bin(op, l, r) => {
                    let (a, b) = (l.eval()?, r.eval()?);
                    match op {
                        '+' => a + b,
                        '-' => a - b,
                        '*' => a * b,
                        _ if b.is_zero() => return None,
                        _ => a / b,
                    }
                }
                Ref::Chain(first, rest) => {
                    let mut acc = first.eval()?;
                    for (op, x) in rest {
                        let b = x.eval()?;
                        acc = match op {
                            '+' => acc + b,
                            '-' => acc - b,
                            '*' => acc * b,
                            _ if b.is_zero() => return None,
                            _ => acc / b,
                        };
                    }
                    acc
                }
                Ref::Abs(x) => x.eval()?.abs(),
                Ref::Min(xs) => xs
                    .iter()
                    .map(Ref::eval)
                    .collect::<Option<Vec<_>>>()?
                    .into_iter()
                    .min()?,
                Ref::Max(xs) => xs
                    .iter()
                    .map(Ref::eval)
                    .collect::<Option<Vec<_>>>()?
                    .into_iter()
                    .max()?,
            })
        }
    }

    fn any_ref() -> impl proptest::strategy::Strategy<Value = Ref> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            (0u64..1_000_000, 0u32..5).prop_map(|(m, s)| Ref::Num(m, s)),
            (0usize..FIGS.len()).prop_map(Ref::Fig),
        ];
        leaf.prop_recursive(6, 64, 3, |inner| {
            prop_oneof![
                (
                    prop::sample::select(vec!['+', '-', '*', '/']),
                    inner.clone(),
                    inner.clone()
                )
                    .prop_map(|(op, l, r)| Ref::Bin(op, Box::new(l), Box::new(r))),
                (
                    any::<bool>(),
                    inner.clone(),
                    proptest::collection::vec((any::<bool>(), inner.clone()), 1..6)
                )
                    .prop_map(|(additive, first, rest)| {
                        let ops = if additive { ['+', '-'] } else { ['*', '/'] };
                        let rest = rest
                            .into_iter()
                            .map(|(which, x)| (ops[usize::from(which)], x))
                            .collect();
                        Ref::Chain(Box::new(first), rest)
                    }),
                inner.clone().prop_map(|x| Ref::Neg(Box::new(x))),
                inner.clone().prop_map(|x| Ref::Abs(Box::new(x))),
                proptest::collection::vec(inner.clone(), 1..4).prop_map(Ref::Min),
                proptest::collection::vec(inner, 1..4).prop_map(Ref::Max),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn evaluation_agrees_with_a_big_rational_reference(r in any_ref()) {
            let pairs: Vec<(String, String)> = FIGS
                .iter()
                .enumerate()
                .map(|(i, (m, s))| {
                    let text = text_of(m.unsigned_abs(), *s);
                    (format!("x.f{i}"), if *m < 0 { format!("-{text}") } else { text })
                })
                .collect();
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            let f = figures(&pairs);
            let src = r.print();
            let got = match eval(&src, &f, &IndexMap::new()) {
                Value::Num(v) => v.ok().map(|e| e.0),
                Value::Bool(_) => panic!("{src} is not a number"),
            };
            proptest::prop_assert_eq!(got, r.eval(), "{}", src);
        }
    }
}
