//! Reading the project from disk without hanging: every input is read through
//! [`read_regular`], which reads regular files only (a symlink to one is fine)
//! and at most [`MAX_INPUT`] bytes, and folders are walked by [`walk`], which
//! never follows a link into a folder it has been through.
//!
//! Without these, a FIFO where `summary.toml` belongs blocked the build for
//! ever on `open`, a link to `/dev/zero` ate memory until the process died, and
//! two links `templates/a -> .` and `templates/b -> .` sent the walk of
//! `templates/` round in circles.

use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest input file read: 16 MiB, far beyond any figures file or
/// template (the example project's largest is 20 KiB).
pub const MAX_INPUT: u64 = 16 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Nothing there.
    NotFound,
    /// A link to something that is not there.
    BrokenLink(PathBuf),
    /// A folder.
    Folder,
    /// Something that is neither a file nor a folder: a FIFO, a device, a socket.
    NotAFile(&'static str),
    /// Larger than the limit.
    TooLarge(u64),
    /// The system refused (permissions and the like).
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("there is no such file"),
            ReadError::BrokenLink(target) => write!(
                f,
                "it is a link to {}, which does not exist",
                target.display()
            ),
            ReadError::Folder => f.write_str("it is a folder, not a file"),
            ReadError::NotAFile(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge(limit) => write!(
                f,
                "it is larger than {} MiB, the most nianbao reads of one file",
                limit / (1024 * 1024)
            ),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// What a file that is not a regular file or a folder is, in words.
fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = t;
    "a special file"
}

/// Opens `path` for reading without blocking: opening a FIFO waits for a writer,
/// for ever if none comes, unless asked not to.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The bytes of `path`, when it is a regular file (or a link to one) of at most
/// `limit` bytes. The type is checked on the opened file, so that nothing can
/// swap it between the check and the read.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => match std::fs::read_link(path) {
            Ok(target) => ReadError::BrokenLink(target),
            Err(_) => ReadError::NotFound,
        },
        _ if path.is_dir() => ReadError::Folder,
        _ => ReadError::Io(e),
    })?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if meta.is_dir() {
        return Err(ReadError::Folder);
    }
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind_of(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    // The length can change while reading (a file being written): read one byte
    // past the limit to tell.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// [`read_regular`] with [`MAX_INPUT`], as UTF-8 text (for files that are read
/// whole by a command, such as last year's figures for `new-year`).
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let bytes = read_regular(path, MAX_INPUT)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("it is not UTF-8 text ({})", e.utf8_error()),
        ))
    })
}

/// What [`walk`] found under a folder.
#[derive(Debug, Default)]
pub struct Walk {
    /// Every entry that is not a folder (files, and anything else: reading
    /// decides what to make of it), in no set order.
    pub files: Vec<PathBuf>,
    /// Every folder walked, the top one included.
    pub dirs: Vec<PathBuf>,
    /// Links to a folder that contains them (`a -> .`, `b -> ..`): not followed.
    pub loops: Vec<PathBuf>,
    /// Folders that could not be listed, and why: their files are not in
    /// [`Walk::files`], which must not pass for an empty folder (an unreadable
    /// `templates/` silently gave the built-in templates).
    pub unreadable: Vec<(PathBuf, std::io::Error)>,
}

/// The identity of a folder: device and inode where there are such things, else
/// its canonical path.
fn identity(path: &Path) -> Option<(u64, u64, PathBuf)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino(), PathBuf::new()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0, std::fs::canonicalize(path).ok()?))
    }
}

/// Walks the folder `dir` and its subfolders, following links, but into each
/// folder once only: a link back into a folder already walked is not followed
/// (and is listed in [`Walk::loops`] when it leads to a folder that contains
/// it), so that the walk always ends.
pub fn walk(dir: &Path) -> Walk {
    let mut out = Walk::default();
    let mut seen = HashSet::new();
    let Some(top) = identity(dir) else {
        return out;
    };
    seen.insert(top);
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            // A file, or gone since: not a folder that hides its files.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotADirectory | std::io::ErrorKind::NotFound
                ) =>
            {
                continue;
            }
            Err(e) => {
                out.unreadable.push((current, e));
                continue;
            }
        };
        out.dirs.push(current.clone());
        for entry in entries.flatten() {
            let path = entry.path();
            // `metadata` follows a link: a link to a folder is walked as one.
            let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
            if !is_dir {
                out.files.push(path);
                continue;
            }
            match identity(&path) {
                Some(id) if !seen.contains(&id) => {
                    seen.insert(id);
                    pending.push(path);
                }
                Some(_) => {
                    let linked = entry.file_type().is_ok_and(|t| t.is_symlink());
                    let into_ancestor = std::fs::canonicalize(&path)
                        .ok()
                        .zip(std::fs::canonicalize(&current).ok())
                        .is_some_and(|(target, here)| here.starts_with(target));
                    if linked && into_ancestor {
                        out.loops.push(path);
                    }
                }
                None => {}
            }
        }
    }
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_in_a_circle_are_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("templates");
        std::fs::create_dir_all(t.join("partials")).unwrap();
        std::fs::write(t.join("report.md"), "x").unwrap();
        std::fs::write(t.join("partials/table.md"), "y").unwrap();
        std::os::unix::fs::symlink(".", t.join("a")).unwrap();
        std::os::unix::fs::symlink(".", t.join("b")).unwrap();
        std::os::unix::fs::symlink("..", t.join("partials/up")).unwrap();
        let mut w = walk(&t);
        w.files.sort();
        w.loops.sort();
        assert_eq!(w.files, [t.join("partials/table.md"), t.join("report.md")]);
        assert_eq!(w.loops, [t.join("a"), t.join("b"), t.join("partials/up")]);
    }

    #[test]
    fn only_regular_files_are_read_and_only_so_much() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid, NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(
            matches!(read_regular(&fifo, 10), Err(ReadError::NotAFile(k)) if k.contains("FIFO"))
        );
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10),
            Err(ReadError::NotAFile(_))
        ));
        let link = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            read_regular(&link, 10),
            Err(ReadError::NotAFile(_))
        ));
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 11]).unwrap();
        assert!(matches!(
            read_regular(&big, 10),
            Err(ReadError::TooLarge(10))
        ));
        assert_eq!(read_regular(&big, 11).unwrap().len(), 11);
        assert!(matches!(
            read_regular(dir.path(), 10),
            Err(ReadError::Folder)
        ));
        assert!(matches!(
            read_regular(&dir.path().join("none"), 10),
            Err(ReadError::NotFound)
        ));
    }
}
