//! Diagnostics of the data forms: failure `modes`, injections naming a mode, datasets with
//! replicas and backups. One broken fixture per diagnostic class in
//! `tests/fixtures/broken/data_*.ron` (each a one-line change of the same valid file), checked
//! through `faultline validate` for the exit code, the exact `line:col`, the message and the
//! hint; then positive checks of the compiled forms through the library.

use super::*;

use faultline::dist::Dist;
use faultline::model::Kind;
use faultline::model::compile_str;
use faultline::time::SimTime;

#[test]
fn replica_on_its_own_holder() {
    let hint =
        expect_single_error("data_replica_on_holder", 20, 37, "replica on `db-a`, the dataset's holder");
    assert_eq!(
        hint.as_deref(),
        Some("a replica must live elsewhere to survive the primary: put it on another component")
    );
}

#[test]
fn backup_to_an_unknown_store() {
    let hint = expect_single_error("data_backup_unknown_store", 21, 49, "unknown component `s4`");
    assert_eq!(hint.as_deref(), Some("did you mean `s3`?"));
}

#[test]
fn backup_every_zero() {
    let hint = expect_single_error(
        "data_backup_every_zero",
        21,
        39,
        "a backup interval `every` must be longer than 0, got `0s`",
    );
    assert!(hint.is_some_and(|h| h.contains("must be positive")));
}

#[test]
fn modes_and_fail_both_given() {
    let hint = expect_single_error("data_modes_and_fail", 6, 61, "`az1` gives both `fail` and `modes`");
    assert!(hint.is_some_and(|h| h.starts_with("`modes` replaces `fail`")));
}

#[test]
fn replicas_without_promote() {
    let hint =
        expect_single_error("data_promote_missing", 19, 24, "dataset `orders` has replicas but no `promote`");
    assert_eq!(hint.as_deref(), Some("add `promote: \"5m\"` (how long it takes), or remove the replicas"));
}

#[test]
fn promote_and_resync_without_replicas() {
    let (code, stderr) = run_fixture("data_promote_without_replicas");
    assert_eq!(code, BAD_INPUT);
    let file = fixture("data_promote_without_replicas");
    let block = assert_error(&stderr, &file, 21, 30, "`promote` without replicas");
    assert_eq!(hint(&block), Some("`promote` is about replicas: add one, or remove `promote`"));
    assert_error(&stderr, &file, 21, 44, "`resync` without replicas");
    assert!(stderr.ends_with(&format!("{file}: 2 errors\n")), "{stderr}");
}

#[test]
fn backup_that_takes_longer_than_its_interval() {
    let hint = expect_single_error(
        "data_takes_too_long",
        21,
        77,
        "a backup that takes `25h` cannot start every `1d`",
    );
    assert_eq!(hint.as_deref(), Some("`takes` must be shorter than `every`"));
}

#[test]
fn injection_naming_a_mode_the_target_lacks() {
    let hint =
        expect_single_error("data_unknown_injection_mode", 27, 68, "`az1` has no failure mode `flood`");
    assert_eq!(hint.as_deref(), Some("modes of `az1`: fire"));
}

#[test]
fn mode_without_recover() {
    // One error only: the injection naming the (invalid) mode is not reported as well.
    let hint =
        expect_single_error("data_mode_without_recover", 6, 48, "mode `fire` of `az1` has no `recover`");
    assert!(hint.is_some_and(|h| h.starts_with("give the mode its own `recover")));
}

#[test]
fn mode_listed_twice() {
    let (_, stderr) = run_fixture("data_duplicate_mode");
    let hint = expect_single_error("data_duplicate_mode", 6, 118, "failure mode `fire` is listed twice");
    assert_eq!(hint.as_deref(), Some("each mode of a component has its own name"));
    assert!(stderr.contains(&format!("{}:6:48: note: first listed here", fixture("data_duplicate_mode"))));
}

#[test]
fn dataset_named_like_a_component() {
    let (code, stderr) = run_fixture("data_name_taken");
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(&stderr, &fixture("data_name_taken"), 19, 24, "`s3` is already defined");
    assert_eq!(
        hint(&block),
        Some("names are unique within an architecture, its shared components and datasets included")
    );
}

#[test]
fn injection_targeting_a_dataset() {
    let hint =
        expect_single_error("data_inject_dataset", 27, 27, "`orders` is a dataset and cannot be injected");
    assert!(hint.is_some_and(|h| h.contains("data-losing failure mode on its holder")));
}

#[test]
fn unknown_holder() {
    let hint = expect_single_error("data_unknown_holder", 19, 42, "unknown component `db-x`");
    assert_eq!(hint.as_deref(), Some("did you mean `db-a`?"));
}

#[test]
fn unknown_replication_mode() {
    expect_single_error(
        "data_unknown_replication",
        20,
        51,
        "unexpected variant named `SemiSync` in enum `replication`, expected either `Sync` or `Async` instead",
    );
}

#[test]
fn empty_modes_list() {
    let hint = expect_single_error("data_empty_modes", 6, 16, "`az1` has an empty `modes` list");
    assert!(hint.is_some_and(|h| h.contains("fail: Never")));
}

#[test]
fn the_valid_form_compiles_to_what_was_written() {
    let text =
        std::fs::read_to_string(fixture("data_backup_unknown_store")).unwrap().replace("\"s4\"", "\"s3\"");
    let system = compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let arch = &system.architectures[0];
    let names: Vec<&str> = arch.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["az1", "az2", "db-a", "db-b", "s3", "app", "orders"], "datasets come last");
    let node = &arch.components[6];
    assert_eq!((node.kind, node.dataset), (Kind::Dataset, Some(0)));
    let d = &arch.datasets[0];
    let id = |n: &str| arch.find(n).unwrap();
    assert_eq!((d.node, d.holder), (id("orders"), id("db-a")));
    assert_eq!(d.replicas.len(), 1);
    assert_eq!((d.replicas[0].on, d.replicas[0].lag), (id("db-b"), Some(Dist::Fixed(SimTime(1000)))));
    let b = &d.backups[0];
    assert_eq!(
        (b.every, b.to, b.takes, b.offset),
        (SimTime(86_400_000), id("s3"), SimTime(600_000), SimTime::ZERO)
    );
    assert_eq!((d.promote, d.resync), (Dist::Fixed(SimTime(300_000)), Dist::Fixed(SimTime(3_600_000))));
    let az1 = &arch.components[0];
    assert_eq!(az1.modes.len(), 1);
    assert!(az1.modes[0].loses_data && az1.modes[0].fail.is_none());
    assert_eq!(arch.injections[0].mode, Some(0));
    // The app needs the dataset's node.
    assert_eq!(arch.components[5].needs.of, [id("orders")]);
}

#[test]
fn profile_modes_apply_and_a_component_fail_replaces_them() {
    let text = r#"(name: "m", horizon: "1y",
        profiles: {"ebs": (modes: [(name: "crash", fail: Exp(mean: "1y")),
                                   (name: "volume-loss", fail: Exp(mean: "10y"), loses_data: true,
                                    recover: Replace(detect: "1m", launch: "10m"))],
                           recover: Repair("1h"))},
        architectures: [(name: "a", service: "b", components: [
            (name: "a", kind: Storage, profile: "ebs"),
            (name: "b", kind: Storage, profile: "ebs", fail: Exp(mean: "2y"))])])"#;
    let system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let c = &system.architectures[0].components;
    assert_eq!(c[0].modes.len(), 2);
    assert_eq!(c[0].modes[0].recover, faultline::model::Recovery::Repair(Dist::Fixed(SimTime(3_600_000))));
    assert!(matches!(c[0].modes[1].recover, faultline::model::Recovery::Replace { .. }));
    assert!(c[0].fail.is_none() && c[0].can_fail());
    assert!(
        c[1].modes.is_empty() && c[1].fail.is_some(),
        "`fail` on the component replaces the profile's modes"
    );
}

#[test]
fn retention_on_a_component_that_is_not_a_queue() {
    let hint = expect_single_error(
        "data_retention_not_queue",
        10,
        108,
        "`workers` has a `retention` but is not a Queue",
    );
    assert_eq!(hint.as_deref(), Some("`retention` is how long a `kind: Queue` keeps an unconsumed message"));
}

#[test]
fn async_needs_naming_something_other_than_a_queue() {
    let hint = expect_single_error("data_async_not_a_queue", 12, 68, "`web` is not a Queue (kind: Instance)");
    assert_eq!(hint.as_deref(), Some("`Async(queue: ..)` names a component of `kind: Queue`"));
}

#[test]
fn a_queue_without_retention() {
    let hint =
        expect_single_error("data_queue_without_retention", 12, 68, "queue `orders-q` has no `retention`");
    assert!(hint.is_some_and(|h| h.contains("\"4d\"")));
}

#[test]
fn unknown_consumers() {
    let hint = expect_single_error("data_unknown_consumers", 12, 91, "unknown component `worker`");
    assert_eq!(hint.as_deref(), Some("did you mean `workers`?"));
}

#[test]
fn async_needs_compile_to_the_queue_and_a_link() {
    let text = std::fs::read_to_string(fixture("data_unknown_consumers"))
        .unwrap()
        .replace("\"worker\"", "\"workers\"");
    let system = compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let arch = &system.architectures[0];
    let id = |n: &str| arch.find(n).unwrap();
    assert_eq!(arch.components[id("enqueue").index()].needs.of, [id("orders-q")], "only the queue is needed");
    assert_eq!(
        arch.queues,
        [faultline::model::QueueLink {
            producer: id("enqueue"),
            queue: id("orders-q"),
            consumers: id("workers"),
            retention: SimTime(4 * 86_400_000),
        }]
    );
}

#[test]
fn an_invalid_retention_is_reported_once_and_backups_on_the_holder_warn() {
    let queue = std::fs::read_to_string(fixture("data_unknown_consumers"))
        .unwrap()
        .replace("\"worker\"", "\"workers\"")
        .replace("retention: \"4d\"", "retention: \"0s\"");
    let errors = compile_str(&queue).unwrap_err();
    let messages: Vec<&str> = errors.iter().filter(|d| d.is_error()).map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["a queue's `retention` must be longer than 0, got `0s`"]);

    let backups =
        std::fs::read_to_string(fixture("data_backup_unknown_store")).unwrap().replace("\"s4\"", "\"db-a\"");
    let compiled = compile_str(&backups).unwrap_or_else(|d| panic!("{d:#?}"));
    let warnings: Vec<&str> = compiled.warnings.iter().map(|d| d.message.as_str()).collect();
    // With no backups on it, `s3` is left outside the service: a second warning.
    assert_eq!(
        warnings,
        ["`s3` plays no part in the service `app`", "backups of `orders` are kept on its holder `db-a`"]
    );
}

#[test]
fn a_mode_may_not_take_a_name_faultline_gives_to_problems() {
    for name in ["injected", "failback", "injected-fire"] {
        let text = std::fs::read_to_string(fixture("data_backup_unknown_store"))
            .unwrap()
            .replace("\"s4\"", "\"s3\"")
            .replace("(name: \"fire\", fail: Never", &format!("(name: \"{name}\", fail: Never"))
            .replace("mode: \"fire\"", &format!("mode: \"{name}\""));
        let errors = compile_str(&text).unwrap_err();
        let messages: Vec<&str> =
            errors.iter().filter(|d| d.is_error()).map(|d| d.message.as_str()).collect();
        assert_eq!(messages, [format!("`{name}` is a name faultline gives to problems")], "{name}");
    }
}
