//! Saying why a path cannot be read, written or created.
//!
//! The operating system's words name the symptom, not the cause: a dangling symbolic link
//! given as `--out` makes `create_dir_all` fail with "File exists", and a file where a directory
//! is needed (`--out notes.txt/x`) with "Not a directory" on a path the user never typed.
//! [`obstacle`] finds the cause: the nearest part of the path that exists and is a dangling
//! link, or is not a directory where one is needed.

use std::io;
use std::path::Path;

/// What stands in the way of a path, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Obstacle {
    /// The part of the path at fault and what is wrong with it.
    pub what: String,
    /// What to do.
    pub hint: String,
}

/// The cause when `path` cannot be reached: the nearest part of it that exists (`path` itself
/// or an ancestor) is a symbolic link to nothing, or is not a directory where one is needed
/// (an ancestor, or `path` itself when `want_dir`). `None` when nothing is in the way.
pub(super) fn obstacle(path: &Path, want_dir: bool) -> Option<Obstacle> {
    for (k, part) in path.ancestors().enumerate() {
        if part.as_os_str().is_empty() {
            break;
        }
        // Not there (or not reachable): look further up.
        let Ok(own) = std::fs::symlink_metadata(part) else { continue };
        let followed = std::fs::metadata(part);
        if own.file_type().is_symlink()
            && let Err(e) = &followed
        {
            // A relative target is relative to the link's directory, not to ours.
            let (target, resolved) = match std::fs::read_link(part) {
                Ok(t) if t.is_relative() => {
                    let resolved = part.parent().map_or_else(|| t.clone(), |p| p.join(&t));
                    (format!("{} ({})", t.display(), resolved.display()), resolved.display().to_string())
                }
                Ok(t) => (t.display().to_string(), t.display().to_string()),
                Err(_) => ("?".into(), "its target".into()),
            };
            let why = if e.kind() == io::ErrorKind::NotFound {
                "which does not exist".to_string()
            } else {
                format!("which cannot be followed ({e})")
            };
            return Some(Obstacle {
                what: format!("{} is a symbolic link to {target}, {why}", part.display()),
                hint: format!("create {resolved} first, or remove the link, or choose another path"),
            });
        }
        let is_dir = followed.is_ok_and(|m| m.is_dir());
        if (k > 0 || want_dir) && !is_dir {
            return Some(Obstacle {
                what: format!("{} is not a directory", part.display()),
                hint: "move it away, or choose another path".into(),
            });
        }
        return None;
    }
    None
}

/// `cannot VERB PATH: ...`, with the cause and a hint when [`obstacle`] finds one, else with
/// the operating system's error.
pub(super) fn cannot(verb: &str, path: &Path, e: &io::Error, want_dir: bool) -> String {
    match obstacle(path, want_dir) {
        Some(o) => format!("cannot {verb} {}: {}\n  = hint: {}", path.display(), o.what, o.hint),
        None => format!("cannot {verb} {}: {e}", path.display()),
    }
}

/// Creates `dir` and its parents; the error names the part of the path at fault.
pub(super) fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| cannot("create", dir, &e, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(test: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("faultline-paths-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[cfg(unix)]
    #[test]
    fn the_part_of_a_path_at_fault_is_named() {
        let dir = scratch("fault");
        let file = dir.join("notes.txt");
        std::fs::write(&file, "x").unwrap();
        let link = dir.join("link");
        std::os::unix::fs::symlink(dir.join("gone/away"), &link).unwrap();
        let o = obstacle(&file.join("a/b"), true).unwrap();
        assert_eq!(o.what, format!("{} is not a directory", file.display()));
        assert_eq!(obstacle(&file, true).unwrap().what, format!("{} is not a directory", file.display()));
        assert_eq!(obstacle(&file, false), None, "a file is what a write wants");
        let dangling = format!(
            "{} is a symbolic link to {}, which does not exist",
            link.display(),
            dir.join("gone/away").display()
        );
        assert_eq!(obstacle(&link, true).unwrap().what, dangling);
        assert_eq!(obstacle(&link, false).unwrap().what, dangling);
        assert_eq!(obstacle(&link.join("charts"), true).unwrap().what, dangling);
        assert_eq!(obstacle(&dir.join("new/deeper"), true), None, "missing parts can be created");
        assert_eq!(obstacle(&dir, true), None);
        let relative = dir.join("relative");
        std::os::unix::fs::symlink("gone", &relative).unwrap();
        let o = obstacle(&relative, true).unwrap();
        let resolved = dir.join("gone");
        assert_eq!(
            o.what,
            format!(
                "{} is a symbolic link to gone ({}), which does not exist",
                relative.display(),
                resolved.display()
            )
        );
        assert!(o.hint.starts_with(&format!("create {} first", resolved.display())), "{}", o.hint);
        let e = std::fs::create_dir_all(link.join("charts")).unwrap_err();
        let message = cannot("create", &link.join("charts"), &e, true);
        assert!(
            message.starts_with(&format!(
                "cannot create {}/charts: {dangling}\n  = hint: create ",
                link.display()
            )),
            "{message}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
