//! Diagnostics of the high-availability scenario forms: crews, alerting `detect`, `crew`,
//! `start_failure`, `HealthCheck(..)` delays, standby groups and correlated injection targets
//! (`InAz`, `InRegion`, `Each`). One broken fixture per diagnostic class in
//! `tests/fixtures/broken/ha_*.ron`, each checked through `faultline validate` for the exit code,
//! the exact `line:col` and the message; then positive checks of the same forms through the
//! library (`faultline::model::compile_str`), including how injection targets expand.
//!
//! The binary runs with the crate root as its working directory and relative fixture paths,
//! so every diagnostic starts with `tests/fixtures/broken/NAME.ron:LINE:COL: `.

use super::*;

use faultline::dist::Dist;
use faultline::model::{Architecture, Crew, CrewId, compile_str};
use faultline::time::SimTime;

/// The `error:` header lines of `stderr`.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(": error: ")).collect()
}

/// Runs a fixture that must fail with exactly one error at `LINE:COL`, whatever its wording;
/// returns that error's header line.
fn expect_single_error_at(name: &str, line: usize, col: usize) -> String {
    let file = fixture(name);
    let (code, stderr) = run_fixture(name);
    assert_eq!(code, BAD_INPUT, "exit code of {file}; stderr:\n{stderr}");
    let errors = error_lines(&stderr);
    assert_eq!(errors.len(), 1, "exactly one error expected:\n{stderr}");
    let prefix = format!("{file}:{line}:{col}: error: ");
    assert!(errors[0].starts_with(&prefix), "expected an error at {line}:{col}:\n{stderr}");
    errors[0][prefix.len()..].to_string()
}

const CYCLE_HINT: &str =
    "a component cannot depend on itself, directly or through others; remove one of these needs";

// ---------------------------------------------------------------------------------------------
// Crews
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_crew_suggests_the_closest_name() {
    let hint = expect_single_error("ha_unknown_crew", 11, 61, "unknown crew `oncal`");
    assert_eq!(hint.as_deref(), Some("did you mean `oncall`?"));
    let (_, stderr) = run_fixture("ha_unknown_crew");
    let block = assert_error(&stderr, &fixture("ha_unknown_crew"), 11, 61, "unknown crew `oncal`");
    assert_eq!(caret(&block), (61, "\"oncal\"".len()));
}

#[test]
fn unknown_crew_in_an_unused_profile() {
    let hint = expect_single_error("ha_unknown_crew_unused_profile", 7, 83, "unknown crew `oncal`");
    assert_eq!(hint.as_deref(), Some("did you mean `oncall`?"));
}

#[test]
fn crew_of_size_zero() {
    let hint = expect_single_error("ha_crew_size_zero", 5, 23, "crew `oncall` must have at least one member");
    assert_eq!(hint.as_deref(), Some("a crew's size is how many repairs it works on at once, e.g. 1"));
}

#[test]
fn crew_size_above_the_largest() {
    let message = expect_single_error_at("ha_crew_size_too_large", 5, 23);
    assert!(message.contains("4294967296"), "the message should show the size: {message}");
    assert!(!message.contains("at least"), "the size is too large, not too small: {message}");
}

#[test]
fn duplicate_crew_points_at_the_second_definition() {
    let file = fixture("ha_duplicate_crew");
    let hint = expect_single_error("ha_duplicate_crew", 8, 9, "crew `oncall` is defined twice");
    assert_eq!(hint.as_deref(), Some("rename or remove one of them"));
    let (_, stderr) = run_fixture("ha_duplicate_crew");
    let block = assert_error(&stderr, &file, 8, 9, "crew `oncall` is defined twice");
    assert_eq!(caret(&block), (9, "\"oncall\"".len()));
    assert_eq!(
        block.last().copied(),
        Some(header(&file, 6, 9, "note", "first definition of `oncall`").as_str())
    );
}

// ---------------------------------------------------------------------------------------------
// HealthCheck delays
// ---------------------------------------------------------------------------------------------

#[test]
fn health_check_threshold_zero() {
    let hint =
        expect_single_error("ha_healthcheck_threshold_zero", 10, 86, "`threshold` must be at least 1, got 0");
    assert_eq!(
        hint.as_deref(),
        Some("it counts the consecutive failed checks that mark a target unhealthy, e.g. 3")
    );
}

#[test]
fn health_check_threshold_above_the_largest() {
    let message = expect_single_error_at("ha_healthcheck_threshold_too_large", 10, 85);
    assert!(message.contains("4294967296"), "the message should show the threshold: {message}");
    assert!(!message.contains("at least"), "the threshold is too large, not too small: {message}");
}

#[test]
fn health_check_used_as_fail() {
    let file = fixture("ha_healthcheck_as_fail");
    let hint = expect_single_error(
        "ha_healthcheck_as_fail",
        9,
        55,
        "a health check is a detection delay, not a time to failure",
    );
    assert_eq!(hint.as_deref(), Some("use it in `detect:` of `Replace`, a standby group or a profile"));
    let (_, stderr) = run_fixture("ha_healthcheck_as_fail");
    let block =
        assert_error(&stderr, &file, 9, 55, "a health check is a detection delay, not a time to failure");
    assert_eq!(caret(&block), (55, "HealthCheck(interval: \"30s\", threshold: 3)".len()));
}

// ---------------------------------------------------------------------------------------------
// Standby groups
// ---------------------------------------------------------------------------------------------

#[test]
fn standby_member_also_in_needs() {
    let hint = expect_single_error(
        "ha_standby_member_in_needs",
        16,
        41,
        "`db-a` is both a standby member and in `needs`",
    );
    assert_eq!(
        hint.as_deref(),
        Some("members are not dependencies: `needs` on a standby group are extra conditions (e.g. its AZ)")
    );
}

#[test]
fn standby_group_with_one_member() {
    let hint =
        expect_single_error("ha_standby_one_member", 13, 24, "standby group `db` needs at least two members");
    assert_eq!(
        hint.as_deref(),
        Some("with one member there is nothing to fail over to: use `needs: All([..])`")
    );
}

#[test]
fn standby_member_listed_twice_points_at_the_repeat() {
    let file = fixture("ha_standby_member_twice");
    let hint =
        expect_single_error("ha_standby_member_twice", 15, 57, "standby member `db-a` is listed twice");
    assert_eq!(hint.as_deref(), Some("list each member once, in priority order"));
    let (_, stderr) = run_fixture("ha_standby_member_twice");
    let block = assert_error(&stderr, &file, 15, 57, "standby member `db-a` is listed twice");
    assert_eq!(block.last().copied(), Some(header(&file, 15, 41, "note", "first listed here").as_str()));
}

#[test]
fn unknown_standby_member_suggests_the_closest_name() {
    let hint = expect_single_error("ha_standby_unknown_member", 15, 55, "unknown component `db-replika`");
    assert_eq!(hint.as_deref(), Some("did you mean `db-replica`?"));
}

#[test]
fn standby_on_a_kind_that_is_not_group() {
    let file = fixture("ha_standby_not_group");
    let (code, stderr) = run_fixture("ha_standby_not_group");
    assert_eq!(code, BAD_INPUT, "stderr:\n{stderr}");
    let block = assert_error(&stderr, &file, 14, 24, "`db` has `standby` but is not a Group");
    assert_eq!(hint(&block), Some("write `kind: Group` for a standby group"));
    assert_eq!(caret(&block), (24, "\"db\"".len()));
}

#[test]
fn standby_on_a_kind_that_is_not_group_is_the_only_error() {
    let hint = expect_single_error("ha_standby_not_group", 14, 24, "`db` has `standby` but is not a Group");
    assert_eq!(hint.as_deref(), Some("write `kind: Group` for a standby group"));
}

#[test]
fn passive_warm_without_its_factor() {
    let hint = expect_single_error("ha_passive_warm", 15, 101, "expected opening `(`");
    assert_eq!(
        hint.as_deref(),
        Some("write `Warm(factor: 0.5)`: the fraction of real time a passive member ages at")
    );
}

#[test]
fn standby_group_member_of_itself_is_a_cycle() {
    let file = fixture("ha_standby_cycle_self");
    let hint = expect_single_error("ha_standby_cycle_self", 14, 49, "dependency cycle: db -> db");
    assert_eq!(hint.as_deref(), Some(CYCLE_HINT));
    let (_, stderr) = run_fixture("ha_standby_cycle_self");
    let block = assert_error(&stderr, &file, 14, 49, "dependency cycle: db -> db");
    assert_eq!(caret(&block), (49, "\"db\"".len()));
}

#[test]
fn group_member_of_a_standby_group_it_feeds_is_a_cycle() {
    let hint = expect_single_error("ha_standby_cycle_group", 14, 49, "dependency cycle: db -> app -> db");
    assert_eq!(hint.as_deref(), Some(CYCLE_HINT));
}

#[test]
fn standby_member_needing_what_its_group_feeds_is_a_cycle() {
    let hint = expect_single_error("ha_standby_cycle", 13, 76, "dependency cycle: db-b -> app -> db -> db-b");
    assert_eq!(hint.as_deref(), Some(CYCLE_HINT));
}

// ---------------------------------------------------------------------------------------------
// Member fields: start_failure, runtime
// ---------------------------------------------------------------------------------------------

#[test]
fn start_failure_above_one() {
    let hint =
        expect_single_error("ha_start_failure_above_one", 13, 79, "a probability is in [0, 1], got 1.5");
    assert_eq!(hint.as_deref(), Some("write 2% as 0.02"));
}

#[test]
fn start_failure_without_recover() {
    let hint = expect_single_error(
        "ha_start_failure_without_recover",
        10,
        72,
        "`gen` can fail to start but has no `recover`",
    );
    assert_eq!(
        hint.as_deref(),
        Some("a failed start is an own failure: add `recover: Repair(..)` to say how it ends")
    );
}

#[test]
fn runtime_outside_a_standby_group() {
    let hint = expect_single_error("ha_runtime", 10, 66, "`ups` has a `runtime` but is in no standby group");
    assert_eq!(
        hint.as_deref(),
        Some("a battery's runtime counts from when a standby group activates the member")
    );
}

// ---------------------------------------------------------------------------------------------
// Injection targets
// ---------------------------------------------------------------------------------------------

#[test]
fn in_az_with_an_unknown_az() {
    let hint = expect_single_error("ha_inaz_unknown_az", 16, 27, "`use1-az9` is in no architecture");
    assert_eq!(hint.as_deref(), Some("did you mean `use1-az1`?"));
    let (_, stderr) = run_fixture("ha_inaz_unknown_az");
    let block =
        assert_error(&stderr, &fixture("ha_inaz_unknown_az"), 16, 27, "`use1-az9` is in no architecture");
    assert_eq!(caret(&block), (27, "\"use1-az9\"".len()));
}

#[test]
fn in_az_of_a_kind_matching_nothing_anywhere() {
    let file = fixture("ha_inaz_kind_matches_nothing");
    let message = "`InAz(use1-az1, Database)` matches no component in any architecture";
    let hint = expect_single_error("ha_inaz_kind_matches_nothing", 16, 18, message);
    assert_eq!(
        hint.as_deref(),
        Some("a component is in a zone when it needs it through `All` edges; check `kind`")
    );
    let (_, stderr) = run_fixture("ha_inaz_kind_matches_nothing");
    let block = assert_error(&stderr, &file, 16, 18, message);
    assert_eq!(caret(&block), (18, "InAz(az: \"use1-az1\", kind: Database)".len()));
}

#[test]
fn each_with_one_unknown_name() {
    let hint =
        expect_single_error("ha_each_unknown_name", 17, 33, "injection target `web-3` is in no architecture");
    let hint = hint.unwrap_or_default();
    assert!(hint.starts_with("did you mean `web-"), "unexpected hint: {hint}");
}

#[test]
fn each_of_nothing() {
    let message = expect_single_error_at("ha_each_empty", 15, 18);
    assert!(message.contains("Each"), "the message should name the empty `Each`: {message}");
}

#[test]
fn every_ha_fixture_says_what_it_breaks_and_is_small() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(BROKEN);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("the fixture directory") {
        let path = entry.expect("a directory entry").path();
        let is_ha = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("ha_"));
        if !is_ha || path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        count += 1;
        let text = std::fs::read_to_string(&path).expect("a UTF-8 fixture");
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("// Breaks"),
            "{}: the first line should say what it breaks",
            path.display()
        );
        let lines = text.lines().count();
        assert!((10..=25).contains(&lines), "{}: {lines} lines, keep fixtures small", path.display());
    }
    assert!(count >= 24, "expected the ha_ fixtures, found {count}");
}

// ---------------------------------------------------------------------------------------------
// Positive checks through the library
// ---------------------------------------------------------------------------------------------

/// Every new form at once, valid.
const VALID_HA: &str = r#"// Valid: crews, alerting, start failures, HealthCheck, standby groups, correlated targets.
Scenario(
    name: "every HA form",
    horizon: "1y",
    crews: {"oncall": 1, "vendor": 2},
    profiles: {
        "rds": (fail: Exp(mean: "8760h"), recover: Repair(Exp(mean: "1h")),
                detect: HealthCheck(interval: "30s", threshold: 3), crew: "oncall", start_failure: 0.02),
    },
    shared: [
        (name: "use1", kind: Region, fail: Never),
        (name: "use1-az1", kind: Az, fail: Exp(mean: "43800h"), recover: Repair("6h"),
            crew: "vendor", needs: All(["use1"])),
        (name: "use1-az2", kind: Az, fail: Never, needs: All(["use1"])),
    ],
    architectures: [
        (
            name: "standby",
            components: [
                (name: "vpc", kind: Link, fail: Never),
                (name: "db-a", kind: Database, profile: "rds", needs: All(["use1-az1"])),
                (name: "db-b", kind: Database, profile: "rds", needs: All(["use1-az2"]),
                    detect: "5m", crew: "vendor", start_failure: 0.1),
                (name: "db", kind: Group, needs: All(["vpc"]),
                    standby: (members: ["db-a", "db-b"], detect: "30s",
                              switch: Uniform(lo: "60s", hi: "120s"), failback: false, passive: Hot)),
                (name: "web-1", kind: Instance, fail: Exp(mean: "2000h"),
                    recover: Replace(detect: HealthCheck(interval: "10s", threshold: 2), launch: "4m"),
                    needs: All(["use1-az1"])),
                (name: "web-2", kind: Instance, fail: Never, needs: All(["use1-az2"])),
                (name: "web", kind: Group,
                    standby: (members: ["web-1", "web-2"], detect: HealthCheck(interval: "5s", threshold: 3),
                              switch: "0s", failback: true, passive: Cold)),
                (name: "service", kind: Group, needs: All(["web", "db"])),
            ],
            service: "service",
        ),
    ],
    injections: [
        (target: "use1-az1", at: "10d", duration: "1h"),
        (target: InAz(az: "use1-az1", kind: Instance), at: "20d", duration: "1h"),
        (target: InRegion(region: "use1"), at: "30d", duration: "1h"),
        (target: InRegion(region: "use1", kind: Database), at: "40d", duration: "1h"),
        (target: Each(["db-a", "web-2"]), at: "50d", duration: "1h"),
    ],
)
"#;

/// The names of the components injected at `at` in `arch`, in id order.
fn injected_at(arch: &Architecture, at: &str) -> Vec<String> {
    let at = faultline::time::parse_duration(at).expect("a duration");
    let mut ids: Vec<_> = arch.injections.iter().filter(|i| i.at == at).map(|i| i.target).collect();
    ids.sort_unstable();
    ids.iter().map(|id| arch.components[id.index()].name.clone()).collect()
}

/// The architecture named `name`.
fn arch<'a>(system: &'a faultline::model::System, name: &str) -> &'a Architecture {
    system.architectures.iter().find(|a| a.name == name).expect("the architecture exists")
}

#[test]
fn every_new_form_compiles() {
    let compiled = compile_str(VALID_HA).unwrap_or_else(|d| panic!("expected a valid scenario, got {d:#?}"));
    assert!(compiled.warnings.is_empty(), "{:#?}", compiled.warnings);
    let system = &compiled.system;
    assert_eq!(
        system.crews,
        vec![Crew { name: "oncall".into(), size: 1 }, Crew { name: "vendor".into(), size: 2 }]
    );
    let a = arch(system, "standby");
    let component = |name: &str| &a.components[a.find(name).expect("the component exists").index()];
    let ms = |text: &str| faultline::time::parse_duration(text).expect("a duration");

    let db_a = component("db-a");
    assert_eq!(db_a.alert, Some(Dist::HealthCheck { interval_ms: 30_000, threshold: 3 }));
    assert_eq!(db_a.crew, Some(CrewId(0)));
    assert_eq!(db_a.start_failure, 0.02);
    let db_b = component("db-b");
    assert_eq!(db_b.alert, Some(Dist::Fixed(ms("5m"))));
    assert_eq!(db_b.crew, Some(CrewId(1)));
    assert_eq!(db_b.start_failure, 0.1);
    assert_eq!(component("use1-az1").crew, Some(CrewId(1)));
    assert_eq!(component("web-2").start_failure, 0.0);

    let db = component("db");
    let standby = db.standby.as_ref().expect("db is a standby group");
    assert_eq!(standby.members, vec![a.find("db-a").unwrap(), a.find("db-b").unwrap()]);
    assert_eq!(standby.detect, Dist::Fixed(ms("30s")));
    assert_eq!(standby.switch, Dist::Uniform { lo_ms: 60_000, hi_ms: 120_000 });
    assert!(!standby.failback && !standby.cold);
    assert_eq!(db.needs.of, vec![a.find("vpc").unwrap()]);
    let web = component("web").standby.as_ref().expect("web is a standby group");
    assert_eq!(web.detect, Dist::HealthCheck { interval_ms: 5_000, threshold: 3 });
    assert_eq!(web.switch, Dist::Fixed(SimTime::ZERO));
    assert!(web.failback && web.cold);
    assert_eq!(component("web").needs.of, vec![]);

    assert_eq!(injected_at(a, "10d"), ["use1-az1"]);
    assert_eq!(injected_at(a, "20d"), ["web-1"]);
    assert_eq!(injected_at(a, "30d"), ["use1-az1", "use1-az2", "db-a", "db-b", "web-1", "web-2"]);
    assert_eq!(injected_at(a, "40d"), ["db-a", "db-b"]);
    assert_eq!(injected_at(a, "50d"), ["db-a", "web-2"]);
    assert!(a.injections_skipped.is_empty(), "{:?}", a.injections_skipped);
}

#[test]
fn every_new_form_validates_through_the_binary() {
    let path = scratch("valid.ron", VALID_HA.as_bytes());
    let shown = path.display().to_string();
    let run = validate(&[&shown]);
    assert_eq!(run.code, 0, "stderr:\n{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_accepted(&run.stdout, &shown);
}

/// Zones and what is in them. In `a`: `i-1` needs az-1 directly, `i-3` through `rack-1`, `i-4`
/// through `AtLeast(2, [az-1, az-2])` and `i-5` through `Any([az-1])` (all of them `All` edges);
/// `i-2` needs `Any([az-1, az-2])` and `i-6` needs az-2 only; `db` is in az-1 but a Database;
/// `web` and `service` hang off `Any` edges; az-3 exists in `a` only. `b` has no az-3 and no
/// database.
const ZONES: &str = r#"(
    name: "zones",
    horizon: "1y",
    shared: [
        (name: "r", kind: Region, fail: Never),
        (name: "az-1", kind: Az, fail: Never, needs: All(["r"])),
        (name: "az-2", kind: Az, fail: Never, needs: All(["r"])),
    ],
    architectures: [
        (
            name: "a",
            components: [
                (name: "az-3", kind: Az, fail: Never, needs: All(["r"])),
                (name: "rack-1", kind: Power, fail: Never, needs: All(["az-1"])),
                (name: "i-1", kind: Instance, fail: Never, needs: All(["az-1"])),
                (name: "i-2", kind: Instance, fail: Never, needs: Any(["az-1", "az-2"])),
                (name: "i-3", kind: Instance, fail: Never, needs: All(["rack-1"])),
                (name: "i-4", kind: Instance, fail: Never, needs: AtLeast(2, ["az-1", "az-2"])),
                (name: "i-5", kind: Instance, fail: Never, needs: Any(["az-1"])),
                (name: "i-6", kind: Instance, fail: Never, needs: All(["az-2"])),
                (name: "i-8", kind: Instance, fail: Never, needs: All(["az-3"])),
                (name: "db", kind: Database, fail: Never, needs: All(["az-1"])),
                (name: "lb", kind: LoadBalancer, fail: Never),
                (name: "web", kind: Group, needs: Any(["i-1", "i-2"])),
                (name: "service", kind: Group, needs: All(["lb", "web"])),
            ],
            service: "service",
        ),
        (
            name: "b",
            components: [
                (name: "i-1", kind: Instance, fail: Never, needs: All(["az-1"])),
                (name: "i-2", kind: Instance, fail: Never, needs: Any(["az-1", "az-2"])),
            ],
            service: "i-1",
        ),
    ],
    injections: [
        (target: InAz(az: "az-1", kind: Instance), at: "1d", duration: "1h"),
        (target: InAz(az: "az-1"), at: "2d", duration: "1h"),
        (target: InRegion(region: "r"), at: "3d", duration: "1h"),
        (target: InAz(az: "az-3"), at: "4d", duration: "1h"),
        (target: InAz(az: "az-3", kind: Instance), at: "5d", duration: "1h"),
        (target: InAz(az: "az-1", kind: Database), at: "6d", duration: "1h"),
        (target: InRegion(region: "r", kind: Az), at: "7d", duration: "1h"),
        (target: Each(["i-8", "i-2"]), at: "8d", duration: "1h"),
        (target: "i-8", at: "9d", duration: "1h"),
    ],
)
"#;

fn zones() -> faultline::model::System {
    compile_str(ZONES).unwrap_or_else(|d| panic!("expected a valid scenario, got {d:#?}")).system
}

#[test]
fn in_az_of_a_kind_is_exactly_what_needs_the_az_through_all_edges() {
    let system = zones();
    let a = arch(&system, "a");
    // Not i-2 (Any of two AZs), not i-6 (the other AZ), not db (a Database), not az-1 itself.
    assert_eq!(injected_at(a, "1d"), ["i-1", "i-3", "i-4", "i-5"]);
    let b = arch(&system, "b");
    assert_eq!(injected_at(b, "1d"), ["i-1"]);
}

#[test]
fn in_az_without_kind_excludes_the_az_and_any_edges() {
    let system = zones();
    let a = arch(&system, "a");
    assert_eq!(injected_at(a, "2d"), ["rack-1", "i-1", "i-3", "i-4", "i-5", "db"]);
}

#[test]
fn in_region_without_kind_takes_the_azs_and_everything_below_them() {
    let system = zones();
    let a = arch(&system, "a");
    assert_eq!(
        injected_at(a, "3d"),
        ["az-1", "az-2", "az-3", "rack-1", "i-1", "i-3", "i-4", "i-5", "i-6", "i-8", "db"]
    );
    let b = arch(&system, "b");
    assert_eq!(injected_at(b, "3d"), ["az-1", "az-2", "i-1"]);
    assert_eq!(injected_at(a, "7d"), ["az-1", "az-2", "az-3"]);
}

#[test]
fn targets_missing_from_one_architecture_are_listed_as_skipped_there() {
    let system = zones();
    let a = arch(&system, "a");
    assert!(a.injections_skipped.is_empty(), "{:?}", a.injections_skipped);
    assert_eq!(injected_at(a, "4d"), ["i-8"]);
    assert_eq!(injected_at(a, "5d"), ["i-8"]);
    assert_eq!(injected_at(a, "6d"), ["db"]);
    assert_eq!(injected_at(a, "8d"), ["i-2", "i-8"]);
    let b = arch(&system, "b");
    assert_eq!(b.injections_skipped, ["InAz(az-3)", "InAz(az-3, Instance)", "InAz(az-1, Database)", "i-8"]);
    // `Each` keeps the names present here and is not skipped.
    assert_eq!(injected_at(b, "8d"), ["i-2"]);
    assert!(injected_at(b, "4d").is_empty() && injected_at(b, "9d").is_empty());
}
