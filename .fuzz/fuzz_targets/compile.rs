//! Parse and compile any bytes as a scenario file; render what the user would see. Must never
//! panic: every mistake is a diagnostic with a position.
#![no_main]

use faultline::diagnostic::render;
use faultline::model::compile_str;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match compile_str(text) {
        Ok(compiled) => {
            let _ = render("fuzz.ron", text, &compiled.warnings);
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "a rejected file has at least one diagnostic");
            assert!(diagnostics.iter().any(|d| d.is_error()), "a rejected file has an error");
            let _ = render("fuzz.ron", text, &diagnostics);
        }
    }
});
