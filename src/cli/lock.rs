//! One writer per output folder: the lock file `.faultline.lock`.
//!
//! `report` and `chart` create `DIR/.faultline.lock` with `create_new` (which fails when any
//! entry of that name exists, a link included) before they write into `DIR`, and remove it
//! when done; a second writer finds it and stops with an error saying who holds it and how to
//! remove it. The file holds the writer's process id (`pid: N`) and, on Linux, its start time
//! (`start: T`, field 22 of `/proc/<pid>/stat`), so that a reused process id is not taken for
//! the writer.
//!
//! A lock left behind by a writer that was killed is taken over: when `/proc` shows that the
//! process is gone (or is another process, or a zombie), the new writer says so on stderr,
//! removes the lock and takes its own. Taking over is guarded by a second file,
//! `.faultline.lock.break`, also made with `create_new`, under which the lock is read again
//! before it is removed; so of two writers that find one stale lock, one takes it and the
//! other finds the new one. Decisions where nothing can be told are conservative: without
//! `/proc` (not Linux), with a lock that names no process (its writer is between creating and
//! filling it), or with a guard left by a killed writer, the lock is respected and the error
//! says which file to remove. A lock on a folder shared between machines names a process of
//! another machine: it is judged on this one, so it may be taken for stale.

use std::fs;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use super::output;

/// The lock file's name inside the folder it locks.
pub const LOCK: &str = ".faultline.lock";
/// The guard held while a stale lock is removed.
const BREAK: &str = ".faultline.lock.break";

/// A held lock; dropping it removes the file.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

/// The writer a lock file names.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Holder {
    pid: u32,
    start: Option<u64>,
}

impl Lock {
    /// Takes the lock of `dir` (which exists), taking over a stale one (said on stderr).
    pub fn acquire(dir: &Path) -> Result<Lock, String> {
        let path = dir.join(LOCK);
        if let Some(lock) = create(&path)? {
            return Ok(lock);
        }
        let Some(holder) = read(&path) else { return Err(locked(dir, &path)) };
        match running(&holder) {
            Some(true) => Err(format!(
                "{} is being written by another faultline (process {})\n  = hint: wait until it ends, or write elsewhere with --out; if no faultline is running, remove {}",
                dir.display(),
                holder.pid,
                path.display()
            )),
            None => Err(locked(dir, &path)),
            Some(false) => {
                remove_stale(dir, &path, &holder)?;
                let lock = create(&path)?.ok_or_else(|| locked(dir, &path))?;
                output::stderr(&format!(
                    "warning: {}: an earlier write by process {} was interrupted; its lock is removed and the files are written afresh\n",
                    dir.display(),
                    holder.pid
                ));
                Ok(lock)
            }
        }
    }
}

/// Creates the lock file at `path` naming this process; `None` when one exists.
fn create(path: &Path) -> Result<Option<Lock>, String> {
    match fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut file) => {
            let lock = Lock { path: path.to_path_buf() };
            file.write_all(own().as_bytes())
                .map_err(|e| format!("cannot write the lock {}: {e}", path.display()))?;
            Ok(Some(lock))
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(format!("cannot create the lock {}: {e}", path.display())),
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// The error for a lock whose writer cannot be judged.
fn locked(dir: &Path, path: &Path) -> String {
    let guard = dir.join(BREAK);
    let also = if fs::symlink_metadata(&guard).is_ok() {
        format!(" and {}", guard.display())
    } else {
        String::new()
    };
    format!(
        "{} is locked by {}: another faultline may be writing there\n  = hint: if no faultline is running, remove {}{also} and run again",
        dir.display(),
        path.display(),
        path.display(),
    )
}

/// Removes the lock at `path` if it still names `holder`, under the guard file.
fn remove_stale(dir: &Path, path: &Path, holder: &Holder) -> Result<(), String> {
    let guard = dir.join(BREAK);
    if fs::OpenOptions::new().write(true).create_new(true).open(&guard).is_err() {
        return Err(locked(dir, path));
    }
    let removed = if read(path).as_ref() == Some(holder) { fs::remove_file(path) } else { Ok(()) };
    let _ = fs::remove_file(&guard);
    removed.map_err(|e| format!("cannot remove the stale lock {}: {e}", path.display()))
}

/// What this process writes into its lock.
fn own() -> String {
    let pid = std::process::id();
    match start_time(&fs::read_to_string("/proc/self/stat").unwrap_or_default()) {
        Some(start) => format!("pid: {pid}\nstart: {start}\n"),
        None => format!("pid: {pid}\n"),
    }
}

/// The holder a lock file names; `None` when it cannot be read or names no process.
fn read(path: &Path) -> Option<Holder> {
    parse(&fs::read_to_string(path).ok()?)
}

fn parse(text: &str) -> Option<Holder> {
    let field = |key: &str| {
        text.lines().find_map(|l| l.strip_prefix(key).and_then(|v| v.strip_prefix(':'))).map(str::trim)
    };
    let pid = field("pid")?.parse().ok()?;
    let start = match field("start") {
        Some(v) => Some(v.parse().ok()?),
        None => None,
    };
    Some(Holder { pid, start })
}

/// Whether the holder is running: `None` when this system cannot tell (no `/proc`).
fn running(holder: &Holder) -> Option<bool> {
    if !Path::new("/proc/self/stat").exists() {
        return None;
    }
    match fs::read_to_string(format!("/proc/{}/stat", holder.pid)) {
        Err(e) if e.kind() == ErrorKind::NotFound => Some(false),
        Err(_) => None,
        Ok(stat) => {
            let zombie = matches!(state(&stat), Some("Z" | "X"));
            let other = holder.start.is_some_and(|s| start_time(&stat) != Some(s));
            Some(!zombie && !other)
        }
    }
}

/// The fields of a `/proc/<pid>/stat` line after the command name (which may hold spaces and
/// parentheses): field 3 (the state) first.
fn fields(stat: &str) -> impl Iterator<Item = &str> {
    stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace()
}

/// Field 3 of a `/proc/<pid>/stat` line: the process state.
fn state(stat: &str) -> Option<&str> {
    fields(stat).next()
}

/// Field 22 of a `/proc/<pid>/stat` line: the start time, in clock ticks since boot.
fn start_time(stat: &str) -> Option<u64> {
    fields(stat).nth(22 - 3)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_file_names_its_writer() {
        assert_eq!(parse("pid: 12\nstart: 345\n"), Some(Holder { pid: 12, start: Some(345) }));
        assert_eq!(parse("pid: 12\n"), Some(Holder { pid: 12, start: None }));
        assert_eq!(parse(""), None);
        assert_eq!(parse("pid: x\n"), None);
        assert_eq!(parse("pid: 12\nstart: x\n"), None);
        assert_eq!(parse(&own()).map(|h| h.pid), Some(std::process::id()));
    }

    #[test]
    fn the_state_and_start_time_come_after_the_command_name() {
        let stat = "77 (a) b (c)) S 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10";
        assert_eq!(state(stat), Some("S"));
        assert_eq!(start_time(stat), Some(123_456));
        assert_eq!(start_time("garbage"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_runs_and_an_ended_one_or_another_start_does_not() {
        let me = parse(&own()).unwrap();
        assert!(me.start.is_some());
        assert_eq!(running(&me), Some(true));
        assert_eq!(running(&Holder { start: me.start.map(|s| s + 1), ..me.clone() }), Some(false));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert_eq!(running(&Holder { pid, start: None }), Some(false));
    }
}
