//! Derived designs (`extends`) give the results of the same design written out in full: every
//! field of the report but the name, byte for byte.

use faultline::model::compile_str;

/// A base design with random failures, a standby group and a backed-up dataset; `derived`
/// extends it (replacing `site`, adding `web-3`, removing `web-2`, replacing the data and the
/// objectives), and `written-out` is the same design in full, its components in the order the
/// merge gives: the base's, a replaced one in its place, removed ones left out, added ones last.
const SCENARIO: &str = r#"(
    name: "derived", horizon: "2y", replications: 40, seed: 9,
    profiles: {"vm": (fail: Exp(mean: "500h"), recover: Repair("3h"))},
    shared: [(name: "az1", kind: Az, fail: Exp(mean: "3000h"), recover: Repair("2h")),
             (name: "az2", kind: Az, fail: Exp(mean: "3000h"), recover: Repair("2h"))],
    architectures: [
        (name: "base",
         components: [
            (name: "web-1", kind: Instance, profile: "vm", needs: All(["az1"])),
            (name: "web-2", kind: Instance, profile: "vm", needs: All(["az2"])),
            (name: "db-a", kind: Database, profile: "vm", needs: All(["az1"])),
            (name: "db-b", kind: Database, profile: "vm", needs: All(["az2"])),
            (name: "db", kind: Group, standby: (members: ["db-a", "db-b"], detect: "1m", switch: "2m")),
            (name: "s3", kind: Storage, fail: Never),
            (name: "site", kind: Group, needs: AtLeast(1, ["web-1", "web-2"])),
            (name: "app", kind: Group, needs: All(["site", "orders"])),
         ],
         data: [(name: "orders", holder: "db", backups: [(every: "1d", to: "s3", restore: "1h")])],
         service: "app"),
        (name: "derived", extends: "base",
         objectives: (availability: 0.99),
         components: [
            (name: "web-3", kind: Instance, profile: "vm", needs: All(["az2"])),
            (name: "site", kind: Group, needs: Any(["web-1", "web-3"])),
         ],
         remove: ["web-2"],
         data: [(name: "orders", holder: "db", backups: [(every: "6h", to: "s3", restore: "2h")])]),
        (name: "written-out",
         objectives: (availability: 0.99),
         components: [
            (name: "web-1", kind: Instance, profile: "vm", needs: All(["az1"])),
            (name: "db-a", kind: Database, profile: "vm", needs: All(["az1"])),
            (name: "db-b", kind: Database, profile: "vm", needs: All(["az2"])),
            (name: "db", kind: Group, standby: (members: ["db-a", "db-b"], detect: "1m", switch: "2m")),
            (name: "s3", kind: Storage, fail: Never),
            (name: "site", kind: Group, needs: Any(["web-1", "web-3"])),
            (name: "app", kind: Group, needs: All(["site", "orders"])),
            (name: "web-3", kind: Instance, profile: "vm", needs: All(["az2"])),
         ],
         data: [(name: "orders", holder: "db", backups: [(every: "6h", to: "s3", restore: "2h")])],
         service: "app"),
    ],
)"#;

#[test]
fn a_derived_design_reports_as_the_same_design_written_out() {
    let system = compile_str(SCENARIO).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let [base, derived, written] = &system.architectures[..] else { panic!("three designs") };
    let names =
        |a: &faultline::model::Architecture| a.components.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(derived), names(written));
    assert!(names(base).contains(&"web-2".to_string()) && !names(derived).contains(&"web-2".to_string()));

    let pool = faultline::runner::thread_pool(2).expect("thread pool");
    let reports = faultline::runner::report_all(&system, &pool);
    let json = |k: usize| {
        let mut value = serde_json::to_value(&reports[k]).expect("serialises");
        value.as_object_mut().expect("an object").remove("name");
        serde_json::to_string_pretty(&value).expect("serialises")
    };
    assert!(reports[1].incidents > 0, "random failures happened");
    assert_eq!(json(1), json(2));
    assert_ne!(json(0), json(1), "the derivation changed something");
}
