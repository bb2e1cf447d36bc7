//! The formula parser: precedence climbing over the tokens of [`super::lex`].

use std::ops::Range;

use super::lex::{Tok, describe, lex};
use super::{BinaryOp, Expr, ExprKind, Func, SyntaxError, UnaryOp};
use crate::exact::Exact;

struct Parser {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    depth: usize,
}

/// Deeper nesting than this is refused instead of risking the stack.
const MAX_DEPTH: usize = 200;

/// `first` followed by the operators and operands of `chain` (emptied), as one
/// node; `first` alone when the chain is empty.
fn close_chain(first: Expr, chain: &mut Vec<(BinaryOp, Expr)>) -> Expr {
    let Some((_, last)) = chain.last() else {
        return first;
    };
    let span = first.span.start..last.span.end;
    Expr {
        kind: ExprKind::Chain(Box::new(first), std::mem::take(chain)),
        span,
    }
}

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
        // Operators of one precedence in a row become one `Chain` node (the loop
        // never recurses for them), so that a long formula is a wide tree, not a
        // deep one. Within one loop the precedence never rises (a tighter operator
        // is taken by the recursive call for the right operand), so a new chain
        // starts when it falls, with the chain so far as its first operand.
        let mut chain: Vec<(BinaryOp, Expr)> = Vec::new();
        while let Tok::Op(op) = *self.peek() {
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            self.bump();
            let rhs = self.expr(prec + 1)?;
            if op.is_comparison() {
                if let Tok::Op(next) = self.peek()
                    && next.is_comparison()
                {
                    return Err(self.error_here(
                        "comparisons cannot be chained",
                        Some("join two comparisons with `and`: `a <= b and b <= c`"),
                    ));
                }
                lhs = close_chain(lhs, &mut chain);
                let span = lhs.span.start..rhs.span.end;
                lhs = Expr {
                    kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                    span,
                };
                continue;
            }
            if chain.first().is_some_and(|(o, _)| o.precedence() != prec) {
                lhs = close_chain(lhs, &mut chain);
            }
            chain.push((op, rhs));
        }
        let lhs = close_chain(lhs, &mut chain);
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
