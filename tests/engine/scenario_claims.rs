//! What the bundled scenarios' headers say they show, checked: the single points of failure
//! `sweep` names and what a scripted injection does with random failures off.

use faultline::analysis::sweep::sweep;
use faultline::engine::{Prepared, Recorder, RunParams, Simulator};
use faultline::model::compile_str;
use faultline::time::{MS_PER_DAY, MS_PER_HOUR, SimTime};

#[test]
fn one_nat_gateway_is_a_single_point_of_failure_and_one_per_az_is_not() {
    let system = compile_str(&crate::harness::scenario("nat-gateways.ron")).unwrap().system;
    let spofs = |name: &str| {
        let arch = system.architectures.iter().find(|a| a.name == name).unwrap();
        sweep(arch, 1, SimTime(30 * MS_PER_DAY)).spofs
    };
    assert_eq!(spofs("nat-per-az"), ["alb", "use1"]);
    assert_eq!(spofs("one-nat"), ["alb", "nat-1", "use1", "use1-az1"]);

    // use1-az1 dark for 6 h on day 100: one-nat is down for all of it, nat-per-az not at all.
    let params = RunParams { seed: system.seed, horizon: system.horizon, random: false };
    let downtime: Vec<(String, Vec<(SimTime, SimTime)>)> = system
        .architectures
        .iter()
        .map(|arch| {
            let prepared = Prepared::new(arch, params);
            let mut recorder = Recorder::default();
            Simulator::new(&prepared).run(0, &mut recorder);
            (arch.name.clone(), recorder.incidents.iter().map(|i| (i.start, i.duration())).collect())
        })
        .collect();
    assert_eq!(downtime[0], ("nat-per-az".to_string(), vec![]));
    assert_eq!(
        downtime[1],
        ("one-nat".to_string(), vec![(SimTime(100 * MS_PER_DAY), SimTime(6 * MS_PER_HOUR))])
    );
}
