//! Round trips of every literal form of DESIGN.md's table through parse and compile: what is
//! written is what the engine gets.

use faultline::dist::Dist;
use faultline::model::Kind;
use faultline::model::{Architecture, ComponentId, NeedsRule, Recovery, System, compile_str};
use faultline::time::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, MS_PER_YEAR, SimTime};

const EVERY_FORM: &str = r#"
// every literal form at least once
Scenario(
    name: "every form",
    seed: 7,
    horizon: "1.5y",
    replications: 12,
    random: false,
    objectives: (availability: 0.999, rto: "15m", rpo: "5m", gate: true),
    profiles: {
        "exp":     (fail: Exp(mean: "2000h"), recover: Replace(detect: "1m", launch: Uniform(lo: "2m", hi: "4m"))),
        "weibull": (fail: Weibull(shape: 1.5, mean: "30d"), recover: Repair(LogNormal(mean: "4h", sigma: 0.5))),
        "never":   (fail: Never),
    },
    shared: [
        (name: "region", kind: Region, fail: Fixed("10y"), recover: Repair("8h")),
        (name: "az-1", kind: Az, profile: "weibull", needs: All(["region"])),
        (name: "az-2", kind: Az, profile: "weibull", recover: Repair(Fixed("0s")), needs: All(["region"])),
    ],
    architectures: [
        (
            name: "a",
            objectives: (availability: 0.99, gate: false),
            components: [
                (name: "power", kind: Power, profile: "never"),
                (name: "link", kind: Link, fail: Exp(mean: "250ms"), recover: Repair("30s")),
                (name: "i1", kind: Instance, profile: "exp", needs: All(["az-1", "power"])),
                (name: "i2", kind: Instance, profile: "exp", needs: All(["az-2"])),
                (name: "i3", kind: Instance, profile: "exp", fail: Exp(mean: "1.5h"), needs: Some(All(["az-2"]))),
                (name: "st", kind: Storage, profile: "never"),
                (name: "db", kind: Database, profile: "never"),
                (name: "lb", kind: LoadBalancer, profile: "never"),
                (name: "dns", kind: Dns, profile: "never"),
                (name: "q", kind: Queue, profile: "never"),
                (name: "any", kind: Group, needs: Any(["i1", "i2"])),
                (name: "two", kind: Group, needs: AtLeast(2, ["i1", "i2", "i3"])),
                (name: "svc", kind: Group, needs: All(["any", "two", "link"])),
            ],
            service: "svc",
        ),
        (name: "b", components: [], service: "az-1"),
    ],
    injections: [ (target: "i1", at: "100d", duration: "6h"), (target: "region", at: "0s", duration: "250ms") ],
)
"#;

fn system() -> System {
    compile_str(EVERY_FORM).unwrap_or_else(|d| panic!("{d:#?}")).system
}

fn component<'a>(arch: &'a Architecture, name: &str) -> &'a faultline::model::Component {
    &arch.components[arch.find(name).unwrap_or_else(|| panic!("no {name}")).index()]
}

#[test]
fn scenario_fields() {
    let s = system();
    assert_eq!(s.name, "every form");
    assert_eq!(s.seed, 7);
    assert_eq!(s.horizon, SimTime(MS_PER_YEAR * 3 / 2));
    assert_eq!(s.replications, 12);
    assert!(!s.random);
    assert_eq!(s.architectures.len(), 2);
}

#[test]
fn defaults_when_the_file_is_silent() {
    let s = compile_str(
        r#"(name: "x", horizon: "1d", architectures: [(name: "a", components: [(name: "c", kind: Instance, fail: Never)], service: "c")])"#,
    )
    .unwrap()
    .system;
    assert_eq!((s.seed, s.replications, s.random), (0, 1000, true));
    let o = s.architectures[0].objectives;
    assert_eq!((o.availability, o.rto, o.rpo, o.gate), (None, None, None, true));
}

#[test]
fn distributions_and_recoveries() {
    let s = system();
    let a = &s.architectures[0];
    let i1 = component(a, "i1");
    assert_eq!(i1.fail, Some(Dist::Exp { mean_ms: 2000.0 * MS_PER_HOUR as f64 }));
    assert_eq!(
        i1.recover,
        Some(Recovery::Replace {
            detect: Dist::Fixed(SimTime(MS_PER_MINUTE)),
            launch: Dist::Uniform { lo_ms: 2 * MS_PER_MINUTE, hi_ms: 4 * MS_PER_MINUTE },
        })
    );
    // inline `fail` replaces the profile's whole; `recover` still comes from the profile
    let i3 = component(a, "i3");
    assert_eq!(i3.fail, Some(Dist::Exp { mean_ms: 1.5 * MS_PER_HOUR as f64 }));
    assert_eq!(i3.recover, i1.recover);
    let az1 = component(a, "az-1");
    assert_eq!(az1.fail, Some(Dist::weibull(1.5, SimTime(30 * MS_PER_DAY)).unwrap()));
    assert_eq!(az1.recover, Some(Recovery::Repair(Dist::lognormal(SimTime(4 * MS_PER_HOUR), 0.5).unwrap())));
    assert_eq!(component(a, "az-2").recover, Some(Recovery::Repair(Dist::Fixed(SimTime::ZERO))));
    let region = component(a, "region");
    assert_eq!(region.fail, Some(Dist::Fixed(SimTime(10 * MS_PER_YEAR))));
    assert_eq!(region.recover, Some(Recovery::Repair(Dist::Fixed(SimTime(8 * MS_PER_HOUR)))));
    assert_eq!(component(a, "link").fail, Some(Dist::Exp { mean_ms: 250.0 }));
    assert_eq!(
        component(a, "link").recover,
        Some(Recovery::Repair(Dist::Fixed(SimTime(30 * MS_PER_SECOND))))
    );
    assert_eq!(component(a, "power").fail, None, "Never");
    assert_eq!(component(a, "any").fail, None, "groups do not fail");
}

#[test]
fn every_kind() {
    let s = system();
    let kinds: Vec<Kind> = s.architectures[0].components.iter().map(|c| c.kind).collect();
    for k in [
        Kind::Region,
        Kind::Az,
        Kind::Power,
        Kind::Link,
        Kind::Instance,
        Kind::Storage,
        Kind::Database,
        Kind::LoadBalancer,
        Kind::Dns,
        Kind::Queue,
        Kind::Group,
    ] {
        assert!(kinds.contains(&k), "{k:?}");
    }
}

#[test]
fn ids_in_declaration_order_with_shared_first_in_every_architecture() {
    let s = system();
    let names: Vec<&str> = s.architectures[0].components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "region", "az-1", "az-2", "power", "link", "i1", "i2", "i3", "st", "db", "lb", "dns", "q", "any",
            "two", "svc"
        ]
    );
    let b: Vec<&str> = s.architectures[1].components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(b, ["region", "az-1", "az-2"]);
    assert!(s.architectures[1].components.iter().all(|c| c.shared));
    assert_eq!(s.architectures[1].service, ComponentId(1));
}

#[test]
fn needs_compile_to_thresholds_and_reverse_edges() {
    let s = system();
    let a = &s.architectures[0];
    let id = |n: &str| a.find(n).unwrap();
    let any = component(a, "any");
    assert_eq!(
        (any.needs.rule, any.needs.k, any.needs.of.clone()),
        (NeedsRule::Any, 1, vec![id("i1"), id("i2")])
    );
    let two = component(a, "two");
    assert_eq!((two.needs.rule, two.needs.k), (NeedsRule::AtLeast, 2));
    let i1 = component(a, "i1");
    assert_eq!((i1.needs.rule, i1.needs.k), (NeedsRule::All, 2));
    assert_eq!(component(a, "power").needs.k, 0);
    assert_eq!(a.dependents_of(id("i1")), [id("any"), id("two")]);
    assert_eq!(a.dependents_of(id("region")), [id("az-1"), id("az-2")]);
    assert_eq!(a.dependents_of(id("svc")), []);
    assert_eq!(a.graph.node_count(), a.components.len());
    assert_eq!(a.graph.edge_count(), a.components.iter().map(|c| c.needs.of.len()).sum::<usize>());
}

#[test]
fn objectives_override_field_by_field() {
    let s = system();
    let a = s.architectures[0].objectives;
    assert_eq!(a.availability, Some(0.99));
    assert_eq!(a.rto, Some(SimTime(15 * MS_PER_MINUTE)), "inherited");
    assert_eq!(a.rpo, Some(SimTime(5 * MS_PER_MINUTE)), "inherited");
    assert!(!a.gate);
    let b = s.architectures[1].objectives;
    assert_eq!((b.availability, b.gate), (Some(0.999), true));
}

#[test]
fn injections_are_placed_or_skipped_per_architecture() {
    let s = system();
    let a = &s.architectures[0];
    assert_eq!(a.injections.len(), 2);
    assert_eq!(a.injections[0].target, a.find("i1").unwrap());
    assert_eq!(a.injections[0].at, SimTime(100 * MS_PER_DAY));
    assert_eq!(a.injections[0].duration, SimTime(6 * MS_PER_HOUR));
    assert_eq!(a.injections[1].duration, SimTime(250));
    assert!(a.injections_skipped.is_empty());
    let b = &s.architectures[1];
    assert_eq!(b.injections.len(), 1);
    assert_eq!(b.injections_skipped, ["i1"]);
}

#[test]
fn struct_name_is_optional_and_explicit_some_works() {
    let named = compile_str(EVERY_FORM).is_ok();
    let anonymous = EVERY_FORM.replacen("Scenario(", "(", 1);
    assert!(named && compile_str(&anonymous).is_ok());
    let explicit =
        EVERY_FORM.replace("seed: 7,", "seed: 7, replications: Some(12),").replace("replications: 12,", "");
    assert_eq!(compile_str(&explicit).unwrap().system.replications, 12);
}
