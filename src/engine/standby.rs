//! Standby groups: one active member, detection, switching, failed starts, failback, and
//! cold passive members (DESIGN-level semantics in the module docs of `engine`).
//!
//! A group's state machine, driven by its members' health (a member is healthy iff it is
//! effectively up) and by one timer kept in the group's own queue slot (a group has no own
//! failures):
//! - `Active`: the active member carries the load. When it stops being healthy, detection
//!   starts (`detect`, drawn on the group's `detect` stream).
//! - `Detecting`: if the active member is healthy again before `detect` ends, nothing
//!   switches. Otherwise the highest-priority healthy member is activated.
//! - `Switching { to }`: for `switch` (the group's `recover` stream). Activating a member draws
//!   once on its `start` stream against its `start_failure`; a failed start is an own failure of
//!   that member under its own recovery, and the next healthy member is tried at once. If `to`
//!   stops being healthy during the switch, the next healthy member is tried with a new switch
//!   (no second detect); the old member coming back does not stop the switch.
//! - `NoHealthy`: the first member to become healthy is activated (after `switch`), even if it
//!   is the member that was active. When several are healthy at once (a region back with both
//!   of its zones), and whenever a switch has to choose again, the member that was active when
//!   the group went down is preferred if it is healthy: it holds the newest data, and moving
//!   away from it would be a needless failover; otherwise the highest-priority healthy member.
//! - A switch that ends on another member than the one active when the group went down is a
//!   `failover` (a failback is one too); one that ends on the same member is not, and the
//!   incident it ends is labelled by its cause's own recovery (see `engine`).
//! - A member whose copy of a dataset the group holds was destroyed is not healthy for the group
//!   until it has a copy again (see `data/members.rs`); a switch during an outage loses what the
//!   member switched to lacks.
//! - With `failback`, once a switch has ended and the group is active, a healthy member of
//!   higher priority than the active one is switched back to, costing one `switch` of downtime
//!   (problem `<group>/failback`).
//! - **Planned switchover.** When the active member goes down for a maintenance window (its
//!   cause is a window, on itself or on what it needs) and another member is healthy, the group
//!   switches at once, without detection, to the highest-priority healthy one: one `switch` of
//!   downtime, blamed on the window (planned), and like a failback nothing is lost in it. With
//!   no healthy peer the window is taken like any outage of the active member.
//!
//! The group is up iff it is `Active`, its active member is healthy, and its own `needs` hold.
//! A member becomes active when the switch to it begins; with `passive: Cold` every other
//! member's failure clock is paused (it resumes, with the time it had left, on activation),
//! and so are those of the components only passive members need (`dormancy.rs`).
//!
//! [`Standby`] owns the groups' state and answers the other mechanisms' questions about it
//! (which member carries the load, is cold passive, holds the data). A group's decisions act on
//! its members' cycles, batteries and data as well as on the core, so they are the
//! simulator's methods, each reaching those owners through their own methods.

use crate::time::SimTime;

use super::core::{Core, Node};
use super::simulator::Simulator;
use super::{Cause, ComponentId, Mode, Switch, TraceKind};

/// The standby groups during a replication, by index in `Prepared::groups`.
#[derive(Debug, Default)]
pub(super) struct Standby {
    pub groups: Vec<GroupState>,
    /// Each member's time active so far `[ms]`, group after group (`GroupState::first`), up
    /// to its group's `active_since` for the active one.
    pub active_ms: Vec<u64>,
}

impl Standby {
    /// Whether member `i` carries (or is being switched in to carry) its group's load.
    pub fn carrying(&self, core: &Core<'_>, i: usize) -> bool {
        core.prepared.watchers_of(i).iter().any(|&g| {
            let state = self.groups[g as usize];
            core.prepared.standby(g as usize).members[state.active].index() == i
                && matches!(state.phase, GroupPhase::Active | GroupPhase::Switching)
        })
    }

    /// Whether `i` is a passive member of a cold standby group (its failure clock is paused).
    pub fn is_cold_passive(&self, core: &Core<'_>, i: usize) -> bool {
        core.prepared.watchers_of(i).iter().any(|&g| {
            let standby = core.prepared.standby(g as usize);
            standby.cold && standby.members[self.groups[g as usize].active].index() != i
        })
    }

    /// The member (index) holding the data of group `g`: the active one while the group is up,
    /// else the one that was active when it went down (a member being switched to has taken
    /// no write yet).
    pub fn primary_member(&self, g: usize) -> usize {
        let state = self.groups[g];
        if state.phase == GroupPhase::Active { state.active } else { state.down_from }
    }
}

/// A standby group's phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum GroupPhase {
    Active,
    Detecting,
    Switching,
    NoHealthy,
}

/// A standby group's state during a replication.
#[derive(Clone, Copy, Debug)]
pub(super) struct GroupState {
    /// Index (priority) of the active member in `members`.
    pub active: usize,
    pub phase: GroupPhase,
    /// The member (index) that was active when the group last went down: a switch ending on
    /// another one is a failover.
    pub down_from: usize,
    /// The switch in progress is planned (a failback or a switchover before maintenance):
    /// nothing is lost in it.
    pub planned: bool,
    /// Where its members' entries start in `Standby::active_ms`.
    pub first: usize,
    /// When the active member became active.
    pub active_since: SimTime,
}

impl Simulator<'_> {
    /// Every group starts `Active` on its first member.
    pub(super) fn reset_groups(&mut self) {
        self.standby.groups.clear();
        let mut first = 0;
        for g in 0..self.core.prepared.groups.len() {
            self.standby.groups.push(GroupState {
                active: 0,
                phase: GroupPhase::Active,
                down_from: 0,
                planned: false,
                first,
                active_since: SimTime::ZERO,
            });
            first += self.core.prepared.standby(g).members.len();
        }
        self.standby.active_ms.clear();
        self.standby.active_ms.resize(first, 0);
        // The first member carries the load from t = 0, on its battery if it has one.
        for g in 0..self.standby.groups.len() {
            let first = self.member(g, 0);
            self.battery.activated(&mut self.core, first, SimTime::ZERO);
        }
    }

    fn member(&self, g: usize, k: usize) -> usize {
        self.core.prepared.standby(g).members[k].index()
    }

    /// Member `k` is effectively up and, if the group holds data, has a copy to serve it.
    fn healthy(&self, g: usize, k: usize) -> bool {
        self.core.nodes[self.member(g, k)].up
            && (self.data.states.is_empty() || !self.data.lacks_copy(&self.core, g, k))
    }

    /// A group's detect or switch timer ended. Returns the failed starts it caused.
    pub(super) fn group_timer(&mut self, id: usize, now: SimTime) -> u64 {
        let g = self.core.prepared.group_of[id].expect("timers belong to standby groups") as usize;
        let active = self.standby.groups[g].active;
        match self.standby.groups[g].phase {
            // The member came back at the very instant detection ended: nothing switches.
            GroupPhase::Detecting if self.healthy(g, active) => self.members_changed(g, now),
            GroupPhase::Detecting => self.try_next(g, now),
            // The member switched to failed at the very instant the switch ended: try the next.
            GroupPhase::Switching if !self.healthy(g, active) => {
                self.core.note(now, id, TraceKind::SwitchAbandoned);
                self.try_next(g, now)
            }
            GroupPhase::Switching => {
                self.core.note(now, id, TraceKind::SwitchEnded);
                if !self.data.states.is_empty() {
                    self.data_view().switch_ended(g, now);
                }
                self.standby.groups[g].phase = GroupPhase::Active;
                let active = self.standby.groups[g].active;
                let ok = self.healthy(g, active);
                let blame = self.core.cause[self.member(g, active)];
                self.set_ok(g, ok, blame);
                self.consider_failback(g, now)
            }
            GroupPhase::Active | GroupPhase::NoHealthy => unreachable!("no timer in this phase"),
        }
    }

    /// Lets every group whose members changed decide, in name order, until none is left.
    /// Returns the failed starts it caused (own failures, counted as events).
    pub(super) fn settle_groups(&mut self, now: SimTime) -> u64 {
        let mut start_failures = 0;
        while !self.core.pending.groups.is_empty() {
            let ranks = &self.core.prepared.name_rank;
            let groups = &self.core.prepared.groups;
            let k = (0..self.core.pending.groups.len())
                .min_by_key(|&k| ranks[groups[self.core.pending.groups[k] as usize].index()])
                .expect("not empty");
            let g = self.core.pending.groups.swap_remove(k) as usize;
            start_failures += self.members_changed(g, now);
        }
        start_failures
    }

    fn members_changed(&mut self, g: usize, now: SimTime) -> u64 {
        let active = self.standby.groups[g].active;
        let phase = self.standby.groups[g].phase;
        match phase {
            GroupPhase::Active if !self.healthy(g, active) => {
                let (switched, start_failures) = self.planned_switchover(g, now);
                if switched {
                    return start_failures;
                }
                self.standby.groups[g].down_from = active;
                let d = self.core.prepared.standby(g).detect;
                let id = self.core.prepared.groups[g].index();
                let word = self.core.streams[id].detect.as_mut().expect("groups have streams").next_word();
                self.standby.groups[g].phase = GroupPhase::Detecting;
                self.core.schedule(id, now.saturating_add(d.sample(word)));
                self.core.note(now, id, TraceKind::DetectionStarted);
                let blame = self.core.cause[self.member(g, active)];
                self.set_ok(g, false, blame);
                start_failures
            }
            GroupPhase::Active => self.consider_failback(g, now),
            GroupPhase::Detecting if self.healthy(g, active) => {
                self.core.unschedule(self.core.prepared.groups[g].index());
                self.core.note(now, self.core.prepared.groups[g].index(), TraceKind::DetectionCancelled);
                self.standby.groups[g].phase = GroupPhase::Active;
                let member = self.member(g, active);
                self.battery.activated(&mut self.core, member, now); // carrying again (a recharged battery)
                let blame = self.core.cause[member];
                self.set_ok(g, true, blame);
                // A preferred member may have come back meanwhile.
                self.consider_failback(g, now)
            }
            GroupPhase::Switching if !self.healthy(g, active) => {
                self.core.unschedule(self.core.prepared.groups[g].index());
                self.core.note(now, self.core.prepared.groups[g].index(), TraceKind::SwitchAbandoned);
                self.try_next(g, now)
            }
            GroupPhase::NoHealthy => self.try_next(g, now),
            GroupPhase::Detecting | GroupPhase::Switching => 0,
        }
    }

    /// Activates the member that was active when the group went down if it is healthy again
    /// (it holds the newest data; switching away from it would be a needless failover), else
    /// the highest-priority healthy member, trying the next one after each failed start; with
    /// none healthy the group waits in `NoHealthy`. Returns the failed starts.
    fn try_next(&mut self, g: usize, now: SimTime) -> u64 {
        let mut start_failures = 0;
        let n = self.core.prepared.standby(g).members.len();
        loop {
            let down_from = self.standby.groups[g].down_from;
            let choice = if self.healthy(g, down_from) {
                Some(down_from)
            } else {
                (0..n).find(|&k| self.healthy(g, k))
            };
            let Some(k) = choice else {
                if self.standby.groups[g].phase != GroupPhase::NoHealthy {
                    self.core.note(now, self.core.prepared.groups[g].index(), TraceKind::NoHealthyMember);
                }
                self.standby.groups[g].phase = GroupPhase::NoHealthy;
                let blame = self.core.cause[self.core.prepared.groups[g].index()];
                self.set_ok(g, false, blame);
                return start_failures;
            };
            if self.start_switch(g, k, now, Switch::Failover) {
                return start_failures;
            }
            start_failures += 1;
        }
    }

    /// If the active member of group `g` just went down for a maintenance window, switches to
    /// the highest-priority healthy member (trying the next after a failed start). Returns
    /// whether a switch started (if not, the group detects the outage as any other) and the
    /// failed starts.
    fn planned_switchover(&mut self, g: usize, now: SimTime) -> (bool, u64) {
        let active = self.standby.groups[g].active;
        let m = self.member(g, active);
        if self.core.nodes[m].up || self.core.cause[m].mode != Mode::Maintenance {
            return (false, 0);
        }
        let mut start_failures = 0;
        let n = self.core.prepared.standby(g).members.len();
        for k in (0..n).filter(|&k| k != active) {
            if self.healthy(g, k) {
                if self.start_switch(g, k, now, Switch::Planned) {
                    return (true, start_failures);
                }
                start_failures += 1;
            }
        }
        (false, start_failures)
    }

    /// With `failback`, switches back to the best healthy member of higher priority than the
    /// active one. Returns the failed starts.
    fn consider_failback(&mut self, g: usize, now: SimTime) -> u64 {
        if !self.core.prepared.standby(g).failback || self.standby.groups[g].phase != GroupPhase::Active {
            return 0;
        }
        let active = self.standby.groups[g].active;
        let mut start_failures = 0;
        for k in 0..active {
            if self.healthy(g, k) {
                if self.start_switch(g, k, now, Switch::Failback) {
                    return start_failures;
                }
                start_failures += 1;
            }
        }
        start_failures
    }

    /// Begins a switch to member `k`: one draw against its start failure; on success the member
    /// becomes active and the group is down for `switch`. Returns whether it started.
    fn start_switch(&mut self, g: usize, k: usize, now: SimTime, kind: Switch) -> bool {
        let m = self.member(g, k);
        if self.core.nodes[m].flaky {
            let p = self.core.arch.components[m].start_failure;
            let word =
                self.core.streams[m].start.as_mut().expect("flaky members have a start stream").next_word();
            if crate::dist::unit_open(word) < p && self.fail_to_start(m, now) {
                return false;
            }
        }
        let from = self.standby.groups[g].active;
        let old = self.member(g, from);
        let planned = kind != Switch::Failover;
        if planned {
            self.standby.groups[g].down_from = from;
        }
        self.standby.groups[g].planned = planned;
        if from != k {
            let state = &mut self.standby.groups[g];
            self.standby.active_ms[state.first + from] += now.0 - state.active_since.0;
            state.active_since = now;
        }
        self.standby.groups[g].active = k;
        self.standby.groups[g].phase = GroupPhase::Switching;
        if self.core.prepared.standby(g).cold && old != m {
            self.pause_clock(old, now);
            self.resume_clock(m, now);
            if !self.core.prepared.dormancy.is_empty() {
                self.redecide_dormancy(old, now);
                self.redecide_dormancy(m, now);
            }
        }
        if let Some(factor) = self.core.prepared.standby(g).warm.filter(|_| old != m) {
            self.slow_clock(old, now, factor);
            self.hurry_clock(m, now, factor);
        }
        if old != m {
            self.battery.deactivated(&mut self.core, &self.standby, old, now);
            self.core
                .refresh(old as u32, Cause { component: ComponentId(old as u32), mode: Mode::BatteryEmpty });
        }
        self.battery.activated(&mut self.core, m, now);
        let id = self.core.prepared.groups[g].index();
        self.core.note(now, id, TraceKind::SwitchStarted { to: ComponentId(m as u32), kind });
        let s = self.core.prepared.standby(g).switch;
        let word = self.core.streams[id].recover.as_mut().expect("groups have streams").next_word();
        self.core.schedule(id, now.saturating_add(s.sample(word)));
        if old != m {
            self.data_view().holder_switched(id);
        }
        let blame = match kind {
            Switch::Failback => Cause { component: ComponentId(id as u32), mode: Mode::Failback },
            // The window that took the old member down.
            Switch::Planned => self.core.cause[old],
            Switch::Failover => self.core.cause[id],
        };
        self.set_ok(g, false, blame);
        true
    }

    /// At the horizon: tells `observer` how long each standby member was active (from the
    /// switch to it to the switch away from it; the first member from t = 0).
    pub(super) fn report_active_time<O: super::Observer>(&mut self, horizon: SimTime, observer: &mut O) {
        for g in 0..self.standby.groups.len() {
            let state = self.standby.groups[g];
            self.standby.active_ms[state.first + state.active] += horizon.0 - state.active_since.0;
            for (k, &m) in self.core.prepared.standby(g).members.iter().enumerate() {
                observer.active_time(m, SimTime(self.standby.active_ms[state.first + k]));
            }
        }
    }

    /// Sets whether group `g`'s standby condition holds and propagates the change.
    fn set_ok(&mut self, g: usize, ok: bool, blame: Cause) {
        let id = self.core.prepared.groups[g].index();
        self.core.nodes[id].set_standby_ok(ok);
        self.core.refresh(id as u32, blame);
        // Whether a member carries the load may have changed: a battery charges only when not.
        for k in 0..self.core.prepared.standby(g).members.len() {
            let m = self.member(g, k);
            if self.core.nodes[m].concerns(Node::BATTERY) {
                self.core.pending.batteries.push(m as u32);
            }
        }
    }
}
