//! Cost per year: every component its rate for all the time it is provisioned, a standby
//! member its passive rate while another member is active; exact on a scripted run.

use faultline::model::compile_str;

const SCENARIO: &str = r#"(name: "cost", horizon: "100h", replications: 3, random: false,
    architectures: [(name: "a", components: [
        (name: "lb", kind: LoadBalancer, fail: Never, cost_per_hour: 2.0),
        (name: "a", kind: Instance, fail: Never, cost_per_hour: 1.0),
        (name: "b", kind: Instance, fail: Never, cost_per_hour: 1.0, passive_cost_per_hour: 0.25),
        (name: "g", kind: Group, standby: (members: ["a", "b"], detect: "0s", switch: "1h")),
        (name: "c", kind: Database, fail: Never, cost_per_hour: 3.0),
        (name: "d", kind: Database, fail: Never, cost_per_hour: 3.0),
        (name: "h", kind: Group, standby: (members: ["c", "d"], detect: "0s", switch: "1h", passive: Cold)),
        (name: "site", kind: Group, needs: All(["lb", "g", "h"])),
    ], service: "site")],
    injections: [(target: "a", at: "10h", duration: "5h")])"#;

#[test]
fn a_scripted_design_costs_its_rates_times_its_provisioned_hours() {
    let system = compile_str(SCENARIO).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let pool = faultline::runner::thread_pool(2).unwrap();
    let report = &faultline::runner::report_all(&system, &pool)[0];
    // a fails at 10 h and g switches to b (no failback): a active 10 h then passive 90 h at
    // its full rate (a Hot member); b passive 10 h at 0.25, active 90 h; c active all along,
    // d passive all along at 0 (a Cold member); lb 100 h.
    let per_run = 2.0 * 100.0 + (1.0 * 10.0 + 1.0 * 90.0) + (0.25 * 10.0 + 1.0 * 90.0) + 3.0 * 100.0 + 0.0;
    let years = 100.0 / 8760.0;
    let expected = per_run / years;
    assert!(
        (report.cost_per_year - expected).abs() <= 1e-9 * expected,
        "{} vs {expected}",
        report.cost_per_year
    );
}

#[test]
fn without_costs_a_design_costs_nothing() {
    let free: String = SCENARIO
        .lines()
        .map(|l| {
            l.replace(", passive_cost_per_hour: 0.25", "")
                .replace(", cost_per_hour: 2.0", "")
                .replace(", cost_per_hour: 1.0", "")
                .replace(", cost_per_hour: 3.0", "")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let system = compile_str(&free).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let pool = faultline::runner::thread_pool(1).unwrap();
    assert_eq!(faultline::runner::report_all(&system, &pool)[0].cost_per_year, 0.0);
}
