//! Warm standby: a passive member of a `passive: Warm(factor)` group ages at `factor` of real
//! time, the reliability-theory warm spare. Its failure clock's remaining time is stretched by
//! 1/factor when it becomes passive (or starts while passive) and shrunk back by factor when
//! it becomes active, rounded to whole ms each time. Remaining time measured in the member's
//! own age is what a time-scaled failure law keeps, so for any law the member fails after the
//! same age as it would have, only later; an exponential clock fails at `factor` of its rate.
//!
//! A member is passive from t = 0 if it is not its group's first member, and from the start of
//! a switch away from it to the start of a switch back. Only the member's own clock is scaled:
//! what it needs runs at full speed (cold groups, by contrast, pause what only passive members
//! need, see `dormancy.rs`). A warm group that is itself a cold group's passive member sleeps
//! with it: its members' clocks are paused, the time to go kept in the same stretched units, so
//! a switch while asleep scales the paused time instead.

use crate::time::SimTime;

use super::core::Node;
use super::simulator::Simulator;

impl Simulator<'_> {
    /// The ageing factor of component `i` if it is a passive member of a warm group.
    pub(super) fn warm_factor(&self, i: usize) -> Option<f64> {
        if !self.core.nodes[i].concerns(Node::WATCHED) {
            return None;
        }
        self.core.prepared.watchers_of(i).iter().find_map(|&g| {
            let standby = self.core.prepared.standby(g as usize);
            let passive = standby.members[self.standby.groups[g as usize].active].index() != i;
            standby.warm.filter(|_| passive)
        })
    }

    /// Member `i` became passive at `now` in a group of ageing `factor`: its pending failure
    /// (if it is up and not slowed already) comes `1 / factor` times as late.
    pub(super) fn slow_clock(&mut self, i: usize, now: SimTime, factor: f64) {
        if self.cycles.slowed[i] || self.cycles.phase[i] != super::recovery::Phase::Up || !self.has_clock(i) {
            return;
        }
        if let Some(left) = self.cycles.paused[i] {
            // Asleep (a cold group's): the paused time to go is stretched instead.
            self.cycles.paused[i] = Some(stretch(left, factor));
        } else {
            let Some(at) = self.core.queue.time_of(self.core.prepared.name_rank[i]) else { return };
            self.core.schedule(i, now.saturating_add(stretch(SimTime(at.0 - now.0), factor)));
        }
        self.cycles.slowed[i] = true;
    }

    /// Member `i` became active at `now`: a slowed failure clock runs at full speed again.
    pub(super) fn hurry_clock(&mut self, i: usize, now: SimTime, factor: f64) {
        if !std::mem::take(&mut self.cycles.slowed[i]) {
            return;
        }
        let shrink = |left: SimTime| SimTime(libm::round(left.0 as f64 * factor) as u64);
        if let Some(left) = self.cycles.paused[i] {
            self.cycles.paused[i] = Some(shrink(left));
        } else if let Some(at) = self.core.queue.time_of(self.core.prepared.name_rank[i]) {
            self.core.schedule(i, now.saturating_add(shrink(SimTime(at.0 - now.0))));
        }
    }
}

/// `remaining` of age as real time at ageing `factor`: `remaining / factor`, rounded to whole
/// ms, saturating.
pub(super) fn stretch(remaining: SimTime, factor: f64) -> SimTime {
    let t = libm::round(remaining.0 as f64 / factor);
    if t >= (u64::MAX - 1) as f64 { SimTime(u64::MAX - 1) } else { SimTime(t as u64) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretching_rounds_and_saturates() {
        assert_eq!(stretch(SimTime(1000), 0.5), SimTime(2000));
        assert_eq!(stretch(SimTime(1000), 0.3), SimTime(3333));
        assert_eq!(stretch(SimTime(1000), 1.0), SimTime(1000));
        assert_eq!(stretch(SimTime(u64::MAX / 2), 0.25), SimTime(u64::MAX - 1));
    }
}
