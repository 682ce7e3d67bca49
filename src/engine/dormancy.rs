//! What a passive member of a cold standby group is made of sleeps with it.
//!
//! `passive: Cold` pauses a passive member's failure clock (an idle generator does not wear
//! out). A member is often a stack of its own (a DR site `All([alb-dr, web-dr, app-dr])`):
//! the components that only passive cold members need are switched off with them, so their
//! clocks are paused too, and resume (with the time they had left) when a member that needs
//! them becomes active.
//!
//! A component is *dormant* iff every component that needs it (its dependents, and the standby
//! group it is a member of) is a passive member of a cold group or is dormant itself. Never
//! dormant (they run whatever the members do): the service, shared components, the kinds
//! `Region`, `Az`, `Power` and `Link` (a site or a feed is not switched off with a stack), the
//! components a dataset lives on (holders, their standby members, replica hosts, backup stores
//! and restore targets: a pilot light's running replica is not switched off), dataset nodes,
//! and components nothing needs. Decided again for the components below the two members of a
//! cold group whenever it switches between them.

use crate::model::Kind;
use crate::model::{Architecture, ComponentId};
use crate::time::SimTime;

use super::core::Node;
use super::simulator::Simulator;

/// Which components may be dormant, computed once per architecture.
#[derive(Debug, Default)]
pub(super) struct DormancyPlan {
    /// May be dormant: every component that needs it is a cold-group member or may be dormant.
    candidate: Vec<bool>,
    /// For each member of a cold group (by component id), the candidates it reaches through its
    /// inputs, each after every candidate that needs it (empty for other components).
    below: Vec<Vec<u32>>,
    /// Every candidate, each after every candidate that needs it.
    order: Vec<u32>,
}

/// The standby groups (by component) having each component as a member.
fn groups_of_members(arch: &Architecture) -> Vec<Option<ComponentId>> {
    let mut of = vec![None; arch.components.len()];
    for (g, c) in arch.components.iter().enumerate() {
        for m in c.standby.iter().flat_map(|s| &s.members) {
            of[m.index()] = Some(ComponentId(g as u32));
        }
    }
    of
}

impl DormancyPlan {
    /// The plan of `arch`; `hosts` marks the components datasets live on.
    pub fn new(arch: &Architecture, hosts: &[bool]) -> DormancyPlan {
        let n = arch.components.len();
        let group_of_member = groups_of_members(arch);
        let cold_member: Vec<bool> = (0..n)
            .map(|i| {
                group_of_member[i]
                    .is_some_and(|g| arch.components[g.index()].standby.as_ref().is_some_and(|s| s.cold))
            })
            .collect();
        if !cold_member.iter().any(|&c| c) {
            return DormancyPlan::default();
        }
        let users = |c: usize| {
            let group = group_of_member[c];
            arch.dependents_of(ComponentId(c as u32)).iter().copied().chain(group)
        };
        let exempt = |c: usize| {
            let comp = &arch.components[c];
            comp.shared
                || matches!(comp.kind, Kind::Region | Kind::Az | Kind::Power | Kind::Link)
                || hosts[c]
                || comp.dataset.is_some()
                || c == arch.service.index()
                || users(c).next().is_none()
        };
        // Grow the candidates to a fixed point: the graph is acyclic, so this ends.
        let mut candidate = vec![false; n];
        loop {
            let mut changed = false;
            for c in 0..n {
                if !candidate[c]
                    && !exempt(c)
                    && users(c).all(|u| cold_member[u.index()] || candidate[u.index()])
                {
                    candidate[c] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // Depth below the cold members: a candidate comes after everything that needs it.
        let mut depth = vec![0u32; n];
        loop {
            let mut changed = false;
            for c in (0..n).filter(|&c| candidate[c]) {
                let d = users(c)
                    .filter(|u| candidate[u.index()])
                    .map(|u| depth[u.index()] + 1)
                    .max()
                    .unwrap_or(0);
                if d != depth[c] {
                    depth[c] = d;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let by_depth = |list: &mut Vec<u32>| list.sort_by_key(|&c| (depth[c as usize], c));
        let mut order: Vec<u32> = (0..n as u32).filter(|&c| candidate[c as usize]).collect();
        by_depth(&mut order);
        let mut below = vec![Vec::new(); n];
        for m in (0..n).filter(|&m| cold_member[m]) {
            let mut seen = vec![false; n];
            let mut stack = vec![m];
            let mut list = Vec::new();
            while let Some(c) = stack.pop() {
                for i in arch.components[c].inputs() {
                    if candidate[i.index()] && !std::mem::replace(&mut seen[i.index()], true) {
                        list.push(i.0);
                        stack.push(i.index());
                    }
                }
            }
            by_depth(&mut list);
            below[m] = list;
        }
        DormancyPlan { candidate, below, order }
    }

    /// Whether any component may be dormant.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Whether component `i` may ever be dormant.
    pub fn may_sleep(&self, i: usize) -> bool {
        self.candidate.get(i).copied().unwrap_or(false)
    }
}

impl Simulator<'_> {
    /// Whether component `u`, a user of a candidate, is switched off.
    fn asleep(&self, u: usize) -> bool {
        (self.core.nodes[u].concerns(Node::WATCHED) && self.standby.is_cold_passive(&self.core, u))
            || (self.core.prepared.dormancy.candidate[u] && self.cycles.dormant[u])
    }

    /// Whether candidate `c` should be dormant now.
    fn should_sleep(&self, c: usize) -> bool {
        let group = self.core.prepared.watchers_of(c).first().map(|&g| self.core.prepared.groups[g as usize]);
        self.core
            .arch
            .dependents_of(ComponentId(c as u32))
            .iter()
            .copied()
            .chain(group)
            .all(|u| self.asleep(u.index()))
    }

    /// At the start of a replication (before the failure clocks start): the components below
    /// passive cold members are dormant.
    pub(super) fn reset_dormancy(&mut self) {
        self.cycles.dormant.fill(false);
        for k in 0..self.core.prepared.dormancy.order.len() {
            let c = self.core.prepared.dormancy.order[k] as usize;
            self.cycles.dormant[c] = self.should_sleep(c);
        }
    }

    /// Cold-group member `member` became active or passive: the components below it sleep or
    /// wake, their failure clocks paused or resumed.
    pub(super) fn redecide_dormancy(&mut self, member: usize, now: SimTime) {
        let prepared = self.core.prepared;
        for &c in &prepared.dormancy.below[member] {
            let c = c as usize;
            let sleep = self.should_sleep(c);
            if sleep != self.cycles.dormant[c] {
                self.cycles.dormant[c] = sleep;
                if sleep {
                    self.pause_clock(c, now);
                } else {
                    self.resume_clock(c, now);
                }
            }
        }
    }
}
