//! Planned maintenance windows: exact planned downtime with random failures off, planned
//! switchovers (no detection, one `switch`, nothing lost), windows taken when no peer is
//! healthy, incidents a failure joins, and failure clocks a window leaves alone.

use faultline::engine::{
    DataLoss, Incident, Label, Mode, Prepared, Recorder, RunParams, Simulator, TraceEvent, TraceKind,
};
use faultline::metrics::ArchitectureReport;
use faultline::model::{System, compile_str};
use faultline::time::{MS_PER_HOUR, MS_PER_MINUTE, SimTime};

fn compile(text: &str) -> System {
    compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system
}

/// Replication 0 of architecture `k`: what it recorded and its trace.
fn run_design(text: &str, k: usize) -> (Recorder, Vec<TraceEvent>) {
    let system = compile(text);
    let prepared = Prepared::new(&system.architectures[k], RunParams::of(&system));
    let mut sim = Simulator::new(&prepared);
    sim.set_tracing(true);
    let mut recorder = Recorder::default();
    sim.run(0, &mut recorder);
    let trace = sim.take_trace();
    (recorder, trace)
}

/// Replication 0 of the first architecture: its incidents, data losses and trace.
fn run(text: &str) -> (Vec<Incident>, Vec<DataLoss>, Vec<TraceEvent>) {
    let (recorder, trace) = run_design(text, 0);
    (recorder.incidents, recorder.losses, trace)
}

fn reports(text: &str) -> Vec<ArchitectureReport> {
    let pool = faultline::runner::thread_pool(2).unwrap();
    faultline::runner::report_all(&compile(text), &pool)
}

fn m(minutes: u64) -> SimTime {
    SimTime(minutes * MS_PER_MINUTE)
}

fn h(hours: u64) -> SimTime {
    SimTime(hours * MS_PER_HOUR)
}

/// One database alone (`single`) and the same database as the primary of a standby pair with
/// an asynchronous replica (`pair`), a window on `db` every `every` from 3 h for 30 min.
fn designs(horizon: &str, every: &str, random: bool, extra: &str) -> String {
    format!(
        r#"(name: "m", horizon: "{horizon}", replications: 3, random: {random},
            architectures: [
                (name: "single", components: [(name: "db", kind: Database, fail: Never)], service: "db"),
                (name: "pair", components: [
                    (name: "db", kind: Database, fail: Never),
                    (name: "db-b", kind: Database, fail: Never),
                    (name: "g", kind: Group, standby: (members: ["db", "db-b"], detect: "30s", switch: "1m")),
                    (name: "app", kind: Instance, fail: Never, needs: All(["orders"])),
                ], data: [(name: "orders", holder: "g", replicas: [(on: "db-b", mode: Async(lag: "5s"))],
                           promote: "1m", resync: "1h")],
                 service: "app"),
            ],
            maintenance: [(target: "db", every: "{every}", at: "3h", duration: "30m")],
            {extra})"#
    )
}

#[test]
fn a_single_database_is_down_for_exactly_every_window_and_it_is_all_planned() {
    // Windows at 3 h + k 7 d over 365 d: k = 0..=52, 53 windows of 30 min.
    let r = &reports(&designs("365d", "7d", false, ""))[0];
    let years = 365.0 / 365.0;
    assert_eq!(r.planned.outages, 3 * 53);
    assert!((r.planned.downtime_min_per_year - 53.0 * 30.0 / years).abs() < 1e-9);
    assert!((r.downtime_min_per_year - 53.0 * 30.0).abs() < 1e-9, "planned downtime is downtime");
    assert!((r.availability.mean - (1.0 - 53.0 * 30.0 / (365.0 * 24.0 * 60.0))).abs() < 1e-12);
    assert_eq!(r.planned.availability_unplanned.mean, 1.0);
    assert_eq!((r.incidents, r.rto_s.p95), (0, None), "a planned outage is no incident");
    assert!(r.problems.is_empty() && r.downtime_by_label.is_empty());
}

#[test]
fn a_window_reaching_past_the_horizon_is_cut_there() {
    // 3 h + 4 x 1 d = 99 h: the fifth window opens at 99 h and the horizon is 99 h 10 min.
    let text = designs("5950m", "1d", false, "");
    let r = &reports(&text)[0];
    assert_eq!(r.planned.outages, 3 * 5);
    let years = 5950.0 / (365.0 * 24.0 * 60.0);
    assert!((r.planned.downtime_min_per_year * years - (4.0 * 30.0 + 10.0)).abs() < 1e-9);
}

#[test]
fn a_standby_group_switches_over_before_the_window_without_detection_and_loses_nothing() {
    let text = designs("30d", "7d", false, "");
    let (recorder, trace) = run_design(&text, 1);
    // The first window opens at 3 h on the active member: one switch of 1 min, no detection;
    // db-b then stays active, so later windows on db (passive) take nothing down.
    assert_eq!(recorder.incidents.len(), 1, "{:?}", recorder.incidents);
    let i = &recorder.incidents[0];
    assert_eq!((i.start, i.end), (h(3), h(3).saturating_add(m(1))));
    assert_eq!(i.cause.mode, Mode::Maintenance);
    assert!(i.planned());
    assert!(recorder.losses.is_empty(), "a planned switchover loses nothing: {:?}", recorder.losses);
    assert!(!trace.iter().any(|e| e.kind == TraceKind::DetectionStarted));
    assert!(trace.iter().any(|e| matches!(
        e.kind,
        TraceKind::SwitchStarted { kind: faultline::engine::Switch::Planned, .. }
    )));
    let r = &reports(&text)[1];
    assert_eq!((r.planned.outages, r.incidents, r.data.data_loss_events), (3, 0, 0));
}

#[test]
fn the_same_outage_unplanned_fails_over_after_detection_and_loses_the_lag() {
    // The contrast: an injection at the same time is detected (30 s), switched (1 min) and
    // loses the replica's 5 s of lag.
    let text = designs("30d", "7d", false, r#"injections: [(target: "db", at: "2h", duration: "30m")]"#)
        .replace(r#"maintenance: [(target: "db", every: "7d", at: "3h", duration: "30m")],"#, "");
    let (recorder, _) = run_design(&text, 1);
    assert_eq!(recorder.incidents.len(), 1);
    let i = &recorder.incidents[0];
    assert_eq!((i.start, i.end), (h(2), h(2).saturating_add(SimTime(90_000))));
    assert!(!i.planned());
    assert_eq!(recorder.losses.len(), 1);
    assert_eq!(recorder.losses[0].rpo, Some(SimTime(5_000)));
}

#[test]
fn with_no_healthy_peer_the_window_is_taken_like_any_outage() {
    // db-b is down (injected) from 2 h to 5 h: the window at 3 h finds no peer; the group
    // detects, has no healthy member, and takes db back after the window plus one switch.
    let text = designs("30d", "7d", false, r#"injections: [(target: "db-b", at: "2h", duration: "3h")]"#);
    let (recorder, _) = run_design(&text, 1);
    let first = &recorder.incidents[0];
    assert_eq!((first.start, first.end), (h(3), h(3).saturating_add(m(31))));
    assert_eq!(first.cause.mode, Mode::Maintenance);
    assert!(first.planned(), "an injection of the peer before the window does not join it");
}

#[test]
fn a_failure_joining_a_planned_outage_makes_it_an_incident() {
    // A single database whose window at 3 h meets an injected failure at 3 h 10 min lasting
    // to 4 h: one incident from 3 h to 4 h, cause the window, not planned.
    let (incidents, _, _) =
        run(&designs("30d", "7d", false, r#"injections: [(target: "db", at: "190m", duration: "50m")]"#));
    let unplanned: Vec<&Incident> = incidents.iter().filter(|i| !i.planned()).collect();
    assert_eq!((incidents.len(), unplanned.len()), (5, 1), "{incidents:?}");
    let i = unplanned[0];
    assert_eq!((i.start, i.end), (h(3), h(4)));
    assert_eq!(i.cause.mode, Mode::Maintenance);
    assert!(!i.planned());
    assert_eq!(i.label, Some(Label::InjectionEnd));
    let r = &reports(&designs(
        "30d",
        "7d",
        false,
        r#"injections: [(target: "db", at: "190m", duration: "50m")]"#,
    ))[0];
    // That hour is unplanned in every replication; the other 4 windows of 30 d are planned.
    assert_eq!((r.incidents, r.planned.outages), (3, 3 * 4));
}

#[test]
fn a_window_neither_pauses_nor_restarts_failure_clocks() {
    // With random failures on, the random failures of `db` happen at the same instants with
    // and without windows (a failure clock runs through a window).
    let failures = |text: &str| -> Vec<SimTime> {
        let (_, _, trace) = run(text);
        trace.iter().filter(|e| e.kind == TraceKind::Failed(Mode::Failure)).map(|e| e.at).collect()
    };
    let random = |maintenance: bool| {
        let text = designs("3650d", "7d", true, "").replace(
            r#"(name: "db", kind: Database, fail: Never)"#,
            r#"(name: "db", kind: Database, fail: Exp(mean: "2000h"), recover: Repair(Exp(mean: "2h")))"#,
        );
        if maintenance {
            text
        } else {
            text.replace(r#"maintenance: [(target: "db", every: "7d", at: "3h", duration: "30m")],"#, "")
        }
    };
    let with = failures(&random(true));
    assert!(with.len() > 10, "{} failures", with.len());
    assert_eq!(with, failures(&random(false)));
}

#[test]
fn a_timeline_draws_windows_apart_from_what_they_overlap() {
    use faultline::report::spans::{Kind, Row, rebuild};
    let text = designs("30d", "7d", false, r#"injections: [(target: "db", at: "190m", duration: "50m")]"#);
    let system = compile(&text);
    let (_, _, trace) = run(&text);
    let spans = rebuild(&system.architectures[0], &trace, system.horizon.0);
    let db = |kind: Kind| -> Vec<(u64, u64)> {
        spans
            .iter()
            .filter(|s| s.row == Row::Component(0) && s.kind == kind)
            .map(|s| (s.from, s.to))
            .collect()
    };
    let windows = db(Kind::Maintenance);
    assert_eq!(windows.len(), 5, "{windows:?}");
    assert_eq!(windows[0], (h(3).0, h(3).saturating_add(m(30)).0));
    assert_eq!(db(Kind::Injected), [(h(3).saturating_add(m(10)).0, h(4).0)]);
}
