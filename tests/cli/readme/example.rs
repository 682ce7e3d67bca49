// tests/web_tier.rs: what the web tier of scenarios/web-single-vs-multi-az.ron must survive.
use faultline::testing::{Failures, Kind, check, for_all, load, replay};
use faultline::time::SimTime;

const FILE: &str = "scenarios/web-single-vs-multi-az.ron";

/// No single AZ failure takes `design` down for longer than `rto`.
fn survives_any_az_failure(design: &str, rto: &str) -> Result<(), Box<dyn std::error::Error>> {
    let system = load(FILE)?; // the compiled scenario, or its errors as `faultline validate` prints them
    let arch = system.architecture(design)?;
    let rto: SimTime = rto.parse()?; // a duration as scenario files write it: "1h", "1h30m"
    let failures = Failures::new(&system, arch).kinds(&[Kind::Az]);
    // 64 schedules of one AZ failure each, from a fixed seed: every run tries the same ones.
    for_all(&failures.single(), 64, 1, |schedule| {
        let run = replay(&system, arch, schedule);
        check(&run, FILE, |r| match r.longest_incident() {
            Some(d) if d > rto => Err(format!("an outage of {d}, longer than {rto}")),
            _ => Ok(()),
        })
    })?;
    Ok(())
}

#[test]
fn multi_az_survives_any_az_failure() -> Result<(), Box<dyn std::error::Error>> {
    survives_any_az_failure("multi-az", "1h")
}

#[test]
fn single_az_does_not() {
    let failure = survives_any_az_failure("single-az", "1h").unwrap_err();
    assert!(failure.to_string().starts_with("an outage of 61m, longer than 1h"), "{failure}");
}
