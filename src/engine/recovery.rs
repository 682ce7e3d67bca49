//! Own failures and recoveries: failure clocks, alerting, repair crews, replacement, and the
//! paused clocks of cold standby members.
//!
//! Each component has at most one pending event, kept in the queue under its name rank: its
//! next failure while up, the end of its alerting delay, of its repair, or of its
//! replacement. A repair that waits for its crew has no event; it is queued at the crew,
//! highest `priority` first, then first come first served, ties (same instant) broken by
//! component name, and starts when a crew member is released (a repair under way is never
//! interrupted). A `Replace` needs no crew.
//!
//! [`Cycles`] owns where each component is in its cycle, the paused clocks, the crews and the
//! failure modes; the failure clocks themselves are events in the core's queue.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::model::Recovery;
use crate::rng::Stream;
use crate::time::SimTime;

use super::core::{Entry, Node};
use super::prepared::{Class, Plain};
use super::simulator::Simulator;
use super::{Cause, ComponentId, Label, Mode, TraceKind};

/// Where a component is in its own failure cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    /// Own-up; its next failure is scheduled (or paused, if a cold passive member).
    Up,
    /// Failed; waiting for the alerting delay before its `Repair` is requested.
    Alerting,
    /// Failed; waiting for a member of its crew.
    Waiting,
    /// Failed; being repaired (holding a crew member if it has a crew).
    Repairing,
    /// Failed; being detected and replaced.
    Replacing,
}

/// A crew's state: members at work and repairs waiting, ordered (priority, highest first;
/// request time; name rank): non-preemptive priority, then first come first served.
#[derive(Clone, Debug, Default)]
pub(super) struct CrewState {
    pub busy: u32,
    pub waiting: BinaryHeap<Reverse<(Reverse<i64>, SimTime, u32)>>,
}

/// A plain component's next time to failure and next repair time, drawn one ahead of their
/// use: the event that uses one draws the next, which nothing waits for, so the time it puts in
/// the queue is a load instead of a logarithm's chain of dependent operations (measured: 19%
/// less time on bench-tiers, 11% on bench-tiers-large). The draws are the same, in the same
/// order on each stream, as drawing each when it is used.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Ahead {
    pub fail: SimTime,
    pub repair: SimTime,
}

/// The own failure cycles of the components: where each is in its cycle, paused clocks, the
/// crews, and the failure modes.
pub(super) struct Cycles {
    /// Where each component is in its cycle; a plain component's is not kept (its failed bit
    /// says it, see [`Plain`]).
    pub phase: Vec<Phase>,
    /// Cold passive members and dormant components: remaining time to failure while their
    /// clock is paused.
    pub paused: Vec<Option<SimTime>>,
    /// Components sleeping with the passive cold members that need them (`dormancy.rs`).
    pub dormant: Vec<bool>,
    pub crews: Vec<CrewState>,
    /// Streams of each component's failure modes (`fail/<mode>`; empty without modes or with
    /// random failures off).
    pub mode_streams: Vec<Vec<Stream>>,
    /// For each component with modes: the mode its next (or current) random failure is in.
    pub mode_now: Vec<Option<u16>>,
    /// The mode named by the injection starting on each component in this batch.
    pub inject_mode: Vec<Option<u16>>,
    /// Warm passive members whose failure clock runs slowed (`warm.rs`).
    pub slowed: Vec<bool>,
    /// Each plain component's draws one ahead, by name rank (see [`Ahead`]).
    pub ahead: Vec<Ahead>,
}

impl Cycles {
    /// The cycles of `n` components and `crews` crews.
    pub fn new(n: usize, crews: usize) -> Cycles {
        Cycles {
            phase: vec![Phase::Up; n],
            paused: vec![None; n],
            dormant: vec![false; n],
            crews: vec![CrewState::default(); crews],
            mode_streams: vec![Vec::new(); n],
            mode_now: vec![None; n],
            inject_mode: vec![None; n],
            slowed: vec![false; n],
            ahead: vec![Ahead::default(); n],
        }
    }
}

impl Simulator<'_> {
    /// Draws a time to failure for component `i` (at least 1 ms).
    pub(super) fn time_to_failure(&mut self, i: usize) -> SimTime {
        // Components with modes have no single `fail` law.
        let Some(dist) = self.core.prepared.fail[i] else { return self.time_to_first_mode(i) };
        let word = self.core.streams[i].fail.as_mut().expect("stream exists").next_word();
        SimTime(dist.sample(word).0.max(1))
    }

    /// Competing failure modes: one draw per mode that can fail, on the mode's own stream; the
    /// earliest wins (ties: the first in file order) and decides how the failure recovers.
    fn time_to_first_mode(&mut self, i: usize) -> SimTime {
        let modes = &self.core.arch.components[i].modes;
        let mut best: Option<(SimTime, u16)> = None;
        let mut streams = self.cycles.mode_streams[i].iter_mut();
        for (k, m) in modes.iter().enumerate() {
            let Some(dist) = m.fail else { continue };
            let t = dist.sample(streams.next().expect("one stream per failing mode").next_word());
            if best.is_none_or(|(b, _)| t < b) {
                best = Some((t, k as u16));
            }
        }
        let (t, k) = best.expect("a component with mode streams has a failing mode");
        self.cycles.mode_now[i] = Some(k);
        SimTime(t.0.max(1))
    }

    /// How component `i`'s current failure recovers: its mode's way, or the component's.
    fn recovery_of(&self, i: usize) -> Recovery {
        match self.cycles.mode_now[i] {
            Some(k) => self.core.arch.components[i].modes[k as usize].recover,
            None => self.core.prepared.recover[i].expect("failing components recover"),
        }
    }

    /// Starts the failure clock of own-up component `i` with `ttf` to go, or keeps it paused if
    /// `i` is a passive member of a cold standby group or sleeps with one.
    pub(super) fn start_clock(&mut self, i: usize, now: SimTime, ttf: SimTime) {
        if (self.core.nodes[i].concerns(Node::WATCHED) && self.standby.is_cold_passive(&self.core, i))
            || self.cycles.dormant[i]
        {
            // A warm passive member asleep with a cold group: its clock keeps its stretch.
            let factor = self.warm_factor(i);
            self.cycles.slowed[i] = factor.is_some();
            let ttf = factor.map_or(ttf, |f| super::warm::stretch(ttf, f));
            self.cycles.paused[i] = Some(ttf);
            self.core.unschedule(i); // the event that just ended (a repair) must not fire again
        } else if let Some(factor) = self.warm_factor(i) {
            self.cycles.slowed[i] = true;
            self.core.schedule(i, now.saturating_add(super::warm::stretch(ttf, factor)));
        } else {
            self.cycles.slowed[i] = false;
            self.core.schedule(i, now.saturating_add(ttf));
        }
    }

    /// Pauses the failure clock of `i` (it became a cold passive member, or dormant).
    pub(super) fn pause_clock(&mut self, i: usize, now: SimTime) {
        if self.cycles.phase[i] == Phase::Up && self.cycles.paused[i].is_none() && self.has_clock(i) {
            let at = self
                .core
                .queue
                .time_of(self.core.prepared.name_rank[i])
                .expect("an up component's failure is scheduled");
            self.core.unschedule(i);
            self.cycles.paused[i] = Some(SimTime(at.0 - now.0));
        }
    }

    /// Resumes the failure clock of `i` (it became active, or woke).
    pub(super) fn resume_clock(&mut self, i: usize, now: SimTime) {
        if let Some(remaining) = self.cycles.paused[i].take() {
            self.core.schedule(i, now.saturating_add(remaining));
        }
    }

    /// Handles component `i`'s due event at `now`; returns the batch entry if its own state
    /// changed.
    pub(super) fn pop_event(&mut self, i: usize, now: SimTime) -> Option<Entry> {
        let rank = self.core.prepared.name_rank[i];
        let id = i as u32;
        if let Some(g) = self.core.prepared.group_of[i] {
            self.core.unschedule(i);
            let group = self.standby.groups[g as usize];
            // A switch ending on another member than the one active when the group went down
            // is a failover; one back to the same member is labelled by the incident's cause.
            let label = match group.phase {
                super::standby::GroupPhase::Switching if group.active != group.down_from => {
                    Some(Label::Failover)
                }
                _ => None,
            };
            return Some(Entry::own(Class::GroupTimer, rank, id, label));
        }
        match self.cycles.phase[i] {
            Phase::Up => {
                let mode = self.cycles.mode_now[i].map_or(Mode::Failure, Mode::Named);
                self.core.note(now, i, TraceKind::Failed(mode));
                self.fail(i, now);
                if self.cycles.mode_now[i]
                    .is_some_and(|k| self.core.arch.components[i].modes[k as usize].loses_data)
                {
                    self.data_view().lose_data(i, now, Cause { component: ComponentId(id), mode });
                }
                Some(Entry::own(Class::RandomFailure, rank, id, None))
            }
            Phase::Alerting => {
                self.core.note(now, i, TraceKind::Detected);
                self.request_repair(i, now);
                None
            }
            Phase::Repairing => {
                self.core.note(now, i, TraceKind::Recovered(Label::Repair));
                self.release_crew(i, now);
                self.recovered(i, now);
                Some(Entry::own(Class::RandomRecovery, rank, id, Some(Label::Repair)))
            }
            Phase::Replacing => {
                self.core.note(now, i, TraceKind::Recovered(Label::Replacement));
                self.recovered(i, now);
                Some(Entry::own(Class::RandomRecovery, rank, id, Some(Label::Replacement)))
            }
            Phase::Waiting => unreachable!("a repair waiting for its crew has no event"),
        }
    }

    /// Handles the due event of a plain component (see [`Plain`]), in queue slot `rank`, at
    /// `now`: a failure starts its repair, the end of a repair its next failure clock. The
    /// general path (`pop_event`) does the same for such a component, through more checks.
    /// Returns its entry and the queue's next event then (see [`super::EventQueue::next_event`]).
    #[inline(always)]
    pub(super) fn plain_event(&mut self, rank: u32, laws: &Plain, now: SimTime) -> (Entry, (SimTime, u32)) {
        let (id, i) = (laws.id, laws.id as usize);
        // A plain component's phase is its failed bit: up (`Phase::Up`) or being repaired. Its
        // `Cycles::phase` entry is not kept (nothing reads a plain component's).
        let node = &mut self.core.nodes[i];
        let up = !node.failed();
        node.set_failed(up);
        let streams = &mut self.core.streams[i];
        let ahead = &mut self.cycles.ahead[rank as usize];
        let (entry, at) = if up {
            let repair = ahead.repair;
            ahead.repair = laws.draw_repair(streams.recover.as_mut().expect("a plain component recovers"));
            self.core.note(now, i, TraceKind::Failed(Mode::Failure));
            (Entry::own(Class::RandomFailure, rank, id, None), now.saturating_add(repair))
        } else {
            let ttf = ahead.fail;
            ahead.fail = laws.draw_time_to_failure(streams.fail.as_mut().expect("a plain component fails"));
            self.core.note(now, i, TraceKind::Recovered(Label::Repair));
            (Entry::own(Class::RandomRecovery, rank, id, Some(Label::Repair)), now.saturating_add(ttf))
        };
        (entry, self.core.queue.reschedule_top_inline(rank, at))
    }

    /// Starts an own failure of `i` at `now`: its recovery begins. The caller refreshes `i`.
    pub(super) fn fail(&mut self, i: usize, now: SimTime) {
        self.cycles.slowed[i] = false;
        self.core.nodes[i].set_failed(true);
        self.cycles.paused[i] = None;
        match self.recovery_of(i) {
            Recovery::Replace { detect, launch } => {
                let d = detect.sample(self.core.streams[i].detect.as_mut().expect("stream").next_word());
                let l = launch.sample(self.core.streams[i].recover.as_mut().expect("stream").next_word());
                self.cycles.phase[i] = Phase::Replacing;
                self.core.schedule(i, now.saturating_add(d).saturating_add(l));
            }
            Recovery::Repair(_) => match self.core.prepared.alert[i] {
                Some(alert) => {
                    let d = alert.sample(self.core.streams[i].detect.as_mut().expect("stream").next_word());
                    self.cycles.phase[i] = Phase::Alerting;
                    self.core.schedule(i, now.saturating_add(d));
                }
                None => self.request_repair(i, now),
            },
        }
    }

    /// Fails standby member `i` on a failed start, as an own failure under its own recovery.
    /// Returns whether it did fail (a member that cannot, or already has, does not).
    pub(super) fn fail_to_start(&mut self, i: usize, now: SimTime) -> bool {
        if self.core.nodes[i].failed() || !self.core.nodes[i].flaky {
            return false;
        }
        self.core.note(now, i, TraceKind::Failed(Mode::StartFailure));
        self.cycles.mode_now[i] = None; // a failed start recovers the component's way
        self.fail(i, now);
        // A recovery of zero length would let the group try the same member again at the same
        // instant, for ever (with start_failure 1): a failed start lasts at least 1 ms.
        let rank = self.core.prepared.name_rank[i];
        if self.core.queue.time_of(rank).is_some_and(|t| t <= now) {
            self.core.queue.schedule(rank, now.saturating_add(SimTime(1)));
        }
        self.core.batch.push(Entry::own(
            Class::StartFailure,
            self.core.prepared.name_rank[i],
            i as u32,
            None,
        ));
        self.core.refresh(i as u32, Cause { component: ComponentId(i as u32), mode: Mode::StartFailure });
        true
    }

    fn request_repair(&mut self, i: usize, now: SimTime) {
        let Some(crew) = self.core.prepared.crew[i] else {
            return self.start_repair(i, now);
        };
        let c = crew as usize;
        if self.cycles.crews[c].busy < self.core.arch.crews[c].size {
            self.cycles.crews[c].busy += 1;
            self.start_repair(i, now);
        } else {
            self.core.note(now, i, TraceKind::WaitingForCrew);
            self.cycles.phase[i] = Phase::Waiting;
            self.core.unschedule(i);
            let priority = Reverse(self.core.arch.components[i].priority);
            self.cycles.crews[c].waiting.push(Reverse((priority, now, self.core.prepared.name_rank[i])));
        }
    }

    fn start_repair(&mut self, i: usize, now: SimTime) {
        let Recovery::Repair(d) = self.recovery_of(i) else { unreachable!("repairs only") };
        let t = d.sample(self.core.streams[i].recover.as_mut().expect("stream").next_word());
        if self.core.trace.is_some()
            && (self.core.prepared.alert[i].is_some() || self.core.prepared.crew[i].is_some())
        {
            self.core.note(now, i, TraceKind::RepairStarted);
        }
        self.cycles.phase[i] = Phase::Repairing;
        self.core.schedule(i, now.saturating_add(t));
    }

    /// Frees `i`'s crew member and gives it to the first waiting repair.
    fn release_crew(&mut self, i: usize, now: SimTime) {
        let Some(crew) = self.core.prepared.crew[i] else { return };
        let c = crew as usize;
        self.cycles.crews[c].busy -= 1;
        if let Some(Reverse((_, _, rank))) = self.cycles.crews[c].waiting.pop() {
            self.cycles.crews[c].busy += 1;
            self.start_repair(self.core.prepared.by_rank[rank as usize] as usize, now);
        }
    }

    /// `i`'s recovery ended at `now`: it is own-up and new again.
    fn recovered(&mut self, i: usize, now: SimTime) {
        self.core.nodes[i].set_failed(false);
        self.cycles.phase[i] = Phase::Up;
        if self.has_clock(i) {
            let ttf = self.time_to_failure(i);
            self.start_clock(i, now, ttf);
        } else {
            self.core.unschedule(i);
        }
    }
}
