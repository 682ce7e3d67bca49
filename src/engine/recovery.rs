//! Own failures and recoveries: failure clocks, alerting, repair crews, replacement, and the
//! paused clocks of cold standby members.
//!
//! Each component has at most one pending event, kept in the queue under its name rank: its
//! next failure while up, the end of its alerting delay, of its repair, or of its
//! replacement. A repair that waits for its crew has no event; it is queued at the crew,
//! first come first served, ties (same instant) broken by component name, and starts when a
//! crew member is released. A `Replace` needs no crew.

use std::cmp::Reverse;

use crate::model::Recovery;
use crate::time::SimTime;

use super::prepared::Class;
use super::simulator::{Entry, Phase, Simulator};
use super::{Cause, ComponentId, Label, Mode, TraceKind};

impl Simulator<'_> {
    /// Draws a time to failure for component `i` (at least 1 ms).
    pub(super) fn time_to_failure(&mut self, i: usize) -> SimTime {
        // Components with modes have no single `fail` law.
        let Some(dist) = self.prepared.fail[i] else { return self.time_to_first_mode(i) };
        let word = self.streams[i].fail.as_mut().expect("stream exists").next_word();
        SimTime(dist.sample(word).0.max(1))
    }

    /// Competing failure modes: one draw per mode that can fail, on the mode's own stream; the
    /// earliest wins (ties: the first in file order) and decides how the failure recovers.
    fn time_to_first_mode(&mut self, i: usize) -> SimTime {
        let modes = &self.arch.components[i].modes;
        let mut best: Option<(SimTime, u16)> = None;
        let mut streams = self.mode_streams[i].iter_mut();
        for (k, m) in modes.iter().enumerate() {
            let Some(dist) = m.fail else { continue };
            let t = dist.sample(streams.next().expect("one stream per failing mode").next_word());
            if best.is_none_or(|(b, _)| t < b) {
                best = Some((t, k as u16));
            }
        }
        let (t, k) = best.expect("a component with mode streams has a failing mode");
        self.mode_now[i] = Some(k);
        SimTime(t.0.max(1))
    }

    /// How component `i`'s current failure recovers: its mode's way, or the component's.
    fn recovery_of(&self, i: usize) -> Recovery {
        match self.mode_now[i] {
            Some(k) => self.arch.components[i].modes[k as usize].recover,
            None => self.prepared.recover[i].expect("failing components recover"),
        }
    }

    /// Starts the failure clock of own-up component `i` with `ttf` to go, or keeps it paused if
    /// `i` is a passive member of a cold standby group or sleeps with one.
    pub(super) fn start_clock(&mut self, i: usize, now: SimTime, ttf: SimTime) {
        if (self.nodes[i].watched && self.is_cold_passive(i)) || self.dormant[i] {
            self.paused[i] = Some(ttf);
            self.unschedule(i); // the event that just ended (a repair) must not fire again
        } else {
            self.schedule(i, now.saturating_add(ttf));
        }
    }

    /// Pauses the failure clock of `i` (it became a cold passive member, or dormant).
    pub(super) fn pause_clock(&mut self, i: usize, now: SimTime) {
        if self.phase[i] == Phase::Up && self.paused[i].is_none() && self.has_clock(i) {
            let at = self
                .queue
                .time_of(self.prepared.name_rank[i])
                .expect("an up component's failure is scheduled");
            self.unschedule(i);
            self.paused[i] = Some(SimTime(at.0 - now.0));
        }
    }

    /// Resumes the failure clock of `i` (it became active, or woke).
    pub(super) fn resume_clock(&mut self, i: usize, now: SimTime) {
        if let Some(remaining) = self.paused[i].take() {
            self.schedule(i, now.saturating_add(remaining));
        }
    }

    /// Handles component `i`'s due event at `now`; returns the batch entry if its own state
    /// changed.
    pub(super) fn pop_event(&mut self, i: usize, now: SimTime) -> Option<Entry> {
        let rank = self.prepared.name_rank[i];
        let id = i as u32;
        if let Some(g) = self.prepared.group_of[i] {
            self.unschedule(i);
            let group = self.groups[g as usize];
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
        match self.phase[i] {
            Phase::Up => {
                let mode = self.mode_now[i].map_or(Mode::Failure, Mode::Named);
                self.note(now, i, TraceKind::Failed(mode));
                self.fail(i, now);
                if self.mode_now[i].is_some_and(|k| self.arch.components[i].modes[k as usize].loses_data) {
                    self.lose_data(i, now, Cause { component: ComponentId(id), mode });
                }
                Some(Entry::own(Class::RandomFailure, rank, id, None))
            }
            Phase::Alerting => {
                self.note(now, i, TraceKind::Detected);
                self.request_repair(i, now);
                None
            }
            Phase::Repairing => {
                self.note(now, i, TraceKind::Recovered(Label::Repair));
                self.release_crew(i, now);
                self.recovered(i, now);
                Some(Entry::own(Class::RandomRecovery, rank, id, Some(Label::Repair)))
            }
            Phase::Replacing => {
                self.note(now, i, TraceKind::Recovered(Label::Replacement));
                self.recovered(i, now);
                Some(Entry::own(Class::RandomRecovery, rank, id, Some(Label::Replacement)))
            }
            Phase::Waiting => unreachable!("a repair waiting for its crew has no event"),
        }
    }

    /// Starts an own failure of `i` at `now`: its recovery begins. The caller refreshes `i`.
    pub(super) fn fail(&mut self, i: usize, now: SimTime) {
        self.nodes[i].failed = true;
        self.paused[i] = None;
        match self.recovery_of(i) {
            Recovery::Replace { detect, launch } => {
                let d = detect.sample(self.streams[i].detect.as_mut().expect("stream").next_word());
                let l = launch.sample(self.streams[i].recover.as_mut().expect("stream").next_word());
                self.phase[i] = Phase::Replacing;
                self.schedule(i, now.saturating_add(d).saturating_add(l));
            }
            Recovery::Repair(_) => match self.prepared.alert[i] {
                Some(alert) => {
                    let d = alert.sample(self.streams[i].detect.as_mut().expect("stream").next_word());
                    self.phase[i] = Phase::Alerting;
                    self.schedule(i, now.saturating_add(d));
                }
                None => self.request_repair(i, now),
            },
        }
    }

    /// Fails standby member `i` on a failed start, as an own failure under its own recovery.
    /// Returns whether it did fail (a member that cannot, or already has, does not).
    pub(super) fn fail_to_start(&mut self, i: usize, now: SimTime) -> bool {
        if self.nodes[i].failed || !self.nodes[i].flaky {
            return false;
        }
        self.note(now, i, TraceKind::Failed(Mode::StartFailure));
        self.mode_now[i] = None; // a failed start recovers the component's way
        self.fail(i, now);
        // A recovery of zero length would let the group try the same member again at the same
        // instant, for ever (with start_failure 1): a failed start lasts at least 1 ms.
        let rank = self.prepared.name_rank[i];
        if self.queue.time_of(rank).is_some_and(|t| t <= now) {
            self.queue.schedule(rank, now.saturating_add(SimTime(1)));
        }
        self.batch.push(Entry::own(Class::StartFailure, self.prepared.name_rank[i], i as u32, None));
        self.refresh(i as u32, Cause { component: ComponentId(i as u32), mode: Mode::StartFailure });
        true
    }

    fn request_repair(&mut self, i: usize, now: SimTime) {
        let Some(crew) = self.prepared.crew[i] else {
            return self.start_repair(i, now);
        };
        let c = crew as usize;
        if self.crews[c].busy < self.arch.crews[c].size {
            self.crews[c].busy += 1;
            self.start_repair(i, now);
        } else {
            self.note(now, i, TraceKind::WaitingForCrew);
            self.phase[i] = Phase::Waiting;
            self.unschedule(i);
            self.crews[c].waiting.push(Reverse((now, self.prepared.name_rank[i])));
        }
    }

    fn start_repair(&mut self, i: usize, now: SimTime) {
        let Recovery::Repair(d) = self.recovery_of(i) else { unreachable!("repairs only") };
        let t = d.sample(self.streams[i].recover.as_mut().expect("stream").next_word());
        if self.trace.is_some() && (self.prepared.alert[i].is_some() || self.prepared.crew[i].is_some()) {
            self.note(now, i, TraceKind::RepairStarted);
        }
        self.phase[i] = Phase::Repairing;
        self.schedule(i, now.saturating_add(t));
    }

    /// Frees `i`'s crew member and gives it to the first waiting repair.
    fn release_crew(&mut self, i: usize, now: SimTime) {
        let Some(crew) = self.prepared.crew[i] else { return };
        let c = crew as usize;
        self.crews[c].busy -= 1;
        if let Some(Reverse((_, rank))) = self.crews[c].waiting.pop() {
            self.crews[c].busy += 1;
            self.start_repair(self.prepared.by_rank[rank as usize] as usize, now);
        }
    }

    /// `i`'s recovery ended at `now`: it is own-up and new again.
    fn recovered(&mut self, i: usize, now: SimTime) {
        self.nodes[i].failed = false;
        self.phase[i] = Phase::Up;
        if self.has_clock(i) {
            let ttf = self.time_to_failure(i);
            self.start_clock(i, now, ttf);
        } else {
            self.unschedule(i);
        }
    }
}
