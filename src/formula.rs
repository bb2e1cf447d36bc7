//! The formula language of `metrics.toml`: parsed once, with byte spans into the
//! formula text so that every error can point at the offending column.
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | cmp
//! cmp     := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | "+" unary | atom
//! atom    := number | name ("." name)* | func "(" args ")" | "(" expr ")"
//! ```
//! Comparisons and `and`/`or`/`not` are only allowed in check rules; the checker
//! enforces that, the parser accepts one grammar.

use std::fmt;
use std::ops::Range;

use crate::exact::Exact;

/// A parsed expression with its span in the formula text.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Byte range in the formula text.
    pub span: Range<usize>,
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A decimal literal, exactly as written.
    Number(Exact, String),
    /// A bare name (a metric) or a dotted path (a figure).
    Name(Vec<String>),
    /// `-x`, `not x`.
    Unary(UnaryOp, Box<Expr>),
    /// `a op b`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `sum(t)`, `min(a, b)`, `max(a, b)`, `abs(x)`.
    Call(Func, Vec<Expr>),
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// Arithmetic negation.
    Neg,
    /// Logical negation.
    Not,
}

/// Binary operators, loosest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div => 6,
        }
    }

    /// True for `== != < <= > >=`.
    pub fn is_comparison(self) -> bool {
        self.precedence() == 4
    }

    /// True for `and`, `or`.
    pub fn is_logical(self) -> bool {
        matches!(self, BinaryOp::And | BinaryOp::Or)
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}

/// Built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Func {
    Sum,
    Min,
    Max,
    Abs,
}

impl Func {
    /// Every function, for "did you mean" hints.
    pub const ALL: [Func; 4] = [Func::Sum, Func::Min, Func::Max, Func::Abs];

    /// The function's name.
    pub fn name(self) -> &'static str {
        match self {
            Func::Sum => "sum",
            Func::Min => "min",
            Func::Max => "max",
            Func::Abs => "abs",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A syntax error with the span it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// The offending bytes of the formula.
    pub span: Range<usize>,
    /// A hint at the fix, when there is one.
    pub help: Option<String>,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}..{}",
            self.message, self.span.start, self.span.end
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(String),
    Ident(String),
    Dot,
    Op(BinaryOp),
    Not,
    LParen,
    RParen,
    Comma,
    End,
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Num(n) => format!("number `{n}`"),
        Tok::Ident(n) => format!("name `{n}`"),
        Tok::Dot => "`.`".into(),
        Tok::Op(op) => format!("`{}`", op.symbol()),
        Tok::Not => "`not`".into(),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::End => "end of formula".into(),
    }
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Consumes the characters of a name starting at `start`; returns where it ends.
fn take_ident(chars: &mut std::iter::Peekable<std::str::CharIndices>, start: usize) -> usize {
    let mut end = start;
    while let Some(&(i, d)) = chars.peek() {
        if !is_ident_char(d) {
            break;
        }
        end = i + d.len_utf8();
        chars.next();
    }
    end
}

fn lex(src: &str) -> Result<Vec<(Tok, Range<usize>)>, SyntaxError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        // Inside a dotted path, written without spaces: `.` after a name is a dot,
        // not the start of a decimal (`age.15` is the path `age` → `15`), and a
        // segment after the dot is a key even when it starts with a digit.
        let glued = |tok: fn(&Tok) -> bool| {
            out.last()
                .is_some_and(|(t, span): &(Tok, Range<usize>)| tok(t) && span.end == start)
        };
        if c == '.' && glued(|t| matches!(t, Tok::Ident(_))) {
            chars.next();
            out.push((Tok::Dot, start..start + 1));
            continue;
        }
        if is_ident_char(c) && glued(|t| matches!(t, Tok::Dot)) {
            let end = take_ident(&mut chars, start);
            out.push((Tok::Ident(src[start..end].to_string()), start..end));
            continue;
        }
        if c.is_ascii_digit()
            || (c == '.' && src[start + 1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            let mut end = start;
            let mut seen_exp = false;
            while let Some(&(i, d)) = chars.peek() {
                let exp_sign = seen_exp
                    && (d == '-' || d == '+')
                    && matches!(src[..i].chars().last(), Some('e' | 'E'));
                if d.is_ascii_digit() || d == '.' || d == '_' || exp_sign {
                    end = i + d.len_utf8();
                    chars.next();
                } else if (d == 'e' || d == 'E') && !seen_exp {
                    seen_exp = true;
                    end = i + 1;
                    chars.next();
                } else {
                    break;
                }
            }
            let text = &src[start..end];
            if Exact::parse_decimal(text).is_none() {
                return Err(SyntaxError {
                    message: format!("`{text}` is not a number"),
                    span: start..end,
                    help: Some("write numbers as plain decimals, such as `1000` or `12.5`".into()),
                });
            }
            out.push((Tok::Num(text.to_string()), start..end));
            continue;
        }
        if is_ident_start(c) {
            let end = take_ident(&mut chars, start);
            let word = &src[start..end];
            let tok = match word {
                "and" => Tok::Op(BinaryOp::And),
                "or" => Tok::Op(BinaryOp::Or),
                "not" => Tok::Not,
                _ => Tok::Ident(word.to_string()),
            };
            out.push((tok, start..end));
            continue;
        }
        chars.next();
        let next = chars.peek().map(|&(_, d)| d);
        let two = |op| (Tok::Op(op), start..start + 2);
        let one = |tok| (tok, start..start + c.len_utf8());
        let item = match (c, next) {
            ('=', Some('=')) => two(BinaryOp::Eq),
            ('!', Some('=')) => two(BinaryOp::Ne),
            ('<', Some('=')) => two(BinaryOp::Le),
            ('>', Some('=')) => two(BinaryOp::Ge),
            ('<', _) => one(Tok::Op(BinaryOp::Lt)),
            ('>', _) => one(Tok::Op(BinaryOp::Gt)),
            ('+', _) => one(Tok::Op(BinaryOp::Add)),
            ('-', _) => one(Tok::Op(BinaryOp::Sub)),
            ('*', _) => one(Tok::Op(BinaryOp::Mul)),
            ('/', _) => one(Tok::Op(BinaryOp::Div)),
            ('(', _) => one(Tok::LParen),
            (')', _) => one(Tok::RParen),
            (',', _) => one(Tok::Comma),
            ('.', _) => one(Tok::Dot),
            _ => {
                let help = match c {
                    '=' => Some("to compare, write `==`".to_string()),
                    '&' => Some("write `and`".to_string()),
                    '|' => Some("write `or`".to_string()),
                    '!' => Some("write `not`".to_string()),
                    '×' => Some("write `*` for multiplication".to_string()),
                    '÷' => Some("write `/` for division".to_string()),
                    '（' | '）' => Some("use ASCII parentheses `(` `)`".to_string()),
                    '%' | '‰' => Some(
                        "formulas compute plain numbers: multiply by 100 or 1000 and set the unit"
                            .to_string(),
                    ),
                    _ => None,
                };
                return Err(SyntaxError {
                    message: format!("unexpected character `{c}`"),
                    span: start..start + c.len_utf8(),
                    help,
                });
            }
        };
        if item.1.len() == 2 {
            chars.next();
        }
        out.push(item);
    }
    out.push((Tok::End, src.len()..src.len()));
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    depth: usize,
}

/// Deeper nesting than this is refused instead of risking the stack.
const MAX_DEPTH: usize = 200;

/// Parses a formula or check rule.
pub fn parse(src: &str) -> Result<Expr, SyntaxError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    if p.peek() == &Tok::End {
        return Err(SyntaxError {
            message: "the formula is empty".into(),
            span: 0..src.len(),
            help: Some(
                "write an expression such as `births.total / population.total * 1000`".into(),
            ),
        });
    }
    let expr = p.expr(0)?;
    match p.peek() {
        Tok::End => Ok(expr),
        Tok::RParen => Err(p.error_here("unmatched `)`", None)),
        _ => Err(p.error_here(
            &format!("expected an operator, found {}", describe(p.peek())),
            Some("join values with `+ - * /`"),
        )),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn span(&self) -> Range<usize> {
        self.toks[self.pos].1.clone()
    }

    fn bump(&mut self) -> (Tok, Range<usize>) {
        let item = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        item
    }

    fn error_here(&self, message: &str, help: Option<&str>) -> SyntaxError {
        SyntaxError {
            message: message.to_string(),
            span: self.span(),
            help: help.map(str::to_string),
        }
    }

    /// Precedence climbing over the binary operators; `not` binds between `and` and
    /// the comparisons.
    fn expr(&mut self, min_prec: u8) -> Result<Expr, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here("the formula is nested too deeply", None));
        }
        let mut lhs = if min_prec <= 3 && self.peek() == &Tok::Not {
            let (_, start) = self.bump();
            let operand = self.expr(3)?;
            let span = start.start..operand.span.end;
            Expr {
                kind: ExprKind::Unary(UnaryOp::Not, Box::new(operand)),
                span,
            }
        } else {
            self.unary()?
        };
        while let Tok::Op(op) = *self.peek() {
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            self.bump();
            let rhs = self.expr(prec + 1)?;
            if op.is_comparison()
                && let Tok::Op(next) = self.peek()
                && next.is_comparison()
            {
                return Err(self.error_here(
                    "comparisons cannot be chained",
                    Some("join two comparisons with `and`: `a <= b and b <= c`"),
                ));
            }
            let span = lhs.span.start..rhs.span.end;
            lhs = Expr {
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                span,
            };
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        match self.peek() {
            Tok::Op(BinaryOp::Sub) | Tok::Op(BinaryOp::Add) => {
                let (tok, start) = self.bump();
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.error_here("the formula is nested too deeply", None));
                }
                let operand = self.unary()?;
                self.depth -= 1;
                if tok == Tok::Op(BinaryOp::Add) {
                    return Ok(operand);
                }
                let span = start.start..operand.span.end;
                Ok(Expr {
                    kind: ExprKind::Unary(UnaryOp::Neg, Box::new(operand)),
                    span,
                })
            }
            _ => self.atom(),
        }
    }

    fn atom(&mut self) -> Result<Expr, SyntaxError> {
        let (tok, span) = self.bump();
        match tok {
            Tok::Num(text) => {
                let value = Exact::parse_decimal(&text).ok_or_else(|| SyntaxError {
                    message: format!("`{text}` is not a number"),
                    span: span.clone(),
                    help: None,
                })?;
                Ok(Expr {
                    kind: ExprKind::Number(value, text),
                    span,
                })
            }
            Tok::Ident(first) => {
                if self.peek() == &Tok::LParen {
                    return self.call(first, span);
                }
                let mut path = vec![first];
                let mut end = span.end;
                while self.peek() == &Tok::Dot {
                    self.bump();
                    match self.bump() {
                        (Tok::Ident(seg), s) => {
                            path.push(seg);
                            end = s.end;
                        }
                        (Tok::Num(seg), s) if seg.bytes().all(|b| b.is_ascii_digit()) => {
                            // A key such as `age.15` is a valid TOML key.
                            path.push(seg);
                            end = s.end;
                        }
                        (other, s) => {
                            return Err(SyntaxError {
                                message: format!(
                                    "expected a name after `.`, found {}",
                                    describe(&other)
                                ),
                                span: s,
                                help: None,
                            });
                        }
                    }
                }
                Ok(Expr {
                    kind: ExprKind::Name(path),
                    span: span.start..end,
                })
            }
            Tok::LParen => {
                let inner = self.expr(0)?;
                match self.bump() {
                    (Tok::RParen, close) => Ok(Expr {
                        kind: inner.kind,
                        span: span.start..close.end,
                    }),
                    (_, at) => Err(SyntaxError {
                        message: "unclosed `(`".into(),
                        span: span.start..at.start.max(span.end),
                        help: Some("add the missing `)`".into()),
                    }),
                }
            }
            other => Err(SyntaxError {
                message: format!(
                    "expected a number, a name or `(`, found {}",
                    describe(&other)
                ),
                span,
                help: None,
            }),
        }
    }

    fn call(&mut self, name: String, name_span: Range<usize>) -> Result<Expr, SyntaxError> {
        let Some(func) = Func::from_name(&name) else {
            let names: Vec<&str> = Func::ALL.iter().map(|f| f.name()).collect();
            return Err(SyntaxError {
                message: format!("unknown function `{name}`"),
                span: name_span,
                help: Some(
                    match crate::suggest::nearest(&name, names.iter().copied()) {
                        Some(near) => format!(
                            "did you mean `{near}`? The functions are {}",
                            names.join(", ")
                        ),
                        None => format!("the functions are {}", names.join(", ")),
                    },
                ),
            });
        };
        self.bump(); // (
        let mut args = Vec::new();
        if self.peek() != &Tok::RParen {
            loop {
                args.push(self.expr(0)?);
                match self.peek() {
                    Tok::Comma => {
                        self.bump();
                    }
                    Tok::RParen => break,
                    _ => {
                        return Err(self.error_here(
                            &format!("expected `,` or `)`, found {}", describe(self.peek())),
                            None,
                        ));
                    }
                }
            }
        }
        let (_, close) = self.bump();
        let span = name_span.start..close.end;
        let arity_ok = match func {
            Func::Sum | Func::Abs => args.len() == 1,
            Func::Min | Func::Max => !args.is_empty(),
        };
        if !arity_ok {
            let wanted = match func {
                Func::Sum => "`sum` takes one figure table, as in `sum(births)`",
                Func::Abs => "`abs` takes one value",
                Func::Min | Func::Max => "give at least one value",
            };
            return Err(SyntaxError {
                message: format!("`{}` called with {} arguments", func.name(), args.len()),
                span,
                help: Some(wanted.into()),
            });
        }
        if func == Func::Sum && !matches!(args[0].kind, ExprKind::Name(_)) {
            return Err(SyntaxError {
                message: "the argument of `sum` must be a figure table".into(),
                span: args[0].span.clone(),
                help: Some(
                    "write `sum(births.by_order)`: it adds every number in the table".into(),
                ),
            });
        }
        Ok(Expr {
            kind: ExprKind::Call(func, args),
            span,
        })
    }
}

impl fmt::Display for Expr {
    /// Prints the expression fully parenthesised where precedence needs it, so that
    /// printing and re-parsing gives the same tree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_prec(f, 0)
    }
}

impl Expr {
    fn fmt_prec(&self, f: &mut fmt::Formatter<'_>, outer: u8) -> fmt::Result {
        match &self.kind {
            ExprKind::Number(_, text) => write!(f, "{text}"),
            ExprKind::Name(path) => write!(f, "{}", path.join(".")),
            ExprKind::Unary(UnaryOp::Neg, e) => {
                f.write_str("-")?;
                e.fmt_prec(f, 7)
            }
            ExprKind::Unary(UnaryOp::Not, e) => {
                let paren = outer > 3;
                if paren {
                    f.write_str("(")?;
                }
                f.write_str("not ")?;
                e.fmt_prec(f, 3)?;
                if paren {
                    f.write_str(")")?;
                }
                Ok(())
            }
            ExprKind::Binary(op, l, r) => {
                let prec = op.precedence();
                let paren = prec < outer;
                if paren {
                    f.write_str("(")?;
                }
                // Comparisons do not chain, so a comparison on the left of another
                // needs its parentheses; the other operators are left-associative.
                let left = if op.is_comparison() { prec + 1 } else { prec };
                l.fmt_prec(f, left)?;
                write!(f, " {} ", op.symbol())?;
                r.fmt_prec(f, prec + 1)?;
                if paren {
                    f.write_str(")")?;
                }
                Ok(())
            }
            ExprKind::Call(func, args) => {
                write!(f, "{}(", func.name())?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    a.fmt_prec(f, 0)?;
                }
                f.write_str(")")
            }
        }
    }

    /// Calls `visit` on every name in the expression with its span, and whether it is
    /// the argument of `sum` (a figure table).
    pub fn walk_names<'a>(&'a self, visit: &mut impl FnMut(&'a [String], &Range<usize>, bool)) {
        match &self.kind {
            ExprKind::Number(..) => {}
            ExprKind::Name(path) => visit(path, &self.span, false),
            ExprKind::Unary(_, e) => e.walk_names(visit),
            ExprKind::Binary(_, l, r) => {
                l.walk_names(visit);
                r.walk_names(visit);
            }
            ExprKind::Call(func, args) => {
                for a in args {
                    match (&a.kind, func) {
                        (ExprKind::Name(path), Func::Sum) => visit(path, &a.span, true),
                        _ => a.walk_names(visit),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
            ExprKind::Binary(op, l, r) => {
                ExprKind::Binary(*op, Box::new(strip(l)), Box::new(strip(r)))
            }
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
}
