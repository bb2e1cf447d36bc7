//! Bounds on what one render may cost, so that a short text cannot take the
//! process down: a narrative text is a template, and two nested loops of
//! `range(end=100000)` ask for ten billion iterations and as many bytes.
//!
//! - **Output**: Tera 2 renders into any [`Write`] (`render_to`, `render_str_to`);
//!   we hand it a buffer that refuses to grow past a limit, and Tera stops at the
//!   first write it refuses. A text and a whole edition's `report.md` each get at
//!   most [`MAX_RENDERED`].
//! - **Loops that write nothing**: the output bound cannot stop them, so `range`
//!   is replaced by one drawing on a budget of [`MAX_RANGE_STEPS`] numbers per
//!   render (nested loops call it once per outer iteration, so the budget bounds
//!   the iterations of every `range` loop of the render together).
//!
//! What is not bounded: a value built up inside one render without writing it
//! (`{% set x = x ~ x %}`, repeated) grows in memory; Tera 2.4 has no hook on its
//! string operations, and bounding that would take rendering in a child process
//! with a memory limit.

use std::cell::Cell;
use std::io::{self, Write};

use tera::{Error, Kwargs, State, TeraResult};

/// The most one narrative text, or one edition's `report.md`, may render to: 10
/// MiB, some hundred times a long report.
pub const MAX_RENDERED: usize = 10 * 1024 * 1024;

/// The most numbers `range` may produce in one render, all calls together.
pub const MAX_RANGE_STEPS: u64 = 1_000_000;

/// A render that stopped because it went past a bound.
#[derive(Debug)]
pub enum Stopped {
    /// The output went past `limit` bytes.
    TooLong {
        /// The limit it went past.
        limit: usize,
    },
    /// Tera's own error (the `range` budget is one: a located template error).
    Tera(Error),
}

thread_local! {
    /// The `range` numbers left to the render running on this thread. Renders run
    /// on one thread each (the workers of `pipeline::par_map`), start to end.
    static RANGE_LEFT: Cell<u64> = const { Cell::new(MAX_RANGE_STEPS) };
}

/// A buffer that refuses any write that would take it past `limit` bytes. A write
/// is taken whole or not at all, so the bytes kept are always valid UTF-8.
struct Capped {
    buf: Vec<u8>,
    limit: usize,
    over: bool,
}

impl Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.buf.len() + bytes.len() > self.limit {
            self.over = true;
            return Err(io::Error::other("the rendered text is over its size limit"));
        }
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs `render` into a buffer of at most `limit` bytes, with a fresh `range`
/// budget, and returns the text.
pub fn render(
    limit: usize,
    render: impl FnOnce(&mut dyn Write) -> TeraResult<()>,
) -> Result<String, Stopped> {
    let mut out = Capped {
        buf: Vec::new(),
        limit,
        over: false,
    };
    RANGE_LEFT.with(|left| left.set(MAX_RANGE_STEPS));
    let result = render(&mut out);
    if out.over {
        return Err(Stopped::TooLong { limit });
    }
    result.map_err(Stopped::Tera)?;
    Ok(String::from_utf8(out.buf)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// `range(end=…, start=0, step_by=1)`, as Tera's own, drawing on the render's
/// budget of [`MAX_RANGE_STEPS`] numbers.
pub fn range(kwargs: Kwargs, _: &State) -> TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step_by = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step_by == 0 {
        return Err(Error::message(
            "Function `range` was called with a `step_by` argument of 0",
        ));
    }
    if start > end && step_by > 0 {
        return Err(Error::message(
            "Function `range` was called with a `start` argument greater than the `end` one",
        ));
    }
    let overflow =
        || Error::message("Function `range` was called with arguments that overflow i128");
    let (span, step) = if step_by > 0 {
        (end.checked_sub(start), step_by)
    } else {
        (
            start.checked_sub(end),
            step_by.checked_neg().ok_or_else(overflow)?,
        )
    };
    let span = span.ok_or_else(overflow)?.max(0);
    let len = span.checked_add(step - 1).ok_or_else(overflow)? / step;
    let left = RANGE_LEFT.with(Cell::get);
    if len > i128::from(left) {
        return Err(Error::message(format!(
            "`range` would produce {len} numbers, past the budget of {MAX_RANGE_STEPS} \
             that the loops of one text or report share (nested loops multiply)"
        )));
    }
    // `len` is at most MAX_RANGE_STEPS here.
    let len = len as u64;
    RANGE_LEFT.with(|l| l.set(left - len));
    Ok((0..len as i128).map(|i| start + i * step_by).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> tera::Tera {
        let mut tera = tera::Tera::new();
        tera.register_function("range", range);
        tera
    }

    fn run(src: &str, limit: usize) -> Result<String, Stopped> {
        let tera = engine();
        let ctx = tera::Context::new();
        render(limit, |w| tera.render_str_to(src, &ctx, false, w))
    }

    #[test]
    fn range_works_as_tera_s_own() {
        let out = run(
            "{% for i in range(end=3) %}{{ i }}{% endfor %}|\
             {% for i in range(start=5, end=0, step_by=-2) %}{{ i }}{% endfor %}|\
             {% for i in range(start=1, end=8, step_by=3) %}{{ i }}{% endfor %}|\
             {% for i in range(start=4, end=4) %}{{ i }}{% endfor %}",
            1000,
        )
        .unwrap();
        assert_eq!(out, "012|531|147|");
        assert!(matches!(
            run("{{ range(end=1, step_by=0) }}", 1000),
            Err(Stopped::Tera(_))
        ));
        assert!(matches!(
            run("{{ range(start=3, end=1) }}", 1000),
            Err(Stopped::Tera(_))
        ));
    }

    /// Issue 11, item 4: nested loops that write a byte each stop at the output
    /// limit; loops that write nothing stop when the range budget is spent.
    #[test]
    fn nested_loops_stop_at_a_bound() {
        let writes = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}";
        assert!(matches!(
            run(writes, 4096),
            Err(Stopped::TooLong { limit: 4096 })
        ));
        let silent = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}";
        match run(silent, 4096) {
            Err(Stopped::Tera(e)) => {
                assert!(e.to_string().contains("nested loops multiply"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        // Each render has a budget of its own.
        assert_eq!(run("{{ range(end=3) | length }}", 100).unwrap(), "3");
    }
}
