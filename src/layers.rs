//! Keeps the crate's module table (the `module  may use` block of `lib.rs`'s docs) true.
//!
//! Every `crate::<module>` path in the code of `src/<module>.rs` or `src/<module>/` (comments
//! left out, tests included) is an edge; the test fails on an edge the table does not allow,
//! on a module missing from the table, and on a table that is not acyclic. Run
//! `cargo test --lib module_edges -- --nocapture` to print the edges found.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Edges the table does not allow and the code still has, being removed. The test fails when
/// one of them is gone, so that this list only shrinks.
const LEAVING: &[(&str, &str)] = &[];

/// Files of `src/` that are not a stage.
const NOT_STAGES: &[&str] = &["lib", "main", "layers"];

/// The `module  may use` table of `lib.rs`'s docs, in its order.
fn table(lib: &str) -> Vec<(String, BTreeSet<String>)> {
    let docs: Vec<&str> = lib.lines().filter_map(|l| l.strip_prefix("//!")).map(str::trim).collect();
    let start = docs.iter().position(|l| *l == "module      may use").expect("lib.rs has the module table");
    docs[start + 1..]
        .iter()
        .take_while(|l| !l.starts_with("```"))
        .map(|l| {
            let mut words = l.split_whitespace();
            let module = words.next().expect("a module name").to_string();
            (module, words.filter(|w| *w != "-").map(str::to_string).collect())
        })
        .collect()
}

/// Every `.rs` file of a module.
fn files(src: &Path, module: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let single = src.join(format!("{module}.rs"));
    if single.is_file() {
        out.push(single);
    }
    let mut dirs = vec![src.join(module)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.expect("readable directory").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The modules named by `crate::` paths in `code` (`crate::a::..`, `crate::{a, b::..}`).
fn named(code: &str, into: &mut BTreeSet<String>) {
    let word = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue; // `$crate::`, `foocrate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            // Only the first segment of each item: `crate::{a::{b, c}, d}` names a and d.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        into.insert(word(&group[i..]));
                        item_start = false;
                    }
                    c if !c.is_whitespace() => item_start = false,
                    _ => {}
                }
            }
        } else {
            let w = word(rest);
            if !w.is_empty() {
                into.insert(w);
            }
        }
    }
}

/// Every module of `src/` and the modules its code names.
fn edges(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(src).expect("src/") {
        let path = entry.expect("readable src/").path();
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("UTF-8 file name").to_string();
        if (path.is_dir() || path.extension().is_some_and(|e| e == "rs"))
            && !NOT_STAGES.contains(&stem.as_str())
        {
            modules.insert(stem);
        }
    }
    modules
        .into_iter()
        .map(|m| {
            let mut uses = BTreeSet::new();
            for file in files(src, &m) {
                let text = std::fs::read_to_string(&file).expect("readable source");
                let code: Vec<&str> = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect();
                named(&code.join("\n"), &mut uses); // a `use crate::{..}` may span lines
            }
            uses.remove(&m);
            (m, uses)
        })
        .collect()
}

#[test]
fn module_edges() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = table(&std::fs::read_to_string(root.join("src/lib.rs")).expect("src/lib.rs"));
    let table: BTreeMap<String, BTreeSet<String>> = listed.iter().cloned().collect();
    let found = edges(&root.join("src"));
    println!("module dependency edges (src/<module> -> modules its code names):");
    for (m, uses) in &found {
        println!("{m:<10} -> {}", uses.iter().map(String::as_str).collect::<Vec<_>>().join(" "));
    }
    let mut wrong = Vec::new();
    for (m, uses) in &found {
        let Some(allowed) = table.get(m) else {
            wrong.push(format!("`{m}` is not in lib.rs's module table"));
            continue;
        };
        for u in uses {
            if !table.contains_key(u) {
                wrong.push(format!("{m} -> {u}: `{u}` is not a module of the table"));
            } else if !allowed.contains(u) && !LEAVING.contains(&(m.as_str(), u.as_str())) {
                wrong.push(format!("{m} -> {u}: not allowed by lib.rs's module table"));
            }
        }
    }
    for (m, u) in LEAVING {
        if !found.get(*m).is_some_and(|uses| uses.contains(*u)) {
            wrong.push(format!("{m} -> {u} is gone: remove it from `LEAVING` in src/layers.rs"));
        }
    }
    for m in table.keys() {
        if !found.contains_key(m) {
            wrong.push(format!("lib.rs's module table lists `{m}`, which src/ does not have"));
        }
    }
    // The table itself has no cycle: each module only uses modules listed above it.
    for (i, (m, uses)) in listed.iter().enumerate() {
        for u in uses {
            if !listed[..i].iter().any(|(above, _)| above == u) {
                wrong.push(format!("table: {m} may use {u}, which is not listed above it"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn crate_paths_are_read_with_groups() {
    let mut uses = BTreeSet::new();
    named("use crate::{a::{B, C}, d,\n    e::f};\nlet x = crate::g::h(); $crate::no", &mut uses);
    assert_eq!(uses.into_iter().collect::<Vec<_>>(), ["a", "d", "e", "g"]);
}
