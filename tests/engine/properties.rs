//! Property tests: invariants of the model over small random architectures.
//!
//! Every property builds scenarios as RON text from a generated design, compiles them with
//! `compile_str` and runs every replication through the engine (or the runner). Random designs
//! have 1-4 instances with Exp / Weibull / LogNormal / Fixed / Uniform failure and recovery
//! times (means from minutes to thousands of hours, `Repair` or `Replace`), optional AZs they
//! need, a `Group` service over them, a random seed and optionally some injections.
//!
//! Configs are fixed (`RngSeed::Fixed`, no persistence) so CI is reproducible.

use faultline::engine::{Cause, Incident, Prepared, Recorder, RunParams, Simulator};
use faultline::metrics::simulate;
use faultline::model::{Architecture, System, compile_str};
use faultline::runner::{run_architecture, thread_pool};
use faultline::time::MS_PER_MINUTE;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

// ---------------------------------------------------------------------------------------------
// Generated designs

/// A distribution; durations in whole minutes.
#[derive(Clone, Debug)]
enum D {
    Exp(u64),
    /// Shape in hundredths, mean.
    Weibull(u32, u64),
    /// Mean, sigma in hundredths.
    LogNormal(u64, u32),
    Fixed(u64),
    Uniform(u64, u64),
}

fn dur(minutes: u64) -> String {
    if minutes == 0 { "0s".to_string() } else { format!("{minutes}m") }
}

impl D {
    fn ron(&self) -> String {
        match *self {
            D::Exp(m) => format!("Exp(mean: \"{}\")", dur(m)),
            D::Weibull(k, m) => format!("Weibull(shape: {}.{:02}, mean: \"{}\")", k / 100, k % 100, dur(m)),
            D::LogNormal(m, s) => {
                format!("LogNormal(mean: \"{}\", sigma: {}.{:02})", dur(m), s / 100, s % 100)
            }
            D::Fixed(m) => format!("Fixed(\"{}\")", dur(m)),
            D::Uniform(lo, hi) => format!("Uniform(lo: \"{}\", hi: \"{}\")", dur(lo), dur(hi)),
        }
    }
}

#[derive(Clone, Debug)]
enum Recover {
    Repair(D),
    Replace(D, D),
}

impl Recover {
    fn ron(&self) -> String {
        match self {
            Recover::Repair(d) => format!("Repair({})", d.ron()),
            Recover::Replace(detect, launch) => {
                format!("Replace(detect: {}, launch: {})", detect.ron(), launch.ron())
            }
        }
    }
}

/// A failing component (an AZ or an instance).
#[derive(Clone, Debug)]
struct Comp {
    fail: D,
    recover: Recover,
    /// Index of the AZ it needs.
    needs_az: Option<usize>,
}

impl Comp {
    fn ron(&self, name: &str, kind: &str) -> String {
        match self.needs_az {
            Some(az) => self.ron_needing(name, kind, &format!("All([\"az{az}\"])")),
            None => format!(
                "(name: \"{name}\", kind: {kind}, fail: {}, recover: {}),\n",
                self.fail.ron(),
                self.recover.ron()
            ),
        }
    }

    /// The component with `needs` instead of its AZ.
    fn ron_needing(&self, name: &str, kind: &str, needs: &str) -> String {
        format!(
            "(name: \"{name}\", kind: {kind}, fail: {}, recover: {}, needs: {needs}),\n",
            self.fail.ron(),
            self.recover.ron()
        )
    }
}

/// A scripted failure; times in minutes.
#[derive(Clone, Debug)]
struct Inj {
    target: String,
    at: u64,
    duration: u64,
}

impl Inj {
    fn ron(&self) -> String {
        format!(
            "(target: \"{}\", at: \"{}\", duration: \"{}\"),\n",
            self.target,
            dur(self.at),
            dur(self.duration)
        )
    }
}

/// How the service group needs its members.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Rule {
    All,
    Any,
    AtLeast(usize),
}

fn needs(rule: Rule, members: &[String]) -> String {
    let list = members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ");
    match rule {
        Rule::All => format!("All([{list}])"),
        Rule::Any => format!("Any([{list}])"),
        Rule::AtLeast(k) => format!("AtLeast({k}, [{list}])"),
    }
}

/// A random design: AZs `az0..`, instances `i0..` (the service's members), a rule.
#[derive(Clone, Debug)]
struct Design {
    seed: u64,
    horizon_days: u64,
    replications: u64,
    azs: Vec<Comp>,
    members: Vec<Comp>,
    rule: Rule,
    injections: Vec<Inj>,
}

impl Design {
    fn member_names(&self) -> Vec<String> {
        (0..self.members.len()).map(|i| format!("i{i}")).collect()
    }

    /// The AZs and instances, without the service.
    fn base_components(&self) -> Vec<String> {
        let mut out: Vec<String> =
            self.azs.iter().enumerate().map(|(i, c)| c.ron(&format!("az{i}"), "Az")).collect();
        out.extend(self.members.iter().enumerate().map(|(i, c)| c.ron(&format!("i{i}"), "Instance")));
        out
    }

    /// The design's components with the service group `svc` under `rule`.
    fn components(&self, rule: Rule) -> Vec<String> {
        let mut out = self.base_components();
        out.push(format!("(name: \"svc\", kind: Group, needs: {}),\n", needs(rule, &self.member_names())));
        out
    }

    fn horizon_ms(&self) -> u64 {
        self.horizon_days * 1440 * MS_PER_MINUTE
    }

    /// A scenario holding `architectures` (name, components), each with service `svc`.
    fn scenario(&self, random: bool, architectures: &[(&str, Vec<String>)]) -> String {
        let mut text = format!(
            "Scenario(name: \"prop\", seed: {}, horizon: \"{}d\", replications: {}, random: {random},\n\
             architectures: [\n",
            self.seed, self.horizon_days, self.replications
        );
        for (name, components) in architectures {
            text.push_str(&format!(
                "(name: \"{name}\", components: [\n{}], service: \"svc\"),\n",
                components.concat()
            ));
        }
        text.push_str("],\ninjections: [\n");
        for inj in &self.injections {
            text.push_str(&inj.ron());
        }
        text.push_str("],\n)\n");
        text
    }
}

/// Log-uniform whole minutes in `[lo, hi]`.
fn minutes(lo: u64, hi: u64) -> impl Strategy<Value = u64> {
    (0.0..=1.0f64).prop_map(move |u| {
        let v = lo as f64 * libm::pow(hi as f64 / lo as f64, u);
        (libm::round(v) as u64).clamp(lo, hi)
    })
}

/// A distribution with means in `[lo, hi]` minutes; `zero_ok`: Fixed may be 0 (delays only).
fn dist(lo: u64, hi: u64, zero_ok: bool) -> impl Strategy<Value = D> {
    let fixed_lo = if zero_ok { 0 } else { lo };
    prop_oneof![
        3 => minutes(lo, hi).prop_map(D::Exp),
        2 => (50u32..=400, minutes(lo, hi)).prop_map(|(k, m)| D::Weibull(k, m)),
        2 => (minutes(lo, hi), 10u32..=200).prop_map(|(m, s)| D::LogNormal(m, s)),
        1 => prop_oneof![Just(fixed_lo), minutes(lo, hi)].prop_map(D::Fixed),
        1 => (minutes(lo, hi), 0u64..=3).prop_map(|(a, f)| D::Uniform(a, a + a * f / 2)),
    ]
}

/// Time to failure: means from 10 h to 5000 h; sometimes a `Fixed` value from a short list, so
/// that components fail at the same instant and same-time rules matter.
fn fail_dist() -> impl Strategy<Value = D> {
    prop_oneof![
        5 => dist(600, 300_000, false),
        1 => prop::sample::select(vec![6_000u64, 30_000]).prop_map(D::Fixed),
    ]
}

/// Recovery: `Repair` (1 min to 200 h) or `Replace` (detect up to 10 min, launch 1 min to 2 h).
fn recover() -> impl Strategy<Value = Recover> {
    prop_oneof![
        3 => dist(1, 12_000, true).prop_map(Recover::Repair),
        1 => prop::sample::select(vec![60u64, 240]).prop_map(|m| Recover::Repair(D::Fixed(m))),
        1 => (dist(1, 10, true), dist(1, 120, true)).prop_map(|(d, l)| Recover::Replace(d, l)),
    ]
}

fn comp(azs: usize) -> impl Strategy<Value = Comp> {
    let needs = if azs == 0 { Just(None).boxed() } else { proptest::option::of(0..azs).boxed() };
    (fail_dist(), recover(), needs).prop_map(|(fail, recover, needs_az)| Comp { fail, recover, needs_az })
}

fn injections(targets: Vec<String>, horizon_days: u64) -> impl Strategy<Value = Vec<Inj>> {
    let horizon_min = horizon_days * 1440;
    // Sometimes at the same instant as another injection or a `Fixed` failure (100 h, 500 h).
    let at =
        prop_oneof![0..horizon_min + horizon_min / 10, prop::sample::select(vec![1440u64, 6_000, 30_000])];
    let one = (prop::sample::select(targets), at, minutes(1, 30 * 1440))
        .prop_map(|(target, at, duration)| Inj { target, at, duration });
    prop::collection::vec(one, 0..4)
}

/// A random design with `members` instances and `replications` replications (ranges); the
/// horizon is 90 days to 2 years.
fn design(
    members: std::ops::RangeInclusive<usize>,
    replications: std::ops::Range<u64>,
) -> impl Strategy<Value = Design> {
    (any::<u64>(), prop::sample::select(vec![90u64, 180, 365, 730]), replications, 0usize..=2, members)
        .prop_flat_map(|(seed, horizon_days, replications, n_azs, n_members)| {
            let azs = prop::collection::vec(comp(0), n_azs);
            let members = prop::collection::vec(comp(n_azs), n_members);
            let rule = prop_oneof![Just(Rule::All), Just(Rule::Any), (1..=n_members).prop_map(Rule::AtLeast)];
            let mut targets: Vec<String> = (0..n_azs).map(|i| format!("az{i}")).collect();
            targets.extend((0..n_members).map(|i| format!("i{i}")));
            targets.push("svc".to_string());
            let inj = prop_oneof![1 => Just(Vec::new()), 1 => injections(targets, horizon_days)];
            (azs, members, rule, inj).prop_map(move |(azs, members, rule, injections)| Design {
                seed,
                horizon_days,
                replications,
                azs,
                members,
                rule,
                injections,
            })
        })
}

// ---------------------------------------------------------------------------------------------
// Running

/// One replication: the service's up-time and its incidents in the order they ended.
#[derive(Clone, Debug, PartialEq)]
struct Rep {
    up: u64,
    incidents: Vec<Incident>,
}

fn compile(text: &str) -> System {
    compile_str(text).unwrap_or_else(|d| panic!("generated scenario does not compile: {d:#?}\n{text}")).system
}

fn params(system: &System) -> RunParams {
    RunParams::of(system)
}

/// Runs every replication of `arch`, in order, on one simulator.
fn run_arch(system: &System, arch: &Architecture) -> Vec<Rep> {
    let prepared = Prepared::new(arch, params(system));
    let mut sim = Simulator::new(&prepared);
    (0..system.replications)
        .map(|r| {
            let mut recorder = Recorder::default();
            let summary = sim.run(r, &mut recorder);
            Rep { up: summary.up.0, incidents: recorder.incidents }
        })
        .collect()
}

/// Compiles `text` and runs every architecture: the system and, by position, its replications.
fn run_text(text: &str) -> (System, Vec<Vec<Rep>>) {
    let system = compile(text);
    let reps = system.architectures.iter().map(|a| run_arch(&system, a)).collect();
    (system, reps)
}

/// An incident with its cause by name, so it compares across architectures.
type Named = (u64, u64, bool, String);

fn named(arch: &Architecture, incidents: &[Incident]) -> Vec<Named> {
    incidents.iter().map(|i| (i.start.0, i.end.0, i.censored, problem(arch, i.cause))).collect()
}

/// A cause as a problem name, `<component>/<mode>`.
fn problem(arch: &Architecture, cause: Cause) -> String {
    format!("{}/{}", arch.components[cause.component.index()].name, cause.mode.name())
}

/// The contributing failures of each incident, by problem name.
fn contributing(arch: &Architecture, incidents: &[Incident]) -> Vec<Vec<String>> {
    incidents.iter().map(|i| i.contributing.iter().map(|&c| problem(arch, c)).collect()).collect()
}

/// Whether the interval `[start, end)` lies inside one of `outer` (disjoint, ordered).
fn covered(outer: &[Incident], start: u64, end: u64) -> bool {
    outer.iter().any(|o| o.start.0 <= start && end <= o.end.0)
}

fn config(cases: u32, seed: u64) -> Config {
    Config { cases, rng_seed: RngSeed::Fixed(seed), failure_persistence: None, ..Config::default() }
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(config(64, 0xFA17_0001))]

    /// 1. Per replication: availability in [0, 1]; incidents positive, disjoint, ordered and
    /// inside [0, horizon]; only the last may be censored and it ends at the horizon; downtime
    /// plus up-time is the horizon exactly. The metrics fold agrees with the recorder, and a
    /// reused simulator gives what a fresh one gives.
    #[test]
    fn replications_partition_the_horizon(d in design(1..=4, 4..12)) {
        let text = d.scenario(true, &[("a", d.components(d.rule))]);
        let (system, reps) = run_text(&text);
        let arch = &system.architectures[0];
        let horizon = d.horizon_ms();
        prop_assert_eq!(system.horizon.0, horizon);
        for (r, rep) in reps[0].iter().enumerate() {
            let availability = rep.up as f64 / horizon as f64;
            prop_assert!((0.0..=1.0).contains(&availability), "rep {r}: availability {availability}");
            prop_assert!(rep.up <= horizon);
            let mut down = 0u64;
            for (k, i) in rep.incidents.iter().enumerate() {
                prop_assert!(i.start < i.end, "rep {r}: empty incident {i:?}");
                prop_assert!(i.end.0 <= horizon, "rep {r}: {i:?} past the horizon");
                if k > 0 {
                    let prev = &rep.incidents[k - 1];
                    prop_assert!(prev.end < i.start, "rep {r}: {prev:?} then {i:?}: not disjoint, ordered, apart");
                }
                if i.censored {
                    prop_assert_eq!(k, rep.incidents.len() - 1, "rep {}: censored incident not last", r);
                    prop_assert_eq!(i.end.0, horizon);
                } else {
                    prop_assert!(i.end.0 < horizon, "rep {r}: uncensored {i:?} ends at the horizon");
                }
                prop_assert!(!i.contributing.contains(&i.cause), "rep {r}: cause also contributing: {i:?}");
                down += i.duration().0;
            }
            prop_assert_eq!(down + rep.up, horizon, "rep {}: downtime + up-time != horizon", r);
        }
        // The metrics fold, replications in reverse order on one simulator, agrees.
        let prepared = Prepared::new(arch, params(&system));
        let mut sim = Simulator::new(&prepared);
        for r in (0..system.replications).rev() {
            let rep = &reps[0][r as usize];
            let outcome = simulate(&mut sim, r, None);
            prop_assert_eq!(outcome.up_ms, rep.up);
            prop_assert_eq!(outcome.incidents, rep.incidents.len() as u64);
            prop_assert_eq!(outcome.censored, rep.incidents.iter().filter(|i| i.censored).count() as u64);
            prop_assert_eq!(outcome.rto.count(), outcome.incidents - outcome.censored);
            let mut again = Recorder::default();
            let summary = sim.run(r, &mut again);
            prop_assert_eq!(summary.up.0, rep.up);
            prop_assert_eq!(&again.incidents, &rep.incidents, "rep {} differs on a reused simulator", r);
        }
    }

    /// 2. A parallel member added to an `Any` group never lowers availability: with common
    /// random numbers, every down interval with the member lies inside one without it.
    #[test]
    fn an_extra_any_member_never_hurts(d in design(1..=3, 5..13), extra in comp(2)) {
        let mut extra = extra;
        extra.needs_az = extra.needs_az.filter(|&az| az < d.azs.len());
        let without = d.components(Rule::Any);
        let mut members = d.member_names();
        members.push("x".to_string());
        let mut with = d.base_components();
        with.push(extra.ron("x", "Instance"));
        with.push(format!("(name: \"svc\", kind: Group, needs: {}),\n", needs(Rule::Any, &members)));
        let text = d.scenario(true, &[("without", without), ("with", with)]);
        let (_, reps) = run_text(&text);
        for (r, (a, b)) in reps[0].iter().zip(&reps[1]).enumerate() {
            prop_assert!(b.up >= a.up, "rep {r}: up-time {} with x < {} without", b.up, a.up);
            for i in &b.incidents {
                prop_assert!(covered(&a.incidents, i.start.0, i.end.0), "rep {r}: {i:?} not down without x");
            }
        }
    }

    /// 3. A component nothing depends on never changes the service: identical incidents
    /// (start, end, censoring, cause and contributing failures by name) and up-time, wherever
    /// it is declared.
    #[test]
    fn an_orphan_changes_nothing(
        d in design(1..=4, 5..13),
        orphan in comp(2),
        orphan_needs in 0..3,
        position in any::<prop::sample::Index>(),
        injected in proptest::option::of((0u64..100_000, 1u64..5_000)),
    ) {
        let mut d = d;
        let mut orphan = orphan;
        orphan.needs_az = orphan.needs_az.filter(|&az| az < d.azs.len());
        let plain = d.components(d.rule);
        // It may even depend on the service or its members: still nothing depends on it.
        let line = match orphan_needs {
            0 => orphan.ron("orphan", "Instance"),
            1 => orphan.ron_needing("orphan", "Instance", "All([\"svc\"])"),
            _ => orphan.ron_needing("orphan", "Instance", &needs(Rule::Any, &d.member_names())),
        };
        let mut with = plain.clone();
        with.insert(position.index(with.len() + 1), line);
        if let Some((at, duration)) = injected {
            d.injections.push(Inj { target: "orphan".into(), at, duration });
        }
        let text = d.scenario(true, &[("plain", plain), ("with", with)]);
        let (system, reps) = run_text(&text);
        let (a0, a1) = (&system.architectures[0], &system.architectures[1]);
        for (r, (a, b)) in reps[0].iter().zip(&reps[1]).enumerate() {
            prop_assert_eq!(a.up, b.up, "rep {}: up-time", r);
            prop_assert_eq!(named(a0, &a.incidents), named(a1, &b.incidents), "rep {}: incidents", r);
            prop_assert_eq!(contributing(a0, &a.incidents), contributing(a1, &b.incidents), "rep {}", r);
        }
    }

    /// 4. `All` is never more available than `Any` over the same members, and `AtLeast(k)` is
    /// monotone in k; `AtLeast(1)` is `Any` and `AtLeast(n)` is `All`, incident for incident.
    #[test]
    fn all_below_at_least_below_any(d in design(1..=4, 5..13)) {
        let n = d.members.len();
        let mut archs = vec![("all", d.components(Rule::All)), ("any", d.components(Rule::Any))];
        let names: Vec<String> = (1..=n).map(|k| format!("k{k}")).collect();
        for (k, name) in names.iter().enumerate() {
            archs.push((name.as_str(), d.components(Rule::AtLeast(k + 1))));
        }
        let text = d.scenario(true, &archs);
        let (system, reps) = run_text(&text);
        let (all, any, at_least) = (&reps[0], &reps[1], &reps[2..]);
        let archs = &system.architectures;
        for r in 0..d.replications as usize {
            prop_assert!(all[r].up <= any[r].up, "rep {r}: All {} > Any {}", all[r].up, any[r].up);
            for k in 1..n {
                // at_least[k - 1] is AtLeast(k), at_least[k] is AtLeast(k + 1).
                prop_assert!(
                    at_least[k][r].up <= at_least[k - 1][r].up,
                    "rep {r}: AtLeast({}) {} > AtLeast({k}) {}", k + 1, at_least[k][r].up, at_least[k - 1][r].up
                );
                for i in &at_least[k - 1][r].incidents {
                    prop_assert!(
                        covered(&at_least[k][r].incidents, i.start.0, i.end.0),
                        "rep {r}: {i:?} down under AtLeast({k}) but not AtLeast({})", k + 1
                    );
                }
            }
            prop_assert_eq!(named(&archs[2], &at_least[0][r].incidents), named(&archs[1], &any[r].incidents));
            prop_assert_eq!(named(&archs[1 + n], &at_least[n - 1][r].incidents), named(&archs[0], &all[r].incidents));
        }
    }

    /// 7. Declaration order never matters (ties are broken by event class and name): the
    /// components of a design in any order give the same incidents, causes, contributing
    /// failures and up-times.
    #[test]
    fn declaration_order_changes_nothing(
        (d, order) in design(1..=4, 5..13).prop_flat_map(|d| {
            let n = d.components(d.rule).len();
            (Just(d), Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
        }),
    ) {
        let written = d.components(d.rule);
        let shuffled: Vec<String> = order.iter().map(|&k| written[k].clone()).collect();
        let text = d.scenario(true, &[("written", written), ("shuffled", shuffled)]);
        let (system, reps) = run_text(&text);
        let (a0, a1) = (&system.architectures[0], &system.architectures[1]);
        for (r, (a, b)) in reps[0].iter().zip(&reps[1]).enumerate() {
            prop_assert_eq!(a.up, b.up, "rep {}: up-time", r);
            prop_assert_eq!(named(a0, &a.incidents), named(a1, &b.incidents), "rep {}: incidents", r);
            prop_assert_eq!(contributing(a0, &a.incidents), contributing(a1, &b.incidents), "rep {}", r);
        }
    }
}

/// Scripted injections on one target: clusters of mutually overlapping injections, clusters
/// apart by `gap` minutes (0: touching). Times in minutes.
#[derive(Clone, Debug)]
struct Cluster {
    gap: u64,
    first: u64,
    /// (where in the cluster's extent so far the injection starts, as a fraction; duration).
    more: Vec<(f64, u64)>,
}

/// `(at, duration)` of an injection or `(start, end)` of an outage, in minutes.
type Span = (u64, u64);

/// The injections of `clusters` (in time order) and the `[start, end)` of each run of
/// overlapping or touching injections.
fn lay_out(clusters: &[Cluster]) -> (Vec<Span>, Vec<Span>) {
    let (mut injections, mut extents): (Vec<Span>, Vec<Span>) = (Vec::new(), Vec::new());
    let mut t = 0;
    for c in clusters {
        let start = t + c.gap;
        let mut end = start + c.first;
        injections.push((start, c.first));
        for &(frac, duration) in &c.more {
            // Strictly before the cluster's current end: it overlaps the cluster.
            let at = start + ((frac * (end - start) as f64) as u64).min(end - start - 1);
            injections.push((at, duration));
            end = end.max(at + duration);
        }
        match extents.last_mut() {
            // Touching the previous cluster: the target never comes up in between.
            Some(last) if c.gap == 0 => last.1 = end,
            _ => extents.push((start, end)),
        }
        t = end;
    }
    (injections, extents)
}

fn clusters() -> impl Strategy<Value = Vec<Cluster>> {
    let gap = prop_oneof![1 => Just(0u64), 6 => minutes(1, 14_400)];
    let more = prop::collection::vec((0.0..1.0f64, minutes(1, 4_320)), 0..3);
    prop::collection::vec((gap, minutes(1, 4_320), more), 1..7)
        .prop_map(|v| v.into_iter().map(|(gap, first, more)| Cluster { gap, first, more }).collect())
}

/// The service named `svc`, or a group `svc` over the instance `c`.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Itself,
    GroupAll,
    GroupAny,
}

proptest! {
    #![proptest_config(config(64, 0xFA17_0002))]

    /// 5. With `random: false` the history is exactly the injections: one incident per cluster
    /// of overlapping (or touching) injections that starts before the horizon, from its first
    /// start to its last end (cut at the horizon, and then censored), caused by the target's
    /// injection; the same in every replication, whatever the order in the file.
    #[test]
    fn scripted_runs_are_the_injections(
        (clusters, order, horizon_min) in clusters().prop_flat_map(|c| {
            let (injections, extents) = lay_out(&c);
            let last_end = extents.last().map_or(1, |e| e.1);
            // The horizon cuts the script anywhere: before, inside or after the last clusters.
            let horizon = (0.2..1.3f64).prop_map(move |f| ((f * last_end as f64) as u64).max(1));
            (Just(c), Just((0..injections.len()).collect::<Vec<usize>>()).prop_shuffle(), horizon)
        }),
        c in comp(1),
        shape in prop_oneof![Just(Shape::Itself), Just(Shape::GroupAll), Just(Shape::GroupAny)],
        seed in any::<u64>(),
    ) {
        let (injections, extents) = lay_out(&clusters);
        let target = match shape { Shape::Itself => "svc", _ => "c" };
        let mut components = c.ron(target, "Instance");
        if c.needs_az.is_some() {
            components = Comp { needs_az: None, ..c.clone() }.ron("az0", "Az") + &components;
        }
        match shape {
            Shape::Itself => {}
            Shape::GroupAll => components.push_str("(name: \"svc\", kind: Group, needs: All([\"c\"])),\n"),
            Shape::GroupAny => components.push_str("(name: \"svc\", kind: Group, needs: Any([\"c\"])),\n"),
        }
        let injections_ron: String = order
            .iter()
            .map(|&k| Inj { target: target.to_string(), at: injections[k].0, duration: injections[k].1 }.ron())
            .collect();
        let text = format!(
            "(name: \"scripted\", seed: {seed}, horizon: \"{horizon_min}m\", replications: 3, random: false,\n\
             architectures: [(name: \"a\", components: [\n{components}], service: \"svc\")],\n\
             injections: [\n{injections_ron}])\n"
        );
        let (system, reps) = run_text(&text);
        let arch = &system.architectures[0];
        let horizon = horizon_min * MS_PER_MINUTE;
        let cause = format!("{target}/injected");
        let expected: Vec<Named> = extents
            .iter()
            .map(|&(s, e)| (s * MS_PER_MINUTE, e * MS_PER_MINUTE))
            .filter(|&(s, _)| s < horizon)
            .map(|(s, e)| (s, e.min(horizon), e >= horizon, cause.clone()))
            .collect();
        let down: u64 = expected.iter().map(|e| e.1 - e.0).sum();
        for (r, rep) in reps[0].iter().enumerate() {
            prop_assert_eq!(&named(arch, &rep.incidents), &expected, "rep {}\n{}", r, text);
            prop_assert!(rep.incidents.iter().all(|i| i.contributing.is_empty()), "rep {r}: {:?}", rep.incidents);
            prop_assert_eq!(rep.up, horizon - down);
            prop_assert_eq!(rep, &reps[0][0], "replications differ without random failures");
        }
    }
}

proptest! {
    #![proptest_config(config(48, 0xFA17_0003))]

    /// 6. The runner's fold does not depend on threads: 1, 2 and 3 workers give reports that
    /// serialize to the same bytes (and the availability lies in its CI, inside [0, 1]).
    #[test]
    fn reports_are_thread_independent(d in design(1..=4, 1..32)) {
        let text = d.scenario(true, &[("a", d.components(d.rule)), ("any", d.components(Rule::Any))]);
        let system = compile(&text);
        let pools: Vec<_> = [1, 2, 3].iter().map(|&n| thread_pool(n).expect("thread pool")).collect();
        for arch in &system.architectures {
            let json: Vec<String> = pools
                .iter()
                .map(|pool| {
                    let aggregate = run_architecture(arch, params(&system), system.replications, pool, &|_| {});
                    assert_eq!(aggregate.replications(), system.replications);
                    let report = faultline::runner::report(arch, &aggregate, system.horizon);
                    let a = &report.availability;
                    assert!((0.0..=1.0).contains(&a.mean), "availability {}", a.mean);
                    assert!(a.ci95[0] <= a.mean && a.mean <= a.ci95[1], "{:?} around {}", a.ci95, a.mean);
                    assert!(report.downtime_min_per_year.is_finite() && report.incidents_per_year.is_finite());
                    serde_json::to_string(&report).expect("serializable")
                })
                .collect();
            prop_assert_eq!(&json[0], &json[1], "1 vs 2 threads");
            prop_assert_eq!(&json[0], &json[2], "1 vs 3 threads");
        }
    }
}

/// An injection ending exactly at the horizon: its recovery is not simulated (events at or
/// after the horizon never happen), so the incident is reported censored at the horizon.
#[test]
fn an_injection_ending_at_the_horizon_is_censored() {
    let text = r#"(name: "edge", horizon: "10d", replications: 1, random: false,
        architectures: [(name: "a", components: [
            (name: "svc", kind: Instance, fail: Exp(mean: "100h"), recover: Repair("1h")),
        ], service: "svc")],
        injections: [(target: "svc", at: "9d", duration: "1d")])"#;
    let (system, reps) = run_text(text);
    let day = 1440 * MS_PER_MINUTE;
    let got = named(&system.architectures[0], &reps[0][0].incidents);
    assert_eq!(got, [(9 * day, 10 * day, true, "svc/injected".to_string())]);
    assert_eq!(reps[0][0].up, 9 * day);
}
