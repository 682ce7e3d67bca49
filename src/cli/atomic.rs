//! Files replaced whole, never through a link.
//!
//! [`write`] writes a file into a temporary file beside it (`.<name>.<pid>.tmp`, made with
//! `create_new`, so it is never an existing file or link), flushes it to disk and renames it
//! over the old file. A reader sees the old file or the new, never a part; a failed write (a
//! full disk) removes the temporary file and leaves the old file as it was. `check
//! --update-baseline` writes its baseline so; `report` and `chart` stage whole bundles
//! (`bundle.rs`) and rename them in.
//!
//! An output path that is a symbolic link is refused ([`refuse_link`]) rather than followed or
//! replaced: a link planted in an output folder would otherwise send the bytes elsewhere. The
//! folder a user names (`--out DIR`, `--baseline DIR`) may itself be a link; the entries
//! faultline writes inside it (a scenario's folder, `charts/`, each file) may not.

use std::fs;
use std::io::{ErrorKind, Write as _};
use std::path::Path;

/// An error if `path` is a symbolic link (a missing path is fine).
pub fn refuse_link(path: &Path) -> Result<(), String> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(format!(
            "{} is a symbolic link: faultline writes no output through a link\n  = hint: remove the link, or choose another output folder",
            path.display()
        )),
        _ => Ok(()),
    }
}

/// Writes `bytes` to a new file at `path` (its parent exists; a file there is an error):
/// written, flushed to disk, removed again on failure.
pub fn create(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()));
    written.map_err(|e| {
        if e.kind() != ErrorKind::AlreadyExists {
            let _ = fs::remove_file(path);
        }
        format!("cannot write {}: {e}", path.display())
    })
}

/// Replaces the file at `path` (its parent exists) with `bytes`, whole: see the module doc.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    refuse_link(path)?;
    let name = path.file_name().map_or_else(Default::default, |n| n.to_string_lossy());
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    // Left by a killed run of a process with this id: ours to replace.
    let _ = fs::remove_file(&temporary);
    create(&temporary, bytes)?;
    fs::rename(&temporary, path).map_err(|e| {
        let _ = fs::remove_file(&temporary);
        format!("cannot write {}: {e}", path.display())
    })
}
