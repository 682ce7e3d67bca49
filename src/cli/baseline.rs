//! Reading a stored baseline for `check`: absent, trusted, or refused with the reason.
//!
//! Only a file that is not there means "no baseline" (objectives only). A file that is there
//! but cannot be read (permissions, a directory of that name, a symbolic link to nothing, a
//! directory on the way that is a link to nothing) or cannot be trusted (not UTF-8, not JSON, cut
//! short, an entry with the wrong number of values: [`Baseline::from_json`]) is bad input:
//! silently checking objectives only would let a regression pass.

use std::path::Path;

use super::{Error, paths};
use crate::check::{Baseline, BaselineError};

/// The baseline at `path`: `Ok(None)` when no file is there, `Ok(Some)` when it can be
/// trusted, else the reason it cannot. `update` is the command that stores a new one.
pub(super) fn read(path: &Path, update: &str) -> Result<Option<Baseline>, Error> {
    let shown = path.display();
    let restore =
        format!("restore it from version control, or run `{update}` to store this run as the new baseline");
    let refuse = |what: String, hint: &str| Error::new(format!("{what}\n  = hint: {hint}\n"));
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Err(if let Some(o) = paths::obstacle(path, false) {
                refuse(format!("{shown}: error: cannot read the baseline: {}", o.what), &o.hint)
            } else if e.kind() == std::io::ErrorKind::NotFound {
                return Ok(None);
            } else if path.is_dir() {
                refuse(
                    format!("{shown}: error: cannot read the baseline: it is a directory, not a file"),
                    &format!("move the directory away; `{update}` then stores a baseline there"),
                )
            } else {
                refuse(
                    format!("{shown}: error: cannot read the baseline: {e}"),
                    &format!("make it readable (check its permissions), or {restore}"),
                )
            });
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        refuse(
            format!("{shown}: error: not a faultline baseline: not UTF-8 text (invalid byte at offset {at})"),
            &restore,
        )
    })?;
    Baseline::from_json(&text).map(Some).map_err(|e| {
        let at = e.position().map_or_else(String::new, |(line, column)| format!(":{line}:{column}"));
        let cut = "the file was cut short (a write interrupted, or a full disk); ";
        match e {
            BaselineError::Empty => {
                refuse(format!("{shown}: error: the baseline is empty"), &(cut.to_string() + &restore))
            }
            _ if e.truncated() => refuse(
                format!("{shown}{at}: error: the baseline ends early: {e}"),
                &(cut.to_string() + &restore),
            ),
            BaselineError::Json(_) => {
                refuse(format!("{shown}{at}: error: not a faultline baseline: {e}"), &restore)
            }
            _ => refuse(
                format!("{shown}: error: the baseline cannot be trusted: {e}"),
                &format!("the file was edited or damaged; {restore}"),
            ),
        }
    })
}
