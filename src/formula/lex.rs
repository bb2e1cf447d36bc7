//! The formula lexer: text to tokens with their byte spans.

use std::ops::Range;

use super::{BinaryOp, SyntaxError};
use crate::exact::{Exact, NumberError};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
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

pub(super) fn describe(tok: &Tok) -> String {
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

pub(super) fn lex(src: &str) -> Result<Vec<(Tok, Range<usize>)>, SyntaxError> {
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
            match Exact::read_decimal(text) {
                Ok(_) => {}
                Err(NumberError::Invalid) => {
                    return Err(SyntaxError {
                        message: format!("`{text}` is not a number"),
                        span: start..end,
                        help: Some(
                            "write numbers as plain decimals, such as `1000` or `12.5`".into(),
                        ),
                    });
                }
                Err(NumberError::TooLarge) => {
                    return Err(SyntaxError {
                        message: "this number has too many digits to compute with".into(),
                        span: start..end,
                        help: Some(crate::exact::LIMIT_HELP.into()),
                    });
                }
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
