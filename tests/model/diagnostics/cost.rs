//! Diagnostics of costs, warm standby, repair priorities and battery sources: a negative or
//! non-finite cost, a passive rate on a component that is no standby member, a warm factor out
//! of (0, 1], a repair priority that is not a whole number, `charges_from` without a battery.

use super::*;

/// Validates a one-design file whose component line (line 4) is `component`; returns (exit
/// code, file, stderr, column of `needle` on line 4).
fn check(name: &str, component: &str, needle: &str) -> (i32, String, String, usize) {
    let text = format!(
        "(name: \"c\", horizon: \"1y\", architectures: [(\n    name: \"a\",\n    components: [\n        {component}\n        (name: \"s\", kind: Group, needs: All([\"x\"])),\n    ],\n    service: \"s\",\n)])\n"
    );
    let (code, file, stderr) = validate_text(name, &text);
    (code, file, stderr, column(&text, 4, needle))
}

#[test]
fn a_negative_cost() {
    let (code, file, stderr, col) =
        check("cost-negative", r#"(name: "x", kind: Instance, fail: Never, cost_per_hour: -0.5),"#, "-0.5");
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(&stderr, &file, 4, col, "a cost per hour is a number of at least 0, got -0.5");
    assert!(hint(&block).is_some_and(|h| h.contains("per hour in your currency")));
}

#[test]
fn a_passive_rate_on_a_component_that_is_no_standby_member() {
    let (code, file, stderr, col) = check(
        "cost-passive",
        r#"(name: "x", kind: Instance, fail: Never, cost_per_hour: 1.0, passive_cost_per_hour: 0.1),"#,
        "0.1",
    );
    assert_eq!(code, BAD_INPUT);
    let block =
        assert_error(&stderr, &file, 4, col, "`passive_cost_per_hour` on `x`, which is no standby member");
    assert!(hint(&block).is_some_and(|h| h.contains("use `cost_per_hour`")));
}

#[test]
fn costs_from_a_profile_apply() {
    let text = r#"(name: "c", horizon: "1y", profiles: {"vm": (fail: Never, cost_per_hour: 0.5)},
        architectures: [(name: "a", components: [(name: "x", kind: Instance, profile: "vm"),
            (name: "y", kind: Instance, profile: "vm", cost_per_hour: 2.0)], service: "x")])"#;
    let system = faultline::model::compile_str(text).unwrap().system;
    let costs: Vec<f64> = system.architectures[0].components.iter().map(|c| c.cost.per_hour).collect();
    assert_eq!(costs, [0.5, 2.0]);
}

#[test]
fn a_warm_factor_out_of_range() {
    let text = "(name: \"w\", horizon: \"1y\", architectures: [(name: \"a\", components: [\n    (name: \"p\", kind: Instance, fail: Never), (name: \"q\", kind: Instance, fail: Never),\n    (name: \"g\", kind: Group, standby: (members: [\"p\", \"q\"], detect: \"0s\", switch: \"1m\", passive: Warm(factor: 1.5))),\n], service: \"g\")])\n";
    let (code, file, stderr) = validate_text("warm-factor", text);
    assert_eq!(code, BAD_INPUT);
    let message = "a warm standby's `factor` is in (0, 1], got 1.5";
    let block = assert_error(&stderr, &file, 3, column(text, 3, "1.5"), message);
    assert!(hint(&block).is_some_and(|h| h.contains("`Cold`")));
}

#[test]
fn a_priority_that_is_not_a_whole_number() {
    let (code, file, stderr, col) =
        check("priority-word", r#"(name: "x", kind: Instance, fail: Never, priority: "high"),"#, "\"high\"");
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(&stderr, &file, 4, col, "expected integer");
    assert_eq!(hint(&block), Some("write a whole number without quotes, e.g. `3`"));
}

#[test]
fn charges_from_without_a_battery() {
    let (code, file, stderr, col) = check(
        "charges-no-battery",
        r#"(name: "x", kind: Power, fail: Never, charges_from: ["s"]),"#,
        "\"s\"",
    );
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(&stderr, &file, 4, col, "`charges_from` on `x`, which has no battery");
    assert!(hint(&block).is_some_and(|h| h.contains("`runtime`, `recharge`")));
}
