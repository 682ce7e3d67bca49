//! A bundle of output files written as one: `report`'s `report.md`, `result.json` and
//! `charts/`, `chart`'s `charts/`.
//!
//! [`Bundle::open`] creates the folder, takes its lock (`lock.rs`: a second writer stops with
//! an error) and an empty staging folder inside it, `.faultline-staging/`. Every file is
//! written there ([`Bundle::write`]); only when all are written does [`Bundle::commit`] rename
//! them into place, in the order written (`report` writes report.md last), then remove the
//! staging folder and the lock. So a run that fails, or is stopped while it simulates or draws,
//! leaves the files of the folder as they were; the next writer clears what it left (a stale
//! lock, the staging folder). The renames take microseconds: a run killed during them leaves
//! its lock behind, which marks the folder as part-written until the next run rewrites it.
//!
//! Decisions:
//! - The bundle is swapped in file by file, not as one folder renamed over the old: the folder
//!   may be the user's own (`--out .`), and `reports/<scenario>/` also holds `check`'s
//!   `baseline.json`. For the same reason files the bundle does not write (the charts of a
//!   design since renamed, the user's) are left alone.
//! - Before anything is renamed, every place a file goes is checked: a symbolic link there (or
//!   at `charts/`) or a folder where a file goes stops the commit with an error naming it, and
//!   nothing is changed. The entries known before a run (passed to `open`) are checked before
//!   it runs.
//! - Files are flushed to disk before they are renamed, so a crash of the machine cannot leave
//!   a renamed file empty.

use std::collections::BTreeSet;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::atomic::{create, refuse_link};
use super::lock::Lock;

/// The staging folder's name inside the bundle's folder.
pub const STAGING: &str = ".faultline-staging";

/// A locked output folder and the files staged for it.
pub struct Bundle {
    dir: PathBuf,
    staging: PathBuf,
    staged: Vec<String>,
    // Dropped after `Drop::drop` has removed the staging folder.
    _lock: Lock,
}

impl Bundle {
    /// Creates and locks `dir`, after checking that none of `entries` (paths relative to it)
    /// is a symbolic link.
    pub fn open(dir: &Path, entries: &[&str]) -> Result<Bundle, String> {
        super::paths::create_dir(dir)?;
        for entry in entries {
            refuse_link(&dir.join(entry))?;
        }
        let lock = Lock::acquire(dir)?;
        let staging = dir.join(STAGING);
        // Left by an interrupted run: the lock makes it ours.
        let cleared = match fs::symlink_metadata(&staging) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(&staging),
            Ok(_) => fs::remove_file(&staging),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        };
        cleared
            .and_then(|()| fs::create_dir(&staging))
            .map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
        Ok(Bundle { dir: dir.to_path_buf(), staging, staged: Vec::new(), _lock: lock })
    }

    /// Stages the file `name` (relative: `result.json`, `charts/rto.png`; written once).
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.staging.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        create(&path, bytes)?;
        self.staged.push(name.to_string());
        Ok(())
    }

    /// Renames every staged file into place, after checking that each can go there.
    pub fn commit(self) -> Result<(), String> {
        let folders: BTreeSet<&Path> = self
            .staged
            .iter()
            .filter_map(|n| Path::new(n).parent())
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        for folder in &folders {
            let path = self.dir.join(folder);
            refuse_link(&path)?;
            if let Some(o) = super::paths::obstacle(&path, true) {
                return Err(format!("cannot create {}: {}\n  = hint: {}", path.display(), o.what, o.hint));
            }
        }
        for name in &self.staged {
            let path = self.dir.join(name);
            refuse_link(&path)?;
            if path.is_dir() {
                return Err(format!(
                    "cannot write {}: a folder is in the way\n  = hint: remove or rename it",
                    path.display()
                ));
            }
        }
        for folder in &folders {
            let path = self.dir.join(folder);
            fs::create_dir_all(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        }
        for name in &self.staged {
            let path = self.dir.join(name);
            fs::rename(self.staging.join(name), &path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(())
    }
}

impl Drop for Bundle {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}
