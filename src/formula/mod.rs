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

mod lex;
mod parse;

pub use parse::parse;

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
    /// `a == b`, and the other comparisons (which do not chain).
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `a + b - c`, `a * b / c`, `a and b and c`, `a or b`: the first operand, then
    /// each operator of one precedence with its operand, evaluated left to right.
    /// A chain is one node however long, so that the depth of a tree is the nesting
    /// of its parentheses (which the parser caps), never the number of terms: a
    /// 100,000-term sum is evaluated, checked and printed without deep recursion.
    Chain(Box<Expr>, Vec<(BinaryOp, Expr)>),
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
    pub(crate) fn precedence(self) -> u8 {
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

    pub(crate) fn from_name(name: &str) -> Option<Self> {
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
                // Comparisons do not chain, so a comparison on either side of another
                // needs its parentheses.
                l.fmt_prec(f, prec + 1)?;
                write!(f, " {} ", op.symbol())?;
                r.fmt_prec(f, prec + 1)?;
                if paren {
                    f.write_str(")")?;
                }
                Ok(())
            }
            ExprKind::Chain(first, rest) => {
                let prec = rest.first().map_or(outer, |(op, _)| op.precedence());
                let paren = prec < outer;
                if paren {
                    f.write_str("(")?;
                }
                // A chain of the same precedence as its first operand came from
                // parentheses, `(a + b) + c`: print them, so that the text parses
                // back into the same tree rather than into one longer chain.
                first.fmt_prec(f, prec + 1)?;
                for (op, e) in rest {
                    write!(f, " {} ", op.symbol())?;
                    e.fmt_prec(f, prec + 1)?;
                }
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
            ExprKind::Chain(first, rest) => {
                first.walk_names(visit);
                for (_, e) in rest {
                    e.walk_names(visit);
                }
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
mod tests;
