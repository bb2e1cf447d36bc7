//! Reading from disk for the load stage: a file as UTF-8 text, whether a path is
//! there, what a folder holds, and files that stand where folders belong. Every I/O
//! problem (a folder where a file belongs, a broken link, a file too large, bytes
//! that are not UTF-8) becomes a diagnostic.

use std::path::Path;
use std::sync::Arc;

use super::{Loader, year_of};
use crate::diag::{Diagnostic, FileId, Loc};
use crate::fs::ReadError;

/// One listing of `data/`, each entry's kind with links followed. A load reads
/// the folder once: it was listed five times (the years twice, files named like
/// years, broken links, folders that are not years), 2,000 entries at 400 years.
#[derive(Debug, Clone, Default)]
pub struct DataDir {
    entries: Vec<DataEntry>,
}

#[derive(Debug, Clone)]
struct DataEntry {
    name: String,
    kind: EntryKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum EntryKind {
    Folder,
    File,
    /// A link to nothing, and what it points to.
    Broken(std::path::PathBuf),
    /// Anything else (a socket, a FIFO, an entry whose type cannot be read).
    Other,
}

impl DataDir {
    /// Lists `root/data`; nothing when it cannot be listed (the caller says why,
    /// see [`super::why_no_years`]).
    pub fn read(root: &Path) -> DataDir {
        let Ok(entries) = std::fs::read_dir(root.join("data")) else {
            return DataDir::default();
        };
        let entries = entries
            .flatten()
            .map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let kind = match followed_type(&entry) {
                    Some(t) if t.is_dir() => EntryKind::Folder,
                    Some(t) if t.is_file() => EntryKind::File,
                    Some(_) => EntryKind::Other,
                    None if entry.file_type().is_ok_and(|t| t.is_symlink()) => {
                        EntryKind::Broken(std::fs::read_link(entry.path()).unwrap_or_default())
                    }
                    None => EntryKind::Other,
                };
                DataEntry { name, kind }
            })
            .collect();
        DataDir { entries }
    }

    /// The years: folders named as [`super::year_of`] says, in order.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.folders().filter_map(super::year_of).collect();
        years.sort_unstable();
        years
    }

    /// The names of the folders (links to folders included).
    pub(super) fn folders(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.kind == EntryKind::Folder)
            .map(|e| e.name.as_str())
    }

    /// The names of the files (links to files included).
    pub(super) fn files(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.kind == EntryKind::File)
            .map(|e| e.name.as_str())
    }

    /// The links that lead nowhere, with what each points to.
    fn broken_links(&self) -> impl Iterator<Item = (&str, &Path)> {
        self.entries.iter().filter_map(|e| match &e.kind {
            EntryKind::Broken(target) => Some((e.name.as_str(), target.as_path())),
            _ => None,
        })
    }
}

/// Whether anything stands at `path`: a link to nothing does, and reading it
/// says so (a dangling `targets.toml` was taken for no targets at all).
/// A path that cannot even be looked at (a folder on the way is unreadable)
/// counts as there too: reading it then says why (an audit: an unreadable year
/// folder read "has no figures.toml" and advised `new-year`).
pub(super) fn present(path: &Path) -> bool {
    match path.symlink_metadata() {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::NotFound,
    }
}

/// The type of what a folder entry names, a link followed. The entry's own type
/// costs no system call; only a link gets a stat (one per entry was 200 system
/// calls for a 50-year project's four listings of `data/`).
fn followed_type(entry: &std::fs::DirEntry) -> Option<std::fs::FileType> {
    match entry.file_type() {
        Ok(t) if !t.is_symlink() => Some(t),
        _ => std::fs::metadata(entry.path()).ok().map(|m| m.file_type()),
    }
}

impl Loader {
    pub(super) fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    }

    /// Reads a file as UTF-8 text; problems become diagnostics.
    pub(super) fn read(&mut self, path: &Path) -> Option<(FileId, Arc<str>)> {
        let display = self.display(path);
        // Regular files only, and not too large: a FIFO would block the build for
        // ever and a link to /dev/zero fill the memory.
        let bytes = match crate::fs::read_regular(path, crate::fs::MAX_INPUT) {
            Ok(b) => b,
            Err(ReadError::Folder) => {
                self.diags.push(
                    Diagnostic::error("a folder stands where a file belongs")
                        .in_file(display)
                        .help("remove the folder or rename it"),
                );
                return None;
            }
            Err(e) => {
                let help = match e {
                    ReadError::NotAFile(_) => {
                        "nianbao reads regular files only (a link to one is fine): put the file itself here"
                    }
                    ReadError::TooLarge(_) => {
                        "check that this is the file meant to be here; no figures file or template comes near that size"
                    }
                    ReadError::BrokenLink(_) => {
                        "restore what the link points to, or put the file itself here"
                    }
                    _ => "check the file's permissions",
                };
                self.diags.push(
                    Diagnostic::error(format!("cannot read the file: {e}"))
                        .in_file(display)
                        .help(help)
                        .io(),
                );
                return None;
            }
        };
        let text: Arc<str> = match String::from_utf8(bytes) {
            Ok(t) => Arc::from(t.strip_prefix('\u{feff}').unwrap_or(&t)),
            Err(e) => {
                // Keep the file (invalid bytes replaced) so that the error can show the
                // line; the bytes before the first invalid one are unchanged, so the
                // offset holds in the replaced text too.
                let at = e.utf8_error().valid_up_to();
                let bad = e.as_bytes().get(at).copied().unwrap_or(0);
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let width = lossy[at..].chars().next().map_or(0, char::len_utf8);
                let (gbk, utf16) = (
                    "save it as UTF-8; a file saved as GBK or GB18030 can be converted with `iconv -f GB18030 -t UTF-8`",
                    "save it as UTF-8: it looks like UTF-16, which some Windows editors call \"Unicode\"",
                );
                let help = if e.as_bytes().starts_with(&[0xff, 0xfe])
                    || e.as_bytes().starts_with(&[0xfe, 0xff])
                {
                    utf16
                } else {
                    gbk
                };
                let id = self.sources.add(path, display, Arc::from(lossy));
                self.diags.push(
                    Diagnostic::error(format!(
                        "the file is not UTF-8 text: byte 0x{bad:02X} at offset {at} cannot be read"
                    ))
                    .at(
                        Loc {
                            file: id,
                            span: at..at + width,
                        },
                        "not UTF-8",
                    )
                    .help(help),
                );
                return None;
            }
        };
        let id = self.sources.add(path, display, text.clone());
        Some((id, text))
    }

    pub(super) fn optional(&mut self, path: &Path) -> Option<(FileId, Arc<str>)> {
        if present(path) { self.read(path) } else { None }
    }

    /// A file named like a year in `data/`, or a file named `templates`, stands where
    /// a folder belongs: it would otherwise be passed over without a word.
    pub(super) fn files_where_folders_belong(&mut self, data: &DataDir) {
        let mut found: Vec<(String, String)> = data
            .files()
            .filter(|name| name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit()))
            .map(|name| {
                (
                    format!("data/{name}"),
                    format!("a year is a folder: data/{name}/figures.toml"),
                )
            })
            .collect();
        // A link named like a year that leads nowhere: the year would be left
        // out without a word (found by an audit).
        let mut broken: Vec<(&str, &Path)> = data
            .broken_links()
            .filter(|(name, _)| year_of(name).is_some())
            .collect();
        broken.sort();
        for (name, target) in broken {
            self.diags.push(
                Diagnostic::error(format!(
                    "cannot read the year folder: it is a link to {}, which does not exist",
                    target.display()
                ))
                .in_file(format!("data/{name}"))
                .help("restore what the link points to, or remove the link")
                .io(),
            );
        }
        if self.root.join("templates").is_file() {
            found.push((
                "templates".to_string(),
                "templates/ is a folder of template files".to_string(),
            ));
        }
        found.sort();
        for (file, help) in found {
            self.diags.push(
                Diagnostic::error("a file stands where a folder belongs")
                    .in_file(file)
                    .help(help),
            );
        }
    }
}
