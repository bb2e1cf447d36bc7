//! Diagnostics: every problem found in a project, with the file, the byte span and
//! a hint, collected rather than thrown so that one run reports all of them. They are
//! drawn by annotate-snippets (the renderer of rustc and cargo) in rustc's layout:
//! the message, `--> file:line:column` with the column in characters as editors
//! count them, the source line with the span underlined, and the help.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The output would be wrong: the build refuses to write.
    Error,
    /// Worth a look; the build goes on.
    Warning,
}

/// Index of a source file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// A file read from the project, kept for diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user (relative to the project root where possible).
    pub display: String,
    /// The file on disk.
    pub path: PathBuf,
    /// Its text.
    pub text: Arc<str>,
    /// The byte offset at which each line starts, so that a diagnostic draws its
    /// own lines without scanning the file (a file may have thousands of them).
    line_starts: Arc<[usize]>,
}

impl SourceFile {
    /// The lines holding `span`: their byte range and the number of the first
    /// (1-based).
    fn lines_of(&self, span: &Range<usize>) -> (Range<usize>, usize) {
        let line_of = |at: usize| self.line_starts.partition_point(|&s| s <= at).max(1) - 1;
        let (first, last) = (line_of(span.start), line_of(span.end.max(span.start)));
        let start = self.line_starts[first];
        let end = self
            .line_starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.text.len());
        (start..end, first + 1)
    }
}

/// Every file read while loading a project.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Registers a file and returns its id.
    pub fn add(&mut self, path: &Path, display: String, text: Arc<str>) -> FileId {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.files.push(SourceFile {
            display,
            path: path.to_path_buf(),
            text,
            line_starts,
        });
        FileId(self.files.len() - 1)
    }

    /// Lets go of a file's text once nothing can point into it any more (its
    /// year is written and no diagnostic names it), so that a build of every
    /// year does not hold the whole history's narratives to the end.
    pub fn release(&mut self, id: FileId) {
        if let Some(f) = self.files.get_mut(id.0) {
            f.text = Arc::from("");
            f.line_starts = Arc::from([0usize]);
        }
    }

    /// The file registered under this display name (`data/2006/summary.toml`).
    pub fn find(&self, display: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.display == display)
            .map(FileId)
    }

    /// A registered file.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// Byte range in the file.
    pub span: Range<usize>,
}

/// One problem.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// Where, with a short label under the span.
    pub primary: Option<(Loc, String)>,
    /// Other places in the same file worth showing.
    pub secondary: Vec<(Loc, String)>,
    /// How to fix it.
    pub help: Option<String>,
    /// A file the problem concerns when there is no span to show.
    pub file: Option<String>,
    /// An I/O failure (a file that cannot be read) rather than a mistake in the
    /// data: the command then exits with status 2, not 1.
    pub io: bool,
}

impl Diagnostic {
    /// An error.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
            file: None,
            io: false,
        }
    }

    /// A warning.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// True when it shows a span of `file`.
    pub fn points_into(&self, file: FileId) -> bool {
        self.primary
            .iter()
            .chain(&self.secondary)
            .any(|(loc, _)| loc.file == file)
    }

    /// Points at a span.
    pub fn at(mut self, loc: Loc, label: impl Into<String>) -> Self {
        self.primary = Some((loc, label.into()));
        self
    }

    /// Adds another labelled span in the same file.
    pub fn also(mut self, loc: Loc, label: impl Into<String>) -> Self {
        self.secondary.push((loc, label.into()));
        self
    }

    /// Adds a hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a hint, when there is one.
    pub fn help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Marks an I/O failure.
    pub fn io(mut self) -> Self {
        self.io = true;
        self
    }

    /// Names the file concerned when there is no span.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
}

/// The diagnostics of one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    /// In the order they were found.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// True when an error is an I/O failure.
    pub fn has_io_errors(&self) -> bool {
        self.items
            .iter()
            .any(|d| d.io && d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }

    /// Records several diagnostics.
    pub fn extend_items(&mut self, items: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(items);
    }

    /// Moves every diagnostic of `other` into this one.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when a diagnostic shows a span of `file`.
    pub fn points_into(&self, file: FileId) -> bool {
        self.items.iter().any(|d| d.points_into(file))
    }

    /// Number of distinct files the diagnostics point into.
    pub fn file_count(&self, sources: &Sources) -> usize {
        let mut files: Vec<String> = self
            .items
            .iter()
            .filter_map(|d| match (&d.primary, &d.file) {
                (Some((loc, _)), _) => Some(sources.get(loc.file).display.clone()),
                (None, Some(f)) => Some(f.clone()),
                _ => None,
            })
            .collect();
        files.sort();
        files.dedup();
        files.len()
    }

    /// Drops exact repeats (the same problem found for several years or languages).
    pub fn dedup(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.items.retain(|d| {
            let key = format!(
                "{:?}|{}|{:?}|{:?}",
                d.severity, d.message, d.primary, d.file
            );
            seen.insert(key)
        });
    }
}

/// Whether to colour diagnostics: only on a terminal, and never with `NO_COLOR` set.
pub fn use_colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Renders one diagnostic as text: header, source snippet with underline, help.
pub fn render(d: &Diagnostic, sources: &Sources, colour: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = match (&d.primary, &d.file) {
        (None, Some(file)) => format!("{file}: {}", d.message),
        _ => d.message.clone(),
    };
    let mut group = Group::with_title(level.primary_title(title));
    if let Some((loc, label)) = &d.primary {
        let file = sources.get(loc.file);
        // Keep every span inside the text and on character boundaries, so that no
        // span, however it was computed, can make the drawing fail.
        let clamp = |r: &Range<usize>| {
            let text = &file.text;
            let mut start = r.start.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = r.end.clamp(start, text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            start..end
        };
        // Only the lines the spans are on go to the drawing, so that drawing a
        // diagnostic costs its lines, not the whole file (thousands of
        // diagnostics in one large file were quadratic).
        let primary = clamp(&loc.span);
        let others: Vec<(Range<usize>, &str)> = d
            .secondary
            .iter()
            .filter(|(other, _)| other.file == loc.file)
            .map(|(other, label)| (clamp(&other.span), label.as_str()))
            .collect();
        let covering = others.iter().fold(primary.clone(), |r, (o, _)| {
            r.start.min(o.start)..r.end.max(o.end)
        });
        let (lines, first_line) = file.lines_of(&covering);
        let shift = |r: &Range<usize>| r.start - lines.start..r.end - lines.start;
        let mut snippet = Snippet::source(&file.text[lines.clone()])
            .line_start(first_line)
            .path(file.display.as_str())
            .annotation(
                AnnotationKind::Primary
                    .span(shift(&primary))
                    .label(Some(label.as_str()).filter(|l| !l.is_empty())),
            );
        for (span, label) in others {
            snippet = snippet.annotation(AnnotationKind::Context.span(shift(&span)).label(label));
        }
        group = group.element(snippet);
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // A blank line after each, as rustc leaves one, so that a list of them reads.
    let mut out = renderer.term_width(100).render(&[group]);
    out.push_str("\n\n");
    out
}

/// Every diagnostic as text, in order; warnings are left out when `errors_only`.
pub fn render_list(
    diags: &Diagnostics,
    sources: &Sources,
    errors_only: bool,
    colour: bool,
) -> String {
    diags
        .items
        .iter()
        .filter(|d| !errors_only || d.severity == Severity::Error)
        .map(|d| render(d, sources, colour))
        .collect()
}

/// The closing line of `check`: `2 errors, 3 warnings in 4 files`.
pub fn summary_line(diags: &Diagnostics, sources: &Sources) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut line = format!(
        "{}, {}",
        plural(diags.errors(), "error"),
        plural(diags.warnings(), "warning")
    );
    let files = diags.file_count(sources);
    if files > 0 {
        let _ = write!(line, " in {}", plural(files, "file"));
    }
    line
}
