//! Chart file names: one per design, distinct and legal on every common filesystem.
//!
//! A design's charts are `problems-<name>` and `timeline-<name>` (`.svg`, `.png`), where
//! `<name>` comes from [`design_names`]:
//! - its **plain name** is the design's name with every character other than an ASCII letter,
//!   a digit, `-` and `_` replaced by `-` (`multi-az` stays `multi-az`, `a/b` becomes `a-b`);
//! - a design keeps its plain name when that is at most [`MAX_PLAIN`] characters long and no
//!   other design of the report has the same plain name ignoring case (which is one file on a
//!   case-insensitive filesystem), or when it is the only one of those designs whose name is
//!   its plain name exactly (`a-b` beside `a/b` and `a|b`);
//! - any other design gets at most [`KEEP`] characters of its plain name, `-` and the first 8
//!   hex digits of the SHA-256 of its name (UTF-8): `a/b` becomes `a-b-c14cddc0`. In the
//!   unlikely case that this is still another design's name, all 64 hex digits are used,
//!   which make it longer than any plain name.
//!
//! So names change only where they must: the plain names of a report's designs are the names
//! they always had, and a suffix depends only on the design's own name (never on its order).
//! Names are ASCII, so they need no escaping in report.md's links, and at most
//! `9 + 55 + 1 + 64 + 4 = 133` bytes long, well below the 255 of common filesystems.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// The longest plain name kept as it is, in characters.
pub const MAX_PLAIN: usize = 64;
/// How much of a long or shared plain name comes before the hash suffix, in characters.
pub const KEEP: usize = MAX_PLAIN - 9;

/// The plain name of a design: ASCII letters, digits, `-` and `_` kept, anything else `-`.
pub fn plain(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect()
}

/// The file-name part of each design's charts, in the order given: distinct ignoring case.
pub fn design_names<S: AsRef<str>>(designs: &[S]) -> Vec<String> {
    let plains: Vec<String> = designs.iter().map(|d| plain(d.as_ref())).collect();
    let exact = |i: usize| designs[i].as_ref() == plains[i];
    // Per plain name ignoring case: (designs, designs whose name is it exactly).
    let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (i, p) in plains.iter().enumerate() {
        let group = groups.entry(p.to_lowercase()).or_default();
        *group = (group.0 + 1, group.1 + usize::from(exact(i)));
    }
    let keeps = |i: usize| {
        let (members, exacts) = groups[&plains[i].to_lowercase()];
        plains[i].len() <= MAX_PLAIN && (members == 1 || (exact(i) && exacts == 1))
    };
    let names: Vec<String> = (0..designs.len())
        .map(|i| if keeps(i) { plains[i].clone() } else { hashed(&plains[i], designs[i].as_ref(), 8) })
        .collect();
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for name in &names {
        *uses.entry(name.to_lowercase()).or_default() += 1;
    }
    (0..designs.len())
        .map(|i| {
            if keeps(i) || uses[&names[i].to_lowercase()] == 1 {
                names[i].clone()
            } else {
                hashed(&plains[i], designs[i].as_ref(), 64)
            }
        })
        .collect()
}

/// At most [`KEEP`] characters of `plain`, `-` and the first `digits` hex digits of the
/// SHA-256 of `name`.
fn hashed(plain: &str, name: &str, digits: usize) -> String {
    let hex: String = Sha256::digest(name.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}", &plain[..plain.len().min(KEEP)], &hex[..digits])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_plain_names_are_kept() {
        assert_eq!(
            design_names(&["multi-az", "single_az", "Three AZ"]),
            ["multi-az", "single_az", "Three-AZ"]
        );
        assert_eq!(design_names::<&str>(&[]), Vec::<String>::new());
    }

    #[test]
    fn shared_plain_names_get_the_hash_of_the_name() {
        // `printf 'a/b' | sha256sum`: c14cddc0...; `printf 'a|b' | sha256sum`: 0eab8a0a...
        assert_eq!(design_names(&["a/b", "a-b", "a|b"]), ["a-b-c14cddc0", "a-b", "a-b-0eab8a0a"]);
        assert_eq!(design_names(&["a|b", "a/b"]), ["a-b-0eab8a0a", "a-b-c14cddc0"], "order does not matter");
        // One file on a case-insensitive filesystem: neither is the only exact one.
        // `printf 'Web' | sha256sum`: 29751047...; `printf 'web' | sha256sum`: 4b5e57f6...
        assert_eq!(design_names(&["Web", "web"]), ["Web-29751047", "web-4b5e57f6"]);
    }

    #[test]
    fn long_names_are_shortened() {
        let long = "d".repeat(300);
        // `printf 'd%.0s' $(seq 300) | sha256sum`: 63c29b7d...
        assert_eq!(design_names(&[long.as_str()]), [format!("{}-63c29b7d", "d".repeat(KEEP))]);
        let edge = "e".repeat(MAX_PLAIN);
        assert_eq!(design_names(&[edge.as_str()]), [edge.as_str()]);
        assert_eq!(design_names(&["é"]), ["-"]);
        assert_eq!(design_names(&[""]), [""], "an empty name is kept: the kind before it names the file");
    }

    #[test]
    fn a_hashed_name_that_is_taken_gets_the_whole_hash() {
        let names = design_names(&["a/b", "a-b", "a|b", "a-b-c14cddc0"]);
        let full = "a-b-c14cddc033f64b9dea80ea675cf280a015e672516090a5626781153dc68fea11";
        assert_eq!(names, [full, "a-b", "a-b-0eab8a0a", "a-b-c14cddc0"]);
    }
}
