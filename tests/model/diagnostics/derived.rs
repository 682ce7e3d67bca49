//! Diagnostics of derived designs (`extends`, `remove`): each mistake a person makes, as
//! `faultline validate` prints it, at the line and column of what is wrong.

use super::*;

/// A valid file of one design; `EXTRA` (line 14) holds the designs under test.
const BASE: &str = r#"(
    name: "derived",
    horizon: "1y",
    architectures: [
        (
            name: "multi-az",
            components: [
                (name: "web-1", kind: Instance, fail: Never),
                (name: "web-2", kind: Instance, fail: Never),
                (name: "site", kind: Group, needs: Any(["web-1", "web-2"])),
            ],
            service: "site",
        ),
        EXTRA
    ],
)
"#;

/// Validates `BASE` with `extra` on line 14; returns (exit code, file name, stderr, the
/// column of the first `needle` on line 14).
fn check(name: &str, extra: &str, needle: &str) -> (i32, String, String, usize) {
    let text = BASE.replace("EXTRA", extra);
    let (code, file, stderr) = validate_text(name, &text);
    (code, file, stderr, column(&text, 14, needle))
}

#[test]
fn a_derived_design_is_valid() {
    let extra = r#"(name: "single", extends: "multi-az", components: [(name: "site", kind: Group, needs: Any(["web-1"]))], remove: ["web-2"]),"#;
    let text = BASE.replace("EXTRA", extra);
    let (code, _, stderr) = validate_text("derived-valid", &text);
    assert_eq!(code, 0, "{stderr}");
    let system = faultline::model::compile_str(&text).unwrap().system;
    let single = &system.architectures[1];
    let names: Vec<&str> = single.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["web-1", "site"]);
    assert_eq!(single.components[single.service.index()].name, "site");
}

#[test]
fn an_unknown_base() {
    let (code, file, stderr, col) = check(
        "derived-unknown",
        r#"(name: "single", extends: "multi-a", remove: ["web-2"]),"#,
        "\"multi-a\"",
    );
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(&stderr, &file, 14, col, "no design named `multi-a` to extend");
    assert_eq!(hint(&block), Some("did you mean `multi-az`? `extends` names another design of this file"));
}

#[test]
fn a_removed_component_still_needed_names_what_needs_it() {
    let (code, file, stderr, col) =
        check("derived-needed", r#"(name: "single", extends: "multi-az", remove: ["web-2"]),"#, "\"web-2\"");
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(&stderr, &file, 14, col, "`web-2` is removed, but `site` still refers to it");
    assert_eq!(hint(&block), Some("remove or replace what refers to `web-2` too"));
    // The note points at the reference in the base design, line 10.
    let note = header(&file, 10, column(BASE, 10, "\"web-2\""), "note", "`site` refers to `web-2` here");
    assert!(block.contains(&note.as_str()), "{}", block.join("\n"));
    assert_eq!(stderr.matches(": error: ").count(), 1, "no second error for the same mistake:\n{stderr}");
}

#[test]
fn a_cycle_lists_its_designs() {
    // The second design's `extends`, where the cycle closes.
    let (code, file, stderr, col) =
        check("derived-cycle", r#"(name: "a", extends: "b"), (name: "b", extends: "a"),"#, "\"a\")");
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(
        &stderr,
        &file,
        14,
        col,
        "designs extend each other in a cycle: `a` extends `b` extends `a`",
    );
    assert!(hint(&block).is_some());
}

#[test]
fn removing_what_the_base_lacks() {
    let (code, file, stderr, col) =
        check("derived-lacks", r#"(name: "single", extends: "multi-az", remove: ["web-3"]),"#, "\"web-3\"");
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(&stderr, &file, 14, col, "`multi-az` has no component `web-3` to remove");
    assert!(hint(&block).is_some_and(|h| h.starts_with("did you mean `web-")), "{}", block.join("\n"));
}

#[test]
fn removing_a_shared_component() {
    let text = BASE
        .replace(
            "    architectures: [",
            "    shared: [(name: \"az1\", kind: Az, fail: Never)],\n    architectures: [",
        )
        .replace("EXTRA", r#"(name: "single", extends: "multi-az", remove: ["az1"]),"#);
    let (code, file, stderr) = validate_text("derived-shared", &text);
    assert_eq!(code, BAD_INPUT);
    let message = "`az1` is shared by every design: it cannot be removed";
    let block = assert_error(&stderr, &file, 15, column(&text, 15, "\"az1\""), message);
    assert!(hint(&block).is_some_and(|h| h.contains("move it from `shared`")));
}

#[test]
fn remove_without_extends() {
    let (code, file, stderr, col) = check(
        "derived-no-extends",
        r#"(name: "x", components: [(name: "w", kind: Instance, fail: Never)], remove: ["w"], service: "w"),"#,
        "[\"w\"]",
    );
    assert_eq!(code, BAD_INPUT);
    assert_error(&stderr, &file, 14, col + 1, "`remove` without `extends`");
}

#[test]
fn a_design_without_service() {
    let (code, file, stderr, col) = check(
        "derived-no-service",
        r#"(name: "x", components: [(name: "w", kind: Instance, fail: Never)]),"#,
        "\"x\"",
    );
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(&stderr, &file, 14, col, "design `x` has no `service`");
    assert!(hint(&block).is_some_and(|h| h.contains("service: \"NAME\"")));
}

#[test]
fn a_name_both_added_and_removed_or_removed_twice() {
    let extra = r#"(name: "s", extends: "multi-az", components: [(name: "web-1", kind: Instance, fail: Never)], remove: ["web-1", "web-2", "web-2"]),"#;
    let (code, file, stderr, _) = check("derived-both", extra, "\"web-1\"");
    assert_eq!(code, BAD_INPUT);
    let line = BASE.replace("EXTRA", extra).lines().nth(13).unwrap().to_string();
    let removed = line.find("remove").unwrap();
    let col =
        |needle: &str, nth: usize| removed + line[removed..].match_indices(needle).nth(nth).unwrap().0 + 1;
    assert_error(&stderr, &file, 14, col("\"web-1\"", 0), "`web-1` is both in `components` and in `remove`");
    assert_error(&stderr, &file, 14, col("\"web-2\"", 1), "`web-2` is listed twice in `remove`");
}

#[test]
fn removing_a_component_and_what_needs_it_works_in_any_order() {
    for order in [r#"["web-2", "site"]"#, r#"["site", "web-2"]"#] {
        let extra = format!(
            r#"(name: "single", extends: "multi-az", remove: {order}, components: [(name: "one", kind: Group, needs: Any(["web-1"]))], service: "one"),"#
        );
        let text = BASE.replace("EXTRA", &extra);
        let system =
            faultline::model::compile_str(&text).unwrap_or_else(|d| panic!("{order}: {d:#?}")).system;
        let names: Vec<&str> = system.architectures[1].components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["web-1", "one"], "{order}");
    }
}
