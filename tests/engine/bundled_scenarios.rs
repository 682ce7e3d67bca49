//! The bundled scenarios under their scripted injections alone (random failures off): each
//! design's realised RTO and RPO are exactly what its delays imply, and the single points of
//! failure `sweep` names are those the scenario's header states.

use faultline::analysis::sweep::sweep;
use faultline::engine::{Label, Prepared, Recorder, RunParams, Simulator, Source};
use faultline::model::compile_str;
use faultline::time::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, SimTime};

/// For each architecture of a bundled scenario, replication 0 with random failures off:
/// (name, incidents as (start, duration, label), losses as (at, rpo, from)).
type Run = (String, Vec<(SimTime, SimTime, Option<Label>)>, Vec<(SimTime, Option<SimTime>, Option<Source>)>);

fn scripted(file: &str) -> Vec<Run> {
    scripted_text(&crate::harness::scenario(file))
}

/// [`scripted`] of a scenario's text.
fn scripted_text(text: &str) -> Vec<Run> {
    let system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let params = RunParams { seed: system.seed, horizon: system.horizon, random: false };
    system
        .architectures
        .iter()
        .map(|arch| {
            let prepared = Prepared::new(arch, params);
            let mut recorder = Recorder::default();
            Simulator::new(&prepared).run(0, &mut recorder);
            let incidents = recorder.incidents.iter().map(|i| (i.start, i.duration(), i.label)).collect();
            let losses = recorder.losses.iter().map(|l| (l.at, l.rpo, l.from)).collect();
            (arch.name.clone(), incidents, losses)
        })
        .collect()
}

const H: u64 = MS_PER_HOUR;
const MIN: u64 = MS_PER_MINUTE;
const S: u64 = MS_PER_SECOND;

#[test]
fn dr_strategies_give_the_rto_and_rpo_their_delays_imply() {
    let fire = SimTime(4806 * H);
    let runs = scripted("dr-strategies.ron");
    let expected = [
        // The 4,800 h snapshot, copied to usw2 by 4,801 h; the restore takes 8 h.
        ("backup-restore", SimTime(8 * H), Label::Restore, fire, SimTime(6 * H), Source::Backup),
        // The fire destroys the primary; the replica in usw2 lags 1 s. Declared after 30 min,
        // the web tier starts in 15 min.
        ("pilot-light", SimTime(45 * MIN), Label::Failover, fire, SimTime(S), Source::Failover),
        // Health check 90 s, web scale-out 10 min.
        ("warm-standby", SimTime(11 * MIN + 30 * S), Label::Failover, fire, SimTime(S), Source::Failover),
        // Health check 90 s, DNS 120 s.
        ("active-active", SimTime(210 * S), Label::Failover, fire, SimTime(S), Source::Failover),
    ];
    assert_eq!(runs.len(), expected.len());
    for ((name, incidents, losses), (want, rto, label, loss_at, rpo, from)) in runs.iter().zip(expected) {
        assert_eq!(name, want);
        assert_eq!(incidents.as_slice(), [(fire, rto, Some(label))], "{name}");
        assert_eq!(losses.as_slice(), [(loss_at, Some(rpo), Some(from))], "{name}");
    }
}

#[test]
fn dr_strategies_backup_restore_waits_out_an_outage_that_keeps_the_data() {
    // The bundled fire, with plain region outages and a lost volume around it.
    let fire = r#"(target: "use1", at: "4806h", duration: "72h", mode: "fire"),"#;
    let text = crate::harness::scenario("dr-strategies.ron");
    assert!(text.contains(fire), "the bundled fire");
    let injections = format!(
        r#"(target: "use1", at: "1000h", duration: "1h"),
        (target: "db-use1", at: "1500h", duration: "30m", mode: "volume-loss"),
        (target: "usw2", at: "2000h", duration: "12h"),
        {fire}
        (target: "use1", at: "6000h", duration: "12h"),
        (target: "usw2", at: "7000h", duration: "12h"),"#
    );
    let runs = scripted_text(&text.replace(fire, &injections));
    let (name, incidents, losses) = &runs[0];
    assert_eq!(name, "backup-restore");
    let at = |hours: u64| SimTime(hours * H);
    assert_eq!(
        incidents.as_slice(),
        [
            // use1 out for 1 h, data kept: waited out, nothing moves to usw2.
            (at(1000), at(1), Some(Label::InjectionEnd)),
            // A lost volume: the 1,488 h snapshot restored in place (0.5 h) once the
            // database is back (0.5 h).
            (at(1500), at(1), Some(Label::Restore)),
            // usw2 out for 12 h at 2,000 h: nothing of the service is there.
            // The fire: the copy in usw2 restored into the stack there in 8 h.
            (at(4806), at(8), Some(Label::Restore)),
            // use1 out for 12 h at 6,000 h: the service now runs from usw2.
            // usw2 out for 12 h: the data lives there now, so it is waited out.
            (at(7000), at(12), Some(Label::InjectionEnd)),
        ],
        "{name}"
    );
    assert_eq!(
        losses.as_slice(),
        [(at(1500), Some(at(12)), Some(Source::Backup)), (at(4806), Some(at(6)), Some(Source::Backup))],
        "{name}"
    );
}

#[test]
fn order_pipeline_turns_the_fulfilment_outage_into_a_backlog_that_outlives_retention_by_a_day() {
    let runs = scripted("order-pipeline.ron");
    let day = SimTime(24 * H);
    let start = SimTime(100 * 24 * H);
    let (sync, queued) = (&runs[0], &runs[1]);
    assert_eq!(sync.0, "sync");
    assert_eq!(sync.1, [(start, SimTime(5 * day.0), Some(Label::InjectionEnd))]);
    assert!(sync.2.is_empty());
    assert_eq!(queued.0, "queued");
    assert!(queued.1.is_empty(), "checkout never waits for fulfilment: {:?}", queued.1);
    assert_eq!(queued.2, [(SimTime(105 * 24 * H), Some(day), None)]);
}

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
    let runs = scripted("nat-gateways.ron");
    let incidents: Vec<(&str, Vec<(SimTime, SimTime)>)> = runs
        .iter()
        .map(|(name, incidents, _)| (name.as_str(), incidents.iter().map(|&(at, d, _)| (at, d)).collect()))
        .collect();
    assert_eq!(
        incidents,
        [("nat-per-az", vec![]), ("one-nat", vec![(SimTime(100 * MS_PER_DAY), SimTime(6 * MS_PER_HOUR))])]
    );
}
