//! The property-testing API (`faultline::testing`) on bundled scenarios: properties an
//! architect would write, and a deliberately broken design whose property fails, shrinks to
//! one small failure and prints lines that `faultline trace` replays to show the incident.
//! proptest runs with a fixed seed and no persistence, so CI is reproducible.

use faultline::model::Kind;
use faultline::model::{Architecture, System, compile_str};
use faultline::testing::{Failures, Replay, check, replay};
use faultline::time::SimTime;

use crate::harness;
use proptest::test_runner::{Config, RngSeed, TestError, TestRunner};

fn bundled(file: &str) -> (String, System) {
    let path = format!("scenarios/{file}");
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    (path, compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system)
}

fn design<'s>(system: &'s System, name: &str) -> &'s Architecture {
    system.architectures.iter().find(|a| a.name == name).unwrap()
}

fn runner(cases: u32, seed: u64) -> TestRunner {
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

/// No outage longer than `limit`.
fn outages_within(limit: SimTime) -> impl Fn(&Replay) -> Result<(), String> {
    move |r| match r.longest_incident() {
        Some(d) if d > limit => Err(format!("an outage of {d}, longer than {limit}")),
        _ => Ok(()),
    }
}

#[test]
fn multi_az_survives_any_single_az_failure_within_its_rto() {
    let (file, system) = bundled("web-single-vs-multi-az.ron");
    let arch = design(&system, "multi-az");
    let rto = arch.objectives.rto.expect("the design has an RTO objective");
    let failures = Failures::new(&system, arch).kinds(&[Kind::Az]);
    assert_eq!(failures.len(), 2, "use1-az1 and use1-az2");
    runner(64, 0x7E57_0001)
        .run(&failures.single(), |schedule| {
            let run = replay(&system, arch, &schedule);
            check(&run, &file, outages_within(rto))?;
            // Stronger: an AZ failure is no outage at all for this design.
            check(&run, &file, |r| if r.incidents.is_empty() { Ok(()) } else { Err("an outage".into()) })
        })
        .unwrap();
}

#[test]
fn no_single_failure_loses_data_beyond_the_rpo_objective() {
    let (file, system) = bundled("database-data-protection.ron");
    for name in ["multi-az", "async-replica"] {
        let arch = design(&system, name);
        let rpo = arch.objectives.rpo.expect("an RPO objective");
        let failures = Failures::new(&system, arch);
        runner(96, 0x7E57_0002)
            .run(&failures.single(), |schedule| {
                let run = replay(&system, arch, &schedule);
                check(&run, &file, |r| match r.worst_rpo() {
                    Some(worst) if worst > rpo => Err(format!("lost {worst} of data, more than {rpo}")),
                    _ => Ok(()),
                })
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn overlapping_failures_and_storms_replay_deterministically() {
    let (_, system) = bundled("three-tier.ron");
    let arch = design(&system, "three-az");
    let failures = Failures::new(&system, arch);
    for strategy in [failures.overlapping(3), failures.storm(5, SimTime(6 * 3_600_000))] {
        runner(16, 0x7E57_0003)
            .run(&strategy, |schedule| {
                let (a, b) = (replay(&system, arch, &schedule), replay(&system, arch, &schedule));
                assert_eq!((a.incidents, a.up), (b.incidents, b.up));
                assert!(
                    !schedule.failures.is_empty() && schedule.failures.windows(2).all(|w| w[0].at <= w[1].at)
                );
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn a_broken_design_fails_shrinks_and_prints_a_replayable_snippet() {
    let (file, system) = bundled("web-single-vs-multi-az.ron");
    let arch = design(&system, "single-az");
    let failures = Failures::new(&system, arch).kinds(&[Kind::Az]);
    let hour = SimTime(3_600_000);
    let result = runner(64, 0x7E57_0004).run(&failures.single(), |schedule| {
        check(&replay(&system, arch, &schedule), &file, outages_within(hour))
    });
    let Err(TestError::Fail(reason, minimal)) = result else {
        panic!("the property should fail: {result:?}")
    };
    // Shrunk to one failure of the design's AZ, as early as allowed and just longer than 1 h.
    assert_eq!(minimal.failures.len(), 1);
    let f = &minimal.failures[0];
    assert_eq!((f.name.as_str(), f.at, f.mode.clone()), ("use1-az1", hour, None));
    assert_eq!(f.duration, SimTime(61 * 60_000), "the shortest failure that breaks the property");
    let message = reason.message();
    assert!(message.starts_with("an outage of 61m, longer than 1h"), "{message}");
    assert!(message.contains("    random: false,\n    injections: [\n        (target: \"use1-az1\", at: \"1h\", duration: \"61m\"),\n    ],"), "{message}");
    assert!(message.contains(&format!("faultline trace {file} --arch single-az")), "{message}");

    // Put the lines in a copy of the scenario and replay it with `faultline trace`.
    let text = std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let start = text.find("    injections: [").unwrap();
    let end = start + text[start..].find("\n    ],").unwrap() + "\n    ],".len();
    let replayed = format!("{}{}{}", &text[..start], minimal.scenario_lines(), &text[end..]);
    let dir = harness::scratch_dir("testing-replay");
    let path = dir.join("replay.ron");
    std::fs::write(&path, replayed).unwrap();
    let out = harness::faultline(&["trace", path.to_str().unwrap(), "--arch", "single-az"]);
    let stdout = out.stdout;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(stdout.contains("SERVICE DOWN, cause use1-az1/injected"), "{stdout}");
    assert!(stdout.contains("SERVICE UP after 1h 01m"), "{stdout}");
}

#[test]
fn load_gives_the_system_or_the_errors_validate_prints() {
    let file = "scenarios/web-single-vs-multi-az.ron";
    let loaded = faultline::testing::load(file).unwrap();
    let (_, compiled) = bundled("web-single-vs-multi-az.ron");
    assert_eq!(format!("{loaded:?}"), format!("{compiled:?}"));

    let broken = "tests/fixtures/broken/three_errors.ron";
    let validate = harness::faultline(&["validate", broken]);
    let error = faultline::testing::load(format!("{}/{broken}", env!("CARGO_MANIFEST_DIR"))).unwrap_err();
    let printed = validate.stderr.replace(broken, &format!("{}/{broken}", env!("CARGO_MANIFEST_DIR")));
    assert_eq!(error.to_string(), printed);
    assert_eq!(format!("{error:?}"), printed, "`?` in a test prints Debug: the same text");
    assert!(printed.contains(":7:33: error: `2000hrs` is not a duration"), "{printed}");

    let missing = faultline::testing::load("scenarios/no-such-file.ron").unwrap_err().to_string();
    assert!(missing.starts_with("scenarios/no-such-file.ron: error: cannot read the file: "), "{missing}");
}

#[test]
fn an_architecture_is_found_by_name() {
    let (_, system) = bundled("web-single-vs-multi-az.ron");
    assert_eq!(system.architecture("multi-az").unwrap().name, "multi-az");
    let unknown = system.architecture("multi-azz").unwrap_err();
    assert_eq!(
        unknown.to_string(),
        "no architecture `multi-azz` in the scenario; it has single-az, multi-az"
    );
}

#[test]
fn for_all_tries_the_same_schedules_for_the_same_seed() {
    let (file, system) = bundled("three-tier.ron");
    let arch = system.architecture("three-az").unwrap();
    let failures = Failures::new(&system, arch);
    let seen = |seed| {
        let tried = std::cell::RefCell::new(Vec::new());
        faultline::testing::for_all(&failures.storm(3, SimTime(3_600_000)), 20, seed, |s| {
            tried.borrow_mut().push(s.clone());
            Ok(())
        })
        .unwrap();
        tried.into_inner()
    };
    let first = seen(7);
    assert_eq!(first.len(), 20);
    assert_eq!(first, seen(7));
    assert_ne!(first, seen(8));
    // A failing property returns check's message for the shrunk schedule, as it reads.
    let failed = faultline::testing::for_all(&failures.single(), 20, 7, |s| {
        check(&replay(&system, arch, s), &file, |_| Err("always".into()))
    })
    .unwrap_err();
    assert!(
        failed.to_string().starts_with("always\n\nTo replay it, put these lines in scenarios/three-tier.ron"),
        "{failed}"
    );
    assert_eq!(format!("{failed:?}"), failed.to_string());
}
