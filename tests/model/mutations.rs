//! Random byte mutations of the bundled scenarios never panic the parser or the compiler:
//! every mutant either compiles or yields diagnostics whose positions lie inside the file.

use std::path::Path;

use faultline::diagnostic::{SourceMap, render};
use faultline::model::compile_str;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn bundled() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        // the large benchmark file costs time and adds no new syntax
        .filter(|p| !p.file_name().unwrap().to_string_lossy().contains("large"))
        .collect();
    files.sort();
    files.into_iter().map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap())).collect()
}

/// One edit: overwrite, insert or delete a byte at a position (as a fraction of the length).
#[derive(Clone, Debug)]
enum Edit {
    Replace(f64, u8),
    Insert(f64, u8),
    Delete(f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Bytes that matter to RON, plus anything at all.
    let byte =
        prop_oneof![prop::sample::select(b"()[]{},:\"0123456789./-_ \nabcxyzHdmsy".to_vec()), any::<u8>(),];
    prop_oneof![
        (0.0..1.0f64, byte.clone()).prop_map(|(at, b)| Edit::Replace(at, b)),
        (0.0..1.0f64, byte).prop_map(|(at, b)| Edit::Insert(at, b)),
        (0.0..1.0f64).prop_map(Edit::Delete),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for e in edits {
        let pos = |at: f64, len: usize| ((at * len as f64) as usize).min(len.saturating_sub(1));
        match *e {
            Edit::Replace(at, b) if !bytes.is_empty() => {
                let i = pos(at, bytes.len());
                bytes[i] = b;
            }
            Edit::Insert(at, b) => {
                let i = pos(at, bytes.len() + 1);
                bytes.insert(i, b);
            }
            Edit::Delete(at) if !bytes.is_empty() => {
                let i = pos(at, bytes.len());
                bytes.remove(i);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(Config {
        cases: 512,
        rng_seed: RngSeed::Fixed(0x5EED_F417),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn mutants_compile_or_report_positions_inside_the_file(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let files = bundled();
        prop_assume!(!files.is_empty());
        let (name, text) = &files[which.index(files.len())];
        let mutant = apply(text, &edits);
        if let Err(diagnostics) = compile_str(&mutant) {
            prop_assert!(diagnostics.iter().any(|d| d.is_error()));
            let map = SourceMap::new(&mutant);
            let lines = mutant.split('\n').count();
            for d in &diagnostics {
                let span = d.span.expect("every scenario diagnostic has a position");
                prop_assert!(span.start <= span.end && span.end <= mutant.len(), "{name}: {d:?}");
                let at = map.line_col(span.start);
                prop_assert!(at.line >= 1 && at.line <= lines && at.col >= 1, "{name}: {d:?}");
            }
            let rendered = render(name, &mutant, &diagnostics);
            prop_assert!(rendered.contains(": error: "));
        }
    }
}
