//! Injection sweeps: every component that can fail is failed on purpose, alone (order 1) or in
//! pairs (order 2), with random failures off and without planned maintenance, and the
//! service's response is recorded.
//!
//! Each injection starts one hour after start-up and lasts `duration` (long by default, so
//! only automatic mechanisms such as failover can end the outage before it does). A single
//! injection that takes the service down, for however short a time, is a *single point of
//! failure*: this includes a standby primary whose failover takes a switch time, which the
//! graph-only cut sets do not count. A target with a data-losing failure mode is failed twice
//! alone: plainly (a host that is down keeps its data, so nothing is promoted or restored) and
//! in that mode (the first such, in file order); pairs are failed plainly. Each injection says
//! whether data was lost and how much (the largest RPO of its data-loss events; an event with
//! no surviving copy is counted as unrecoverable). Results are sorted by impact (downtime,
//! longest first), then by target names.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::single::{Network, Verdict, single_failures};
use crate::engine::{Label, Prepared, Recorder, RunParams, Simulator};
use crate::model::{Architecture, ComponentId, Injection};
use crate::time::{MS_PER_HOUR, SimTime};

/// What one injection did to the service.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// The components failed together.
    pub targets: Vec<String>,
    /// Whether the service went down at all.
    pub down: bool,
    /// Total downtime `[s]` (up to the horizon).
    pub downtime_s: f64,
    /// What ended the first outage (`failover`, `injection-end`, ...), or `open at horizon`.
    pub ended_by: Option<&'static str>,
    /// The failure modes injected, one per target (`null` for a plain failure).
    pub modes: Vec<Option<String>>,
    /// Whether any dataset lost data.
    pub data_lost: bool,
    /// The largest realised RPO of its recoverable data-loss events `[s]`.
    pub rpo_s: Option<f64>,
    /// Data-loss events with no surviving copy.
    pub unrecoverable: u64,
}

/// An [`Outcome`] as read back (a shard's partial sweep), its mechanism a name to look up.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeWire {
    targets: Vec<String>,
    down: bool,
    downtime_s: f64,
    ended_by: Option<String>,
    modes: Vec<Option<String>>,
    data_lost: bool,
    rpo_s: Option<f64>,
    unrecoverable: u64,
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Outcome, D::Error> {
        Outcome::try_from(OutcomeWire::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<OutcomeWire> for Outcome {
    type Error = String;

    /// What ended the outage becomes the label's own name; an unknown one is an error.
    fn try_from(w: OutcomeWire) -> Result<Outcome, String> {
        let names = || Label::ALL.iter().map(|l| l.name()).chain([Label::OPEN_AT_HORIZON]);
        let ended_by = match w.ended_by {
            None => None,
            Some(name) => Some(names().find(|&n| n == name).ok_or_else(|| {
                format!("`{name}` is not a mechanism ({})", names().collect::<Vec<_>>().join(", "))
            })?),
        };
        Ok(Outcome {
            targets: w.targets,
            down: w.down,
            downtime_s: w.downtime_s,
            ended_by,
            modes: w.modes,
            data_lost: w.data_lost,
            rpo_s: w.rpo_s,
            unrecoverable: w.unrecoverable,
        })
    }
}

/// The sweep of one architecture.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sweep {
    /// Architecture.
    pub name: String,
    /// Targets of single injections that took the service down, by name.
    pub spofs: Vec<String>,
    /// Every injection, by impact.
    pub injections: Vec<Outcome>,
}

/// Injects each failable component (and, with `order` 2, each pair) for `duration`.
pub fn sweep(arch: &Architecture, order: usize, duration: SimTime) -> Sweep {
    sweep_with(arch, order, duration, &|_, _| {})
}

/// As [`sweep`], calling `progress(done, total)` as the simulated injections finish. They run
/// on the current rayon pool (`ThreadPool::install` chooses it); the sweep is the same on any
/// number of threads.
///
/// A plain injection whose effect the dependency graph settles is not simulated: when
/// nothing it takes down (or whose count of failed inputs it moves) has timing of its own (a
/// standby group or member, a dataset's node, holder or store, a queue, a battery), the
/// engine's propagation is the structure function's, so the service goes down exactly when
/// the structure function says, at the injection's start, and comes back when it ends
/// (`injection-end`), losing no data. Without batteries nothing moves when random failures are
/// off and nothing is injected, so that holds whatever else the design has. Everything else
/// is simulated, one run per injection; `tests` checks the two ways agree on every bundled
/// scenario and on generated ones.
pub fn sweep_with(
    arch: &Architecture,
    order: usize,
    duration: SimTime,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Sweep {
    let sets = injection_sets(arch, order);
    finish(&arch.name, sweep_sets(arch, &sets, duration, progress))
}

/// The injections of a sweep of `order`, in the order they are run and split into shards:
/// each component that can fail alone, by name (one with a data-losing failure mode twice:
/// plainly, then in that mode), then with `order` 2 every pair.
pub fn injection_sets(arch: &Architecture, order: usize) -> Vec<InjectionSet> {
    let mut targets: Vec<ComponentId> = (0..arch.components.len() as u32)
        .map(ComponentId)
        .filter(|c| arch.components[c.index()].can_fail())
        .collect();
    targets.sort_by(|a, b| arch.components[a.index()].name.cmp(&arch.components[b.index()].name));
    // A target with a data-losing mode is failed twice: plainly, and in that mode.
    let losing =
        |c: ComponentId| arch.components[c.index()].modes.iter().position(|m| m.loses_data).map(|k| k as u16);
    let mut sets: Vec<InjectionSet> = Vec::new();
    for &t in &targets {
        sets.push(vec![(t, None)]);
        if let Some(k) = losing(t) {
            sets.push(vec![(t, Some(k))]);
        }
    }
    if order >= 2 {
        for i in 0..targets.len() {
            for j in i + 1..targets.len() {
                sets.push(vec![(targets[i], None), (targets[j], None)]);
            }
        }
    }
    sets
}

/// Components failed together, each plainly or in a failure mode (an index into its `modes`).
pub type InjectionSet = Vec<(ComponentId, Option<u16>)>;

/// The outcomes of `sets` (all of a sweep's, or a shard's run of them), in their order. Each
/// outcome depends on its set alone, so a sweep split into runs of sets gives the same.
pub fn sweep_sets(
    arch: &Architecture,
    sets: &[InjectionSet],
    duration: SimTime,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Vec<Outcome> {
    let at = SimTime(MS_PER_HOUR);
    let horizon = at.saturating_add(duration).saturating_add(SimTime(24 * MS_PER_HOUR));
    let params = RunParams { seed: 0, horizon, random: false };
    let mut judge = (at.saturating_add(duration) < horizon
        && arch.components.iter().all(|c| c.battery.is_none()))
    .then(|| Judge::new(arch));
    let total = sets.len() as u64;
    // The graph's verdicts first, in order (the judge keeps state); then the injections it
    // cannot settle are simulated on the current rayon pool, each its own scripted history,
    // so the result does not depend on the number of threads.
    let verdicts: Vec<Option<Verdict>> =
        sets.iter().map(|set| judge.as_mut().and_then(|j| j.verdict(set))).collect();
    let done = AtomicU64::new(0);
    let injections: Vec<Outcome> = sets
        .par_iter()
        .zip(verdicts)
        .map(|(set, verdict)| {
            let outcome = match verdict {
                Some(Verdict::Harmless) => return settled(arch, set, None),
                Some(Verdict::Down) => return settled(arch, set, Some(duration)),
                _ => simulate(arch, set, at, duration, params),
            };
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            outcome
        })
        .collect();
    progress(total, total);
    injections
}

/// The sweep of design `name` from the outcomes of all its injections in [`injection_sets`]
/// order: the single points of failure, and the injections by impact.
pub fn finish(name: &str, mut injections: Vec<Outcome>) -> Sweep {
    let mut spofs: Vec<String> =
        injections.iter().filter(|o| o.down && o.targets.len() == 1).map(|o| o.targets[0].clone()).collect();
    spofs.dedup();
    injections.sort_by(|a, b| b.downtime_s.total_cmp(&a.downtime_s).then_with(|| a.targets.cmp(&b.targets)));
    Sweep { name: name.to_string(), spofs, injections }
}

/// Judges plain injections from the dependency graph (see [`sweep_with`]).
struct Judge {
    special: Vec<bool>,
    single: Vec<Verdict>,
    net: Network,
    ids: Vec<usize>,
}

impl Judge {
    fn new(arch: &Architecture) -> Judge {
        let mut special = vec![false; arch.components.len()];
        let mut mark = |c: ComponentId| special[c.index()] = true;
        for (i, c) in arch.components.iter().enumerate() {
            if c.standby.is_some() || c.battery.is_some() || c.dataset.is_some() {
                mark(ComponentId(i as u32));
            }
            c.standby.iter().flat_map(|s| &s.members).for_each(|&m| mark(m));
        }
        for d in &arch.datasets {
            mark(d.holder);
            d.replicas.iter().for_each(|r| mark(r.on));
            d.backups.iter().for_each(|b| {
                mark(b.to);
                b.into.into_iter().for_each(&mut mark);
            });
        }
        for q in &arch.queues {
            [q.producer, q.queue, q.consumers].into_iter().for_each(&mut mark);
        }
        let single = single_failures(arch, Some(&special));
        Judge { special, single, net: Network::new(arch), ids: Vec::new() }
    }

    /// The verdict on `set`, if it is plain (no failure mode).
    fn verdict(&mut self, set: &[(ComponentId, Option<u16>)]) -> Option<Verdict> {
        if set.iter().any(|&(_, mode)| mode.is_some()) {
            return None;
        }
        if let [(c, _)] = set {
            return Some(self.single[c.index()]);
        }
        self.ids.clear();
        self.ids.extend(set.iter().map(|&(c, _)| c.index()));
        let verdict = self.net.spread(&self.ids, Some(&self.special));
        self.net.undo();
        Some(verdict)
    }
}

/// The outcome of a plain injection the graph settled: down for the whole injection
/// (`Some(duration)`), or not at all.
fn settled(arch: &Architecture, set: &[(ComponentId, Option<u16>)], down: Option<SimTime>) -> Outcome {
    Outcome {
        targets: set.iter().map(|&(c, _)| arch.components[c.index()].name.clone()).collect(),
        down: down.is_some(),
        downtime_s: down.map_or(0, |d| d.0) as f64 / 1000.0,
        ended_by: down.map(|_| Label::InjectionEnd.name()),
        modes: vec![None; set.len()],
        data_lost: false,
        rpo_s: None,
        unrecoverable: 0,
    }
}

/// Simulates one injection of `set` from `at` for `duration`.
fn simulate(
    arch: &Architecture,
    set: &[(ComponentId, Option<u16>)],
    at: SimTime,
    duration: SimTime,
    params: RunParams,
) -> Outcome {
    let horizon = params.horizon;
    let mut scripted = arch.clone();
    scripted.injections =
        set.iter().map(|&(target, mode)| Injection { target, at, duration, mode }).collect();
    // The injection alone: planned maintenance would be outages of its own.
    scripted.maintenance.clear();
    let prepared = Prepared::new(&scripted, params);
    let mut recorder = Recorder::default();
    let summary = Simulator::new(&prepared).run(0, &mut recorder);
    let first = recorder.incidents.first();
    Outcome {
        targets: set.iter().map(|&(c, _)| arch.components[c.index()].name.clone()).collect(),
        down: first.is_some(),
        downtime_s: (horizon.0 - summary.up.0) as f64 / 1000.0,
        ended_by: first.map(|i| Label::name_or_open(i.label)),
        modes: set
            .iter()
            .map(|&(c, m)| m.map(|k| arch.components[c.index()].modes[k as usize].name.clone()))
            .collect(),
        data_lost: !recorder.losses.is_empty(),
        rpo_s: recorder.losses.iter().filter_map(|l| l.rpo).max().map(|t| t.0 as f64 / 1000.0),
        unrecoverable: recorder.losses.iter().filter(|l| l.rpo.is_none()).count() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::cutsets::minimal_cut_sets;
    use crate::model::compile_str;

    fn bundled(name: &str) -> crate::model::System {
        let text =
            std::fs::read_to_string(format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        compile_str(&text).unwrap().system
    }

    const LONG: SimTime = SimTime(30 * 24 * MS_PER_HOUR);

    /// Checks the injections of `judged` against simulating each of them: all of them, or every
    /// `step`-th one and those that took the service down.
    fn agrees_with_simulation(arch: &Architecture, judged: &Sweep, step: usize, what: &str) {
        let at = SimTime(MS_PER_HOUR);
        let horizon = at.saturating_add(LONG).saturating_add(SimTime(24 * MS_PER_HOUR));
        let params = RunParams { seed: 0, horizon, random: false };
        for (k, o) in judged.injections.iter().enumerate().filter(|(k, o)| k % step == 0 || o.down) {
            let set: Vec<(ComponentId, Option<u16>)> = o
                .targets
                .iter()
                .zip(&o.modes)
                .map(|(t, m)| {
                    let c = arch.find(t).unwrap();
                    (
                        c,
                        m.as_ref().map(|m| {
                            arch.components[c.index()].modes.iter().position(|x| &x.name == m).unwrap() as u16
                        }),
                    )
                })
                .collect();
            assert_eq!(o, &simulate(arch, &set, at, LONG, params), "{what}: injection {k}");
        }
    }

    #[test]
    fn injections_the_graph_settles_give_what_simulating_them_gives() {
        let dir = format!("{}/scenarios", env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|f| f.ends_with(".ron") && f != "bench-tiers-large.ron")
            .collect();
        files.sort();
        for file in &files {
            for arch in &bundled(file).architectures {
                let order = if arch.components.len() > 20 { 1 } else { 2 };
                agrees_with_simulation(arch, &sweep(arch, order, LONG), 1, &format!("{file}/{}", arch.name));
            }
        }
        for seed in 0..6 {
            for (timing, battery) in [(false, false), (true, false), (true, true)] {
                let features = crate::analysis::generated::Features { timing, battery };
                let text = crate::analysis::generated::scenario(seed, 12, features);
                let arch = &compile_str(&text).unwrap().system.architectures[0];
                agrees_with_simulation(
                    arch,
                    &sweep(arch, 2, LONG),
                    1,
                    &format!("seed {seed}, {timing}, {battery}"),
                );
                let text = crate::analysis::generated::scenario(seed, 60, features);
                let arch = &compile_str(&text).unwrap().system.architectures[0];
                agrees_with_simulation(
                    arch,
                    &sweep(arch, 1, LONG),
                    1,
                    &format!("seed {seed}, {timing}, {battery}"),
                );
            }
        }
    }

    #[test]
    fn the_large_bundled_model_sweeps_as_simulated() {
        let system = bundled("bench-tiers-large.ron");
        let arch = &system.architectures[0];
        agrees_with_simulation(arch, &sweep(arch, 1, LONG), 40, "bench-tiers-large");
    }

    #[test]
    fn with_instantaneous_redundancy_spofs_are_the_order_1_cut_sets() {
        for file in
            ["nat-gateways.ron", "web-single-vs-multi-az.ron", "bench-tiers.ron", "single-instance.ron"]
        {
            for arch in &bundled(file).architectures {
                let cuts: Vec<String> = minimal_cut_sets(arch, 1).into_iter().map(|c| c[0].clone()).collect();
                assert_eq!(sweep(arch, 1, LONG).spofs, cuts, "{file}/{}", arch.name);
            }
        }
    }

    /// What the bundled designs are documented to survive: a multi-AZ design any one AZ, a
    /// single-AZ one not; and the region is a single point of failure of every design in one
    /// region.
    #[test]
    fn bundled_designs_survive_what_they_are_documented_to() {
        let dir = format!("{}/scenarios", env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|f| f.ends_with(".ron") && !f.starts_with("bench-tiers"))
            .collect();
        files.sort();
        let mut single_region = 0;
        for file in &files {
            for arch in &bundled(file).architectures {
                let regions: Vec<&str> = arch
                    .components
                    .iter()
                    .filter(|c| c.kind == crate::model::Kind::Region)
                    .map(|c| c.name.as_str())
                    .collect();
                if let [region] = regions[..] {
                    single_region += 1;
                    let s = sweep(arch, 1, LONG);
                    assert!(s.spofs.iter().any(|n| n == region), "{file}/{}: {:?}", arch.name, s.spofs);
                }
            }
        }
        assert!(single_region >= 18, "{single_region} single-region designs checked");
        let system = bundled("web-single-vs-multi-az.ron");
        let spofs =
            |name: &str| sweep(system.architectures.iter().find(|a| a.name == name).unwrap(), 1, LONG).spofs;
        assert!(spofs("single-az").contains(&"use1-az1".to_string()));
        assert!(!spofs("multi-az").iter().any(|n| n.starts_with("use1-az")), "{:?}", spofs("multi-az"));
    }

    #[test]
    fn a_data_losing_mode_is_injected_and_its_rpo_reported() {
        let system = bundled("database-data-protection.ron");
        let find = |arch: &str, target: &str, mode: Option<&str>| {
            let arch = system.architectures.iter().find(|a| a.name == arch).unwrap();
            let mode = mode.map(str::to_string);
            sweep(arch, 1, LONG)
                .injections
                .into_iter()
                .find(|o| o.targets == [target] && o.modes == [mode.clone()])
                .unwrap()
        };
        // Injected one hour in: the newest snapshot is the one every chain holds at t = 0.
        let snapshots = find("snapshots", "db-a", Some("volume-loss"));
        assert!(snapshots.data_lost && snapshots.unrecoverable == 0);
        assert_eq!((snapshots.rpo_s, snapshots.ended_by), (Some(3600.0), Some("restore")));
        // Failed plainly, the host keeps its data: nothing lost, down until the injection ends.
        let plain = find("async-replica", "db-a", None);
        assert!(!plain.data_lost && plain.rpo_s.is_none());
        assert_eq!((plain.ended_by, plain.downtime_s), (Some("injection-end"), LONG.0 as f64 / 1000.0));
        let replica = find("async-replica", "use1-az1", Some("fire"));
        assert_eq!((replica.rpo_s, replica.ended_by), (Some(1.0), Some("promote")));
        // Multi-AZ: the AZ's fire destroys the primary, the synchronous standby loses nothing
        // (RPO 0, still a data-loss event) and takes over by failover.
        let multi = find("multi-az", "use1-az1", Some("fire"));
        assert!(multi.data_lost && multi.unrecoverable == 0);
        assert_eq!((multi.rpo_s, multi.ended_by), (Some(0.0), Some("failover")));
        // A component without modes is failed plainly, once.
        let system_multi = system.architectures.iter().find(|a| a.name == "multi-az").unwrap();
        let regions =
            sweep(system_multi, 1, LONG).injections.into_iter().filter(|o| o.targets == ["use1"]).count();
        assert_eq!(regions, 1);
    }

    #[test]
    fn a_failover_delay_makes_a_standby_member_a_spof_for_the_switch_time() {
        let system = bundled("database-multi-az.ron");
        let arch = system.architectures.iter().find(|a| a.name == "multi-az").unwrap();
        let cuts: Vec<String> = minimal_cut_sets(arch, 1).into_iter().map(|c| c[0].clone()).collect();
        let s = sweep(arch, 1, LONG);
        for spof in s.spofs.iter().filter(|n| !cuts.contains(n)) {
            let o = s.injections.iter().find(|o| o.targets == [spof.clone()]).unwrap();
            assert_eq!(o.ended_by, Some("failover"), "{spof}: not explained by a failover: {o:?}");
            assert!(o.downtime_s < 300.0, "{spof}: a failover, not an outage for the injection: {o:?}");
        }
        assert!(s.spofs.len() > cuts.len(), "the primary's switch time shows: {:?} vs {cuts:?}", s.spofs);
    }
}
