//! Charts: every chart renders valid SVG and PNG, byte-identical on a second render, from
//! real runs of the bundled scenarios.
//!
//! `FAULTLINE_CHART_SAMPLES=/some/dir cargo test --test outputs charts::` also writes every
//! chart there, to look at.

use std::collections::BTreeMap;

use faultline::chart::{self, ChartError, Format, ProblemData, ReportData};
use faultline::engine::{Incident, Label, Prepared, Recorder, RunParams, Simulator};
use faultline::metrics::{Header, Incidents, LogHistogram, Report, ScenarioId};
use faultline::model::{System, compile_str};
use faultline::report::focus::{self, Focus, Pick, Reason};
use faultline::report::trace::Trace;
use faultline::time::{MS_PER_DAY, MS_PER_HOUR, SimTime};

/// Replications per architecture: enough for every chart to have content, quick in debug.
const REPLICATIONS: u64 = 200;

fn system(file: &str) -> System {
    let path = format!("{}/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("scenario file");
    let mut system = compile_str(&text).unwrap_or_else(|e| panic!("{path}: {e:?}")).system;
    system.replications = REPLICATIONS;
    system
}

fn params(system: &System) -> RunParams {
    RunParams::of(system)
}

fn report(system: &System) -> Report {
    report_on(system, 2)
}

fn report_on(system: &System, threads: usize) -> Report {
    let pool = faultline::runner::thread_pool(threads).expect("thread pool");
    let scenario = ScenarioId { name: system.name.clone(), sha256: "0".repeat(64) };
    Report {
        header: Header::new(system, scenario, BTreeMap::new()),
        architectures: faultline::runner::report_all(system, &pool),
    }
}

fn data(system: &System) -> ReportData {
    ReportData::from_report(&report(system))
}

/// Renders with `draw` in both formats, twice, checks the bytes, writes samples if asked.
fn check(name: &str, draw: impl Fn(Format) -> Result<Vec<u8>, ChartError>) {
    let svg = draw(Format::Svg).expect("SVG renders");
    assert_eq!(svg, draw(Format::Svg).unwrap(), "{name}: SVG differs between two renders");
    let text = String::from_utf8(svg.clone()).expect("SVG is UTF-8");
    assert!(text.starts_with("<svg"), "{name}: {}", &text[..40.min(text.len())]);
    assert!(text.trim_end().ends_with("</svg>"), "{name}: SVG not closed");
    assert!(text.contains("<text"), "{name}: SVG has no text");
    assert_eq!(text.matches("<text").count(), text.matches("</text>").count(), "{name}: unbalanced <text>");

    let png = draw(Format::Png).expect("PNG renders");
    assert_eq!(png, draw(Format::Png).unwrap(), "{name}: PNG differs between two renders");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}: PNG magic");
    let image = image::load_from_memory(&png).expect("PNG decodes");
    let (w, h) = (image.width(), image.height());
    let svg_w: u32 = text.split("width=\"").nth(1).and_then(|t| t.split('"').next()?.parse().ok()).unwrap();
    assert_eq!(w, svg_w * 2, "{name}: PNG is drawn at twice the SVG's size");
    assert!(h > 300, "{name}: {w}x{h}");
    let rgb = image.to_rgb8();
    assert!(rgb.pixels().any(|p| p.0 != [255, 255, 255]), "{name}: PNG is blank");

    if let Some(dir) = std::env::var_os("FAULTLINE_CHART_SAMPLES") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.svg")), &svg).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
    }
}

#[test]
fn report_json_reads_back_as_the_same_chart_data() {
    let report = report(&system("database-multi-az.ron"));
    let json = faultline::report::json::render(&report).unwrap();
    assert_eq!(ReportData::from_json(&json).unwrap(), ReportData::from_report(&report));
    assert!(matches!(ReportData::from_json("{"), Err(ChartError::Json(_))));
}

/// The histograms add integers, so any thread count gives the same ones; read back from the
/// JSON they give the same RTO and RPO charts, byte for byte.
#[test]
fn histograms_merge_alike_on_any_thread_count_and_chart_alike_from_json() {
    for file in ["database-data-protection.ron", "order-pipeline.ron"] {
        let system = system(file);
        let one = report_on(&system, 1);
        let three = report_on(&system, 3);
        let json = faultline::report::json::render(&one).unwrap();
        for (a, b) in one.architectures.iter().zip(&three.architectures) {
            assert_eq!(a.histograms, b.histograms, "{file}: {}", a.name);
            assert!(a.histograms.rto_ms.count() > 0, "{file}: {} has incidents", a.name);
        }
        assert_eq!(json, faultline::report::json::render(&three).unwrap(), "{file}");
        assert!(
            one.architectures.iter().any(|a| a.histograms.rpo_ms.as_ref().is_some_and(|h| h.count() > 0))
        );
        let (memory, read) = (ReportData::from_report(&one), ReportData::from_json(&json).unwrap());
        assert_eq!(memory, read);
        for format in [Format::Svg, Format::Png] {
            assert!(chart::rto_cdf(&memory, format).unwrap() == chart::rto_cdf(&read, format).unwrap());
            assert!(chart::rpo_cdf(&memory, format).unwrap() == chart::rpo_cdf(&read, format).unwrap());
        }
    }
}

#[test]
fn availability_charts() {
    for file in ["database-multi-az", "direct-connect-vpn", "power-generator", "single-instance"] {
        let data = data(&system(&format!("{file}.ron")));
        check(&format!("availability-{file}"), |f| chart::availability(&data, f));
    }
}

#[test]
fn availability_of_a_design_that_never_fails() {
    let mut system = system("database-multi-az.ron");
    system.random = false;
    system.architectures.iter_mut().for_each(|a| {
        a.injections.clear();
        a.maintenance.clear();
    });
    let data = data(&system);
    assert!(data.architectures.iter().all(|a| a.availability.mean == 1.0));
    check("availability-perfect", |f| chart::availability(&data, f));
    let mut long = data.clone();
    long.scenario.name = "A scenario whose name is much longer than any chart is wide ".repeat(4);
    long.architectures[0].name = "an-architecture-with-a-very-long-name-indeed".into();
    check("availability-long-names", |f| chart::availability(&long, f));
    let mut bad = data.clone();
    bad.architectures[0].availability.mean = f64::NAN;
    assert!(matches!(chart::availability(&bad, Format::Svg), Err(ChartError::Invalid(_))));
}

#[test]
fn rto_charts() {
    for file in ["database-multi-az", "power-generator"] {
        let data = data_of(&format!("{file}.ron"));
        check(&format!("rto-{file}"), |f| chart::rto_cdf(&data, f));
    }
}

#[test]
fn rpo_charts() {
    for file in ["database-data-protection", "dr-strategies", "order-pipeline"] {
        let data = data_of(&format!("{file}.ron"));
        check(&format!("rpo-{file}"), |f| chart::rpo_cdf(&data, f));
    }
    let data = data_of("database-multi-az.ron");
    assert!(matches!(chart::rpo_cdf(&data, Format::Svg), Err(ChartError::NoData(_))), "no datasets");
}

/// The legend's p50 and p95 are the report's own quantiles, from the same histogram.
#[test]
fn the_rto_legend_gives_the_reports_quantiles() {
    let report = report(&system("database-multi-az.ron"));
    let data = ReportData::from_report(&report);
    let svg = String::from_utf8(chart::rto_cdf(&data, Format::Svg).unwrap()).unwrap();
    for a in &report.architectures {
        let (p50, p95) = (a.rto_s.p50.unwrap(), a.rto_s.p95.unwrap());
        let text = format!(
            "{}: p50 {}, p95 {}, n = ",
            a.name,
            faultline::report::duration_s(p50),
            faultline::report::duration_s(p95)
        );
        assert!(svg.contains(&text), "{text}");
    }
}

#[test]
fn rto_edge_cases() {
    let mut quiet = data_of("database-multi-az.ron");
    for a in &mut quiet.architectures {
        a.histograms.as_mut().unwrap().rto_ms = LogHistogram::default();
    }
    check("rto-no-incidents", |f| chart::rto_cdf(&quiet, f));
    let mut one = quiet.clone();
    one.architectures[0].histograms.as_mut().unwrap().rto_ms.record(42_000);
    check("rto-one-incident", |f| chart::rto_cdf(&one, f));
    let mut old = one.clone();
    old.architectures[1].histograms = None;
    assert!(matches!(chart::rto_cdf(&old, Format::Svg), Err(ChartError::NoData(_))), "no histograms");
    one.architectures.clear();
    assert!(matches!(chart::rto_cdf(&one, Format::Svg), Err(ChartError::NoData(_))));
}

#[test]
fn problem_charts() {
    let data = data(&system("web-app-health-checked.ron"));
    check("problems-web-app-cross-zone", |f| chart::downtime_by_problem(&data, "cross-zone", 8, f));
    let data = data_of("database-multi-az.ron");
    check("problems-database-multi-az", |f| chart::downtime_by_problem(&data, "multi-az", 10, f));
    check("problems-database-single-az", |f| chart::downtime_by_problem(&data, "single-az", 10, f));
    let data = data_of("power-generator.ron");
    check("problems-power-generator-and-ups", |f| {
        chart::downtime_by_problem(&data, "generator-and-ups", 10, f)
    });
    let err = chart::downtime_by_problem(&data, "nope", 5, Format::Svg);
    assert!(matches!(err, Err(ChartError::UnknownArchitecture(a)) if a == "nope"));
}

fn data_of(file: &str) -> ReportData {
    data(&system(file))
}

#[test]
fn problem_chart_without_incidents() {
    let mut data = data_of("single-instance.ron");
    data.architectures[0].problems.clear();
    let name = data.architectures[0].name.clone();
    check("problems-none", |f| chart::downtime_by_problem(&data, &name, 5, f));
}

fn trace<'a>(system: &'a System, arch: &str, replication: u64, window: (SimTime, SimTime)) -> Trace<'a> {
    let arch = &system.architectures[system.architectures.iter().position(|a| a.name == arch).unwrap()];
    let prepared = Prepared::new(arch, params(system));
    let mut sim = Simulator::new(&prepared);
    sim.set_tracing(true);
    let mut recorder = Recorder::default();
    let summary = sim.run(replication, &mut recorder);
    Trace {
        scenario: ScenarioId { name: system.name.clone(), sha256: String::new() },
        seed: system.seed,
        stream_version: faultline::rng::STREAM_VERSION,
        arch,
        replication,
        horizon: system.horizon,
        window,
        events: sim.take_trace(),
        incidents: recorder.incidents.len() as u64,
        up: summary.up,
    }
}

#[test]
fn timeline_charts() {
    let days = |d: u64| SimTime(d * MS_PER_DAY);
    let system = system("database-multi-az.ron");
    let whole = (SimTime::ZERO, system.horizon);
    for arch in ["single-az", "multi-az"] {
        let t = trace(&system, arch, 0, whole);
        check(&format!("timeline-{arch}-whole"), |f| chart::timeline(&t, None, f));
        let t = trace(&system, arch, 0, (days(190), days(210)));
        check(&format!("timeline-{arch}-injection"), |f| chart::timeline(&t, None, f));
    }
    let system = self::system("power-generator.ron");
    // Replication 0: the generator fails during a utility outage and the UPS runs empty.
    let hours = |h: u64| SimTime(h * MS_PER_HOUR);
    let t = trace(&system, "generator-and-ups", 0, (hours(103 * 24 + 12), hours(104 * 24 + 12)));
    check("timeline-generator-and-ups-battery", |f| chart::timeline(&t, None, f));
    let t = trace(&system, "generator-and-ups", 0, (SimTime::ZERO, days(365)));
    check("timeline-generator-and-ups-year", |f| chart::timeline(&t, None, f));
    let t = trace(&system, "generator", 3, (days(100), days(100)));
    assert!(matches!(chart::timeline(&t, None, Format::Svg), Err(ChartError::NoData(_))));
}

/// A scripted scenario (no random failures): `b` is out for 1 h on day 1 and for 3 h on day 5,
/// and `a` for 10 days from day 4 while its twin `c` carries the load, so the incidents are
/// exactly [1d, 1d + 1h) and [5d, 5d + 3h), both caused by `b/injected`.
const SCRIPTED: &str = r#"(
    name: "Scripted", seed: 7, horizon: "30d", replications: 3, random: false,
    architectures: [(name: "pair", components: [
        (name: "a", kind: Instance, fail: Exp(mean: "1h"), recover: Repair("1h")),
        (name: "b", kind: Instance, fail: Exp(mean: "1h"), recover: Repair("1h")),
        (name: "c", kind: Instance, fail: Exp(mean: "1h"), recover: Repair("1h")),
        (name: "ac", kind: Group, needs: Any(["a", "c"])),
        (name: "svc", kind: Group, needs: All(["ac", "b"])),
    ], service: "svc")],
    injections: [
        (target: "b", at: "1d", duration: "1h"),
        (target: "a", at: "4d", duration: "10d"),
        (target: "b", at: "5d", duration: "3h"),
    ],
)"#;

/// What the run's pass found about `arch`'s incidents.
fn incidents_of(system: &System, arch: &faultline::model::Architecture) -> Incidents {
    let pool = faultline::runner::thread_pool(2).expect("thread pool");
    faultline::runner::run_architecture(arch, params(system), system.replications, &pool, &|_| {}).incidents()
}

/// The incident a timeline of `arch` shows by `pick`, and its trace.
fn choose<'a>(
    system: &System,
    arch: &'a faultline::model::Architecture,
    pick: Pick,
) -> Option<(Focus, Trace<'a>)> {
    let scenario = ScenarioId { name: system.name.clone(), sha256: String::new() };
    focus::choose(scenario, arch, params(system), pick, &incidents_of(system, arch))
}

/// The longest incident of `replications` of `arch`, found by brute force: an ended incident
/// beats a censored one, then the longer, then the earlier.
fn longest_by_hand(
    system: &System,
    arch: &faultline::model::Architecture,
    replications: &[u64],
) -> Option<(u64, Incident)> {
    let prepared = Prepared::new(arch, params(system));
    let mut best: Option<(u64, Incident)> = None;
    for &r in replications {
        let mut recorder = Recorder::default();
        Simulator::new(&prepared).run(r, &mut recorder);
        for i in recorder.incidents {
            let key = |i: &Incident| (!i.censored, i.end.0 - i.start.0);
            if best.as_ref().is_none_or(|(_, b)| key(&i) > key(b)) {
                best = Some((r, i));
            }
        }
    }
    best
}

#[test]
fn the_timeline_shows_the_scripted_injections_longest_incident() {
    let system = compile_str(SCRIPTED).unwrap().system;
    let arch = &system.architectures[0];
    let (focus, t) = choose(&system, arch, Pick::Default).unwrap();
    let day = MS_PER_DAY;
    assert_eq!(focus.replication, 0);
    assert_eq!(focus.reason, Reason::Injection);
    assert_eq!(
        (focus.incident.start, focus.incident.end),
        (SimTime(5 * day), SimTime(5 * day + 3 * MS_PER_HOUR))
    );
    assert_eq!(focus.cause(arch), "b/injected");
    assert_eq!(focus.incident.label, Some(Label::InjectionEnd));
    // `a`'s outage overlaps the incident and reaches a day before it and 9 days after: the
    // window stretches by the cap, the incident's 3 h, on each side.
    assert_eq!(t.window, (SimTime(5 * day - 3 * MS_PER_HOUR), SimTime(5 * day + 6 * MS_PER_HOUR)));
    check("timeline-scripted", |f| chart::timeline(&t, Some(&focus), f));
    let svg = String::from_utf8(chart::timeline(&t, Some(&focus), Format::Svg).unwrap()).unwrap();
    for text in [
        "Timeline: pair, replication 0",
        "Down at 5d 00:00:00 for 3h 00m, cause b/injected, ended by injection-end",
        "The longest incident during a scripted injection",
        "Seed 7, 4d 21:00:00 to 5d 06:00:00; 1 incident in view, 3h 00m down; Scripted",
        // `a`'s bar is cut at both edges.
        "since 4d 00:00:00",
        "until 14d 00:00:00",
    ] {
        assert!(svg.contains(text), "the timeline lacks {text:?}");
    }

    // Replication 2 asked for: the same history (random: false), its longest incident.
    let (chosen, t) = choose(&system, arch, Pick::Replication(2)).unwrap();
    assert_eq!((chosen.replication, chosen.reason), (2, Reason::Chosen));
    assert_eq!(t.replication, 2);
    assert_eq!(chosen.incident, focus.incident);
}

#[test]
fn without_injections_the_timeline_shows_the_longest_incident_of_the_run() {
    let mut system = system("database-multi-az.ron");
    system.architectures.iter_mut().for_each(|a| a.injections.clear());
    let all: Vec<u64> = (0..system.replications).collect();
    for arch in &system.architectures {
        let (focus, t) = choose(&system, arch, Pick::Default).unwrap();
        assert_eq!(t.replication, focus.replication);
        let (r, incident) = longest_by_hand(&system, arch, &all).unwrap();
        assert_eq!(focus.reason, Reason::LongestOfRun { replications: REPLICATIONS, absorbed: false });
        assert_eq!((focus.replication, &focus.incident), (r, &incident), "{}", arch.name);
        // Any replication asked for: its own longest incident.
        for k in [3, 117] {
            let chosen = choose(&system, arch, Pick::Replication(k)).map(|c| c.0);
            let by_hand = longest_by_hand(&system, arch, &[k]);
            assert_eq!(chosen.map(|f| (f.replication, f.incident)), by_hand, "{} replication {k}", arch.name);
        }
    }
}

#[test]
fn an_injection_absorbed_by_the_design_falls_back_to_the_longest_incident() {
    let system = system("web-single-vs-multi-az.ron");
    let arch = system.architectures.iter().find(|a| a.name == "multi-az").unwrap();
    assert!(!arch.injections.is_empty());
    let focus = choose(&system, arch, Pick::Default).unwrap().0;
    let all: Vec<u64> = (0..system.replications).collect();
    let (r, incident) = longest_by_hand(&system, arch, &all).unwrap();
    assert_eq!(focus.reason, Reason::LongestOfRun { replications: REPLICATIONS, absorbed: true });
    assert_eq!((focus.replication, focus.incident), (r, incident));
    // And replication 0 indeed had no incident during the injection.
    let prepared = Prepared::new(arch, params(&system));
    let mut recorder = Recorder::default();
    Simulator::new(&prepared).run(0, &mut recorder);
    let j = arch.injections[0];
    assert!(recorder.incidents.iter().all(|i| i.end <= j.at || i.start.0 >= j.at.0 + j.duration.0));
}

#[test]
fn an_incident_during_an_injection_counts_whatever_its_cause() {
    // The generator fails while the grid is out (the injection): that incident is shown.
    let system = system("power-generator.ron");
    let arch = system.architectures.iter().find(|a| a.name == "generator").unwrap();
    let (focus, t) = choose(&system, arch, Pick::Default).unwrap();
    assert_eq!((focus.replication, focus.reason), (0, Reason::Injection));
    assert_eq!(focus.cause(arch), "generator/failure");
    let j = arch.injections[0];
    let during = |i: &Incident| i.start.0 < j.at.0 + j.duration.0 && i.end > j.at;
    assert!(during(&focus.incident));
    let prepared = Prepared::new(arch, params(&system));
    let mut recorder = Recorder::default();
    Simulator::new(&prepared).run(0, &mut recorder);
    let longest = recorder.incidents.iter().filter(|i| during(i)).map(|i| i.end.0 - i.start.0).max();
    assert_eq!(longest, Some(focus.incident.end.0 - focus.incident.start.0));
    check("timeline-generator-focus", |f| chart::timeline(&t, Some(&focus), f));
}

#[test]
fn every_problems_chart_of_a_report_shares_one_unit() {
    let base = data_of("database-multi-az.ron");
    let years = base.simulated_years(&base.architectures[0]);
    let problem = |cause: &str, per_year_h: f64| ProblemData {
        cause: cause.into(),
        incidents: 1,
        downtime_h: per_year_h * years,
    };
    let with = |big: f64, small: f64| {
        let mut data = base.clone();
        data.architectures[0].problems = vec![problem("x/failure", big)];
        data.architectures[1].problems = vec![problem("y/failure", small)];
        data
    };
    let svg = |data: &ReportData, k: usize| {
        let name = data.architectures[k].name.clone();
        String::from_utf8(chart::downtime_by_problem(data, &name, 8, Format::Svg).unwrap()).unwrap()
    };
    // Hand-computed labels: 2 h/yr and half a minute a year (0.5 / 60 = 0.00833 h).
    for (big, small, unit, labels) in [
        (2.0, 0.5 / 60.0, "h/yr", ["2.00 h/yr", "0.00833 h/yr"]),
        (0.5, 0.5 / 60.0, "min/yr", ["30.0 min/yr", "0.500 min/yr"]),
        (0.5 / 60.0, 0.1 / 3600.0, "s/yr", ["30.0 s/yr", "0.100 s/yr"]),
    ] {
        let data = with(big, small);
        for (k, label) in labels.iter().enumerate() {
            let text = svg(&data, k);
            assert!(text.contains(&format!("Mean downtime per year [{unit}]")), "chart {k} not in {unit}");
            assert!(text.contains(label), "chart {k} lacks {label:?}");
        }
    }
    let data = with(2.0, 0.5 / 60.0);
    check("problems-shared-unit-small", |f| {
        chart::downtime_by_problem(&data, &data.architectures[1].name, 8, f)
    });
}
