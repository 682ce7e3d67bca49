//! The continuous-time Markov chain of a design whose failures and repairs are all
//! exponential, built from its model when the design qualifies ([`Chain::new`]), and the
//! service's state in one of its states ([`Chain::settle`]).
//!
//! The chain's state is the set of components own-down (a failure in progress) and, for each
//! standby group, which member is active. Only the service's *cone* is kept: the components it
//! needs, directly or through others. A component of the cone that can fail is a *unit*: it
//! fails at rate λ = 1 / mean of its `fail` (its `Warm` factor times λ while it is a passive
//! member of a warm group) and is repaired at μ = 1 / mean of its `Repair`, on its own, whatever
//! the state of the rest (DESIGN's own-state rule: own clocks run whatever the dependencies).
//!
//! Standby groups qualify with `detect: "0s"` and `switch: "0s"`, `Hot`, or `Warm` with
//! `failback` (without it, which member ages at full rate when all are up depends on the
//! past, and the all-up state would not be one state): the engine then switches in
//! the instant the active member stops being healthy, so the group's choice is a function of
//! the members' health, applied here as the engine applies it (`engine::standby`): the active
//! member stays while healthy (with `failback`, a healthy member of higher priority takes
//! over); an unhealthy one gives way to the highest-priority healthy member; with none
//! healthy, it stays active (it ages as the active one) and the group is down.

use crate::dist::Dist;
use crate::model::{Architecture, NeedsRule, Recovery};

/// Why a design is not a chain of exponential failures and repairs (a sentence's end:
/// "the rare-event method does not apply: ...").
pub type NotApplicable = String;

/// One node of the cone: a component and what its state is computed from.
#[derive(Clone, Debug)]
struct Node {
    /// How many of `inputs` must be up (its `needs`).
    k: u32,
    /// Its `needs`, as cone indices.
    inputs: Vec<u32>,
    /// For a standby group: its members (cone indices) in priority order, and failback.
    standby: Option<Group>,
}

#[derive(Clone, Debug)]
struct Group {
    members: Vec<u32>,
    failback: bool,
    /// The passive members' ageing factor (1 for `Hot`).
    warm: f64,
}

/// A design's chain: its cone in an order where every node comes after its inputs.
#[derive(Clone, Debug)]
pub struct Chain {
    nodes: Vec<Node>,
    /// The service's cone index.
    service: u32,
    /// The units: cone index, failure rate and repair rate `[1/ms]`.
    pub(super) units: Vec<Unit>,
    /// Cone index -> unit index.
    unit_of: Vec<Option<u32>>,
    /// Standby groups' cone indices, in cone order.
    groups: Vec<u32>,
    /// Per unit: the `Warm` groups it is a member of, as (group index, its position in the
    /// members), groups in declaration order (the order the engine looks at them in).
    warm_of: Vec<Vec<(u32, u32)>>,
}

/// A component that fails and is repaired.
#[derive(Clone, Copy, Debug)]
pub(super) struct Unit {
    pub node: u32,
    pub lambda: f64,
    pub mu: f64,
}

/// The chain's state: the units down, the groups' active members, and (after
/// [`Chain::settle`]) every node's effective state.
#[derive(Clone, Debug)]
pub struct State {
    /// By unit.
    pub(super) down: Vec<bool>,
    /// Units down.
    pub(super) down_count: usize,
    /// By group (index into `Chain::groups`): the active member's position in its list.
    active: Vec<u32>,
    /// By node: effectively up.
    up: Vec<bool>,
}

impl Chain {
    /// The chain of `arch`, or why it has none. `random` and the scripted events are the
    /// system's: a design with injections or maintenance windows, or with random failures off,
    /// is not the random process this method estimates.
    pub fn new(arch: &Architecture, random: bool) -> Result<Chain, NotApplicable> {
        if !random {
            return Err("random failures are off (`random: false`)".into());
        }
        if !arch.injections.is_empty() {
            return Err("the design has scripted injections".into());
        }
        if !arch.maintenance.is_empty() {
            return Err("the design has maintenance windows".into());
        }
        // The cone, in an order where inputs come first (iterative depth-first post-order).
        let n = arch.components.len();
        let mut index = vec![u32::MAX; n];
        let mut order = Vec::new();
        let mut stack = vec![(arch.service.index(), false)];
        let mut seen = vec![false; n];
        while let Some((c, expanded)) = stack.pop() {
            if expanded {
                index[c] = order.len() as u32;
                order.push(c);
                continue;
            }
            if seen[c] {
                continue;
            }
            seen[c] = true;
            stack.push((c, true));
            for d in arch.components[c].inputs() {
                if !seen[d.index()] {
                    stack.push((d.index(), false));
                }
            }
        }
        let mut chain = Chain {
            nodes: Vec::with_capacity(order.len()),
            service: index[arch.service.index()],
            units: Vec::new(),
            unit_of: vec![None; order.len()],
            groups: Vec::new(),
            warm_of: Vec::new(),
        };
        // The first component that does not qualify, in file order, is the one named.
        for c in (0..n).filter(|&c| seen[c]) {
            qualifies(arch, c)?;
        }
        for (at, &c) in order.iter().enumerate() {
            let component = &arch.components[c];
            let standby = component.standby.as_ref().map(|s| {
                chain.groups.push(at as u32);
                Group {
                    members: s.members.iter().map(|m| index[m.index()]).collect(),
                    failback: s.failback,
                    warm: s.warm.unwrap_or(1.0),
                }
            });
            if let (Some(Dist::Exp { mean_ms: mttf }), Some(Recovery::Repair(Dist::Exp { mean_ms: mttr }))) =
                (component.fail, component.recover)
            {
                chain.unit_of[at] = Some(chain.units.len() as u32);
                chain.units.push(Unit { node: at as u32, lambda: 1.0 / mttf, mu: 1.0 / mttr });
            }
            chain.nodes.push(Node {
                k: component.needs.k,
                inputs: component.needs.of.iter().map(|d| index[d.index()]).collect(),
                standby,
            });
        }
        if chain.units.is_empty() {
            return Err("nothing the service needs can fail".into());
        }
        let mut warm_groups: Vec<u32> =
            (0..chain.groups.len() as u32).filter(|&g| chain.group(g as usize).warm < 1.0).collect();
        warm_groups.sort_by_key(|&g| order[chain.groups[g as usize] as usize]);
        chain.warm_of = chain
            .units
            .iter()
            .map(|unit| {
                let position = |g: u32| chain.group(g as usize).members.iter().position(|&m| m == unit.node);
                warm_groups.iter().filter_map(|&g| position(g).map(|k| (g, k as u32))).collect()
            })
            .collect();
        Ok(chain)
    }

    /// The all-up state, settled.
    pub fn all_up(&self) -> State {
        let mut state = State {
            down: vec![false; self.units.len()],
            down_count: 0,
            active: vec![0; self.groups.len()],
            up: vec![false; self.nodes.len()],
        };
        self.settle(&mut state);
        state
    }

    /// Recomputes every node's effective state and the groups' active members after a change
    /// of `state.down`; returns whether the service is up.
    pub fn settle(&self, state: &mut State) -> bool {
        let mut group = 0;
        for (i, node) in self.nodes.iter().enumerate() {
            let own_up = self.unit_of[i].is_none_or(|u| !state.down[u as usize]);
            let needs_up = node.inputs.iter().filter(|&&d| state.up[d as usize]).count() as u32 >= node.k;
            let members_ok = match &node.standby {
                None => true,
                Some(g) => {
                    let healthy = |k: usize| state.up[g.members[k] as usize];
                    let active = state.active[group] as usize;
                    let best = (0..g.members.len()).find(|&k| healthy(k));
                    let next = match best {
                        Some(b) if !healthy(active) || (g.failback && b < active) => b,
                        _ => active,
                    };
                    state.active[group] = next as u32;
                    group += 1;
                    healthy(next)
                }
            };
            state.up[i] = own_up && needs_up && members_ok;
        }
        state.up[self.service as usize]
    }

    /// Whether `state` is the regeneration state, every unit up. A `Warm` group has failback
    /// (or the design does not qualify), so its first member is then active; which member of
    /// a `Hot` group is active changes neither a rate nor the service's state.
    pub(super) fn regenerated(&self, state: &State) -> bool {
        state.down_count == 0
    }

    /// Standby group `g` (an index into `groups`).
    fn group(&self, g: usize) -> &Group {
        self.nodes[self.groups[g] as usize].standby.as_ref().expect("a standby group")
    }

    /// The failure rate of unit `u` in `state`: λ, or the `Warm` factor times λ of the first
    /// warm group it is a passive member of (as the engine's `warm_factor`).
    pub(super) fn failure_rate(&self, state: &State, u: usize) -> f64 {
        let lambda = self.units[u].lambda;
        let passive = self.warm_of[u].iter().find(|&&(g, k)| state.active[g as usize] != k);
        passive.map_or(lambda, |&(g, _)| lambda * self.group(g as usize).warm)
    }

    /// Whether some unit is a member of a `Warm` group (its rate then depends on the state).
    pub(super) fn has_warm_groups(&self) -> bool {
        self.warm_of.iter().any(|w| !w.is_empty())
    }
}

/// Whether component `c` of the cone is a chain state: an exponential failure and repair and
/// nothing else that takes time or memory, or an instant standby group.
fn qualifies(arch: &Architecture, c: usize) -> Result<(), NotApplicable> {
    let component = &arch.components[c];
    let name = &component.name;
    if component.needs.rule == NeedsRule::Data || component.dataset.is_some() {
        return Err(format!("`{name}` is a dataset (data loss and restores are not exponential clocks)"));
    }
    if arch.queues.iter().any(|q| q.producer.index() == c || q.queue.index() == c) {
        return Err(format!("`{name}` is part of a queue link"));
    }
    if component.battery.is_some() {
        return Err(format!("`{name}` has a battery"));
    }
    if component.start_failure > 0.0 {
        return Err(format!("`{name}` may fail to start"));
    }
    if !component.modes.is_empty() {
        return Err(format!("`{name}` has failure modes"));
    }
    if let Some(s) = &component.standby {
        let instant = |d: &Dist| matches!(d, Dist::Fixed(t) if t.0 == 0);
        if !instant(&s.detect) || !instant(&s.switch) {
            return Err(format!(
                "standby group `{name}` takes time to detect or switch (only `detect: \"0s\", switch: \"0s\"` is a chain state)"
            ));
        }
        if s.cold {
            return Err(format!("standby group `{name}` is `Cold` (its passive members sleep)"));
        }
        if s.warm.is_some() && !s.failback {
            return Err(format!(
                "standby group `{name}` is `Warm` without `failback` (which member ages at full rate when all are up depends on the past, so the all-up state is not one state)"
            ));
        }
    }
    if let Some(fail) = &component.fail {
        if !matches!(fail, Dist::Exp { .. }) {
            return Err(format!("`{name}` fails after a non-exponential time"));
        }
        if !matches!(component.recover, Some(Recovery::Repair(Dist::Exp { .. }))) {
            return Err(format!(
                "`{name}` does not recover by `Repair(Exp(..))` (replacement and fixed or non-exponential repairs are not exponential clocks)"
            ));
        }
        if component.alert.is_some() {
            return Err(format!("`{name}` waits for an alert before its repair"));
        }
        if component.crew.is_some() {
            return Err(format!("`{name}` waits for a repair crew"));
        }
    }
    Ok(())
}
