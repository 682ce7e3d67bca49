//! The folder of a scenario file's outputs: `reports/<folder>/` for `report`,
//! `DIR/<folder>/baseline.json` for `check`.
//!
//! The rule: the folder is the file's name without its last extension (`x.ron` -> `x`,
//! `v1.2.ron` -> `v1.2`), with every path separator (`/`, `\`), control character and character
//! that Windows forbids in a name (`< > : " | ? *`) replaced by `_`. A name made only of dots
//! (`...ron` has the name `..`) has each dot replaced by `_` (`__`), and an empty one is `_`.
//! So a folder is always one entry inside the folder of the outputs: never `.`, `..`, empty or a
//! path. Any other name is kept as written (letters of any script, spaces, inner dots), so a
//! folder is the name a user sees and the bundled scenarios keep theirs.
//!
//! Two inputs of one command with one folder (`a/x.ron` and `b/x.ron`, or `X.ron` and `x.ron`,
//! which are one folder on a case-insensitive filesystem) are refused before anything runs: the
//! second would overwrite the first's baseline, and a later check would compare against the
//! wrong numbers. The same file named twice is one input. Nothing records which file a folder
//! belongs to, so across commands two such files still share it: give them distinct names, or
//! distinct `--baseline` folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder name of the outputs of scenario `file` (see the module doc).
pub fn of(file: &Path) -> String {
    let stem = file.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
    if stem.chars().all(|c| c == '.') {
        return if stem.is_empty() { "_".into() } else { "_".repeat(stem.len()) };
    }
    stem.chars().map(|c| if unsafe_in_a_name(c) { '_' } else { c }).collect()
}

/// A path separator, a control character or a character Windows forbids in file names.
fn unsafe_in_a_name(c: char) -> bool {
    c.is_control() || matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
}

/// Refuses two of `files` whose folders under `parent` are one, ignoring case: the error
/// names both files and the folder.
pub fn distinct(files: &[PathBuf], parent: &Path, hint: &str) -> Result<(), String> {
    let mut seen: BTreeMap<String, &PathBuf> = BTreeMap::new();
    for file in files {
        let folder = of(file);
        match seen.get(&folder.to_lowercase()) {
            Some(first) if !same_file(first, file) => {
                return Err(format!(
                    "{} and {} both use the folder {}\n  = hint: a folder is the file name without its extension; {hint}",
                    first.display(),
                    file.display(),
                    parent.join(of(first)).display()
                ));
            }
            Some(_) => {}
            None => {
                seen.insert(folder.to_lowercase(), file);
            }
        }
    }
    Ok(())
}

/// Whether `a` and `b` name one file (`x.ron` and `./x.ron`).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_one_entry_and_safe_names_are_kept() {
        for (file, folder) in [
            ("scenarios/database-multi-az.ron", "database-multi-az"),
            ("v1.2.ron", "v1.2"),
            ("my scenario.ron", "my scenario"),
            ("données.ron", "données"),
            ("...ron", "__"),
            ("..ron", "_"),
            (".ron", ".ron"),
            ("a/..", "_"),
            ("", "_"),
            ("a\\b.ron", "a_b"),
            ("a|b:c?.ron", "a_b_c_"),
            ("tab\there.ron", "tab_here"),
        ] {
            assert_eq!(of(Path::new(file)), folder, "{file}");
        }
    }

    #[test]
    fn two_files_with_one_folder_are_refused_and_one_file_twice_is_not() {
        let files = |names: &[&str]| names.iter().map(PathBuf::from).collect::<Vec<_>>();
        let parent = Path::new("reports");
        assert!(distinct(&files(&["a/x.ron", "b/y.ron", "x.json"]), parent, "h").is_err());
        let e = distinct(&files(&["a/x.ron", "b/y.ron", "c/x.ron"]), parent, "rename one").unwrap_err();
        assert_eq!(
            e,
            "a/x.ron and c/x.ron both use the folder reports/x\n  = hint: a folder is the file name without its extension; rename one"
        );
        assert!(distinct(&files(&["X.ron", "x.ron"]), parent, "h").is_err());
        assert!(distinct(&files(&["a.ron", "a|.ron", "a_.ron"]), parent, "h").is_err());
        assert!(distinct(&files(&["a/x.ron", "b/y.ron", "a/x.ron"]), parent, "h").is_ok());
        assert!(distinct(&files(&["x.ron", "y.ron", "x-y.ron"]), parent, "h").is_ok());
    }
}
