//! Diagnostics of degraded capacity: `full` on a component that is no group, in the `Async`
//! form, naming what does not exist, or asking for more than it lists.

use super::*;

/// A one-design file whose line 4 is `line` (beside instances `a`, `b` and `c`).
fn text(line: &str) -> String {
    format!(
        "(name: \"f\", horizon: \"1y\", architectures: [(name: \"x\", components: [\n    (name: \"a\", kind: Instance, fail: Never), (name: \"b\", kind: Instance, fail: Never),\n    (name: \"c\", kind: Instance, fail: Never), (name: \"q\", kind: Queue, fail: Never, retention: \"1d\"),\n    {line}\n], service: \"g\")])\n"
    )
}

/// Each broken `full`: (scratch name, line 4, where the caret goes, message, part of the hint).
const CASES: [(&str, &str, &str, &str, &str); 4] = [
    (
        "full-not-group",
        r#"(name: "g", kind: Instance, fail: Never, needs: Any(["a", "b"]), full: All(["a", "b"])),"#,
        "\"g\"",
        "`full` on `g`, which is no Group",
        "on the group of the redundant components",
    ),
    (
        "full-async",
        r#"(name: "g", kind: Group, needs: Any(["a", "b"]), full: Async(queue: "q", consumers: "c")),"#,
        "\"q\"",
        "`full` is `All`, `Any` or `AtLeast`, not `Async`",
        "AtLeast(2",
    ),
    (
        "full-unknown",
        r#"(name: "g", kind: Group, needs: Any(["a", "b"]), full: All(["a", "bb"])),"#,
        "\"bb\"",
        "unknown component `bb`",
        "did you mean `b`?",
    ),
    (
        "full-k",
        r#"(name: "g", kind: Group, needs: Any(["a", "b", "c"]), full: AtLeast(4, ["a", "b", "c"])),"#,
        "4,",
        "`AtLeast(4, ..)` lists only 3 components",
        "k must be between 1 and 3",
    ),
];

#[test]
fn each_broken_full_is_an_error_at_its_place_with_a_hint() {
    for (name, line, needle, message, hinted) in CASES {
        let t = text(line);
        let (code, file, stderr) = validate_text(name, &t);
        assert_eq!(code, BAD_INPUT, "{name}: {stderr}");
        let block = assert_error(&stderr, &file, 4, column(&t, 4, needle), message);
        assert!(hint(&block).is_some_and(|h| h.contains(hinted)), "{name}: {block:?}");
    }
}
