//! Batteries of standby members (a UPS): a limited `runtime` once active, then a `recharge`.
//!
//! A member with a battery is `Full` at the start. When it becomes active (a switch to it
//! begins, or at t = 0 for a first member) it is `Discharging`; it never charges while it
//! carries the load; after `runtime` it is `Empty`: not healthy, so its group fails
//! over. It becomes `Charging` once its own `needs` hold, and `Full` (healthy) again after
//! `recharge` of them holding without a break; if they stop holding, it is `Empty` again.
//! A member switched away from while `Discharging` keeps what is left (`Partial`): it stays
//! healthy, carries the load for that long if activated again, and is `Full` again after
//! `recharge` of its needs holding (the decision where the contract is silent: a UPS that
//! bridged a 10 s generator start is not out of service for hours). Runtime and recharge are
//! drawn on the member's `start` stream (the stream of its activations). Each battery has its
//! own timer in the queue, in a second slot after the components' own.

use crate::time::SimTime;

use super::prepared::Class;
use super::simulator::{Entry, Simulator};
use super::{Label, Mode, TraceKind};

/// The batteries during a replication, by component.
pub(super) struct Batteries {
    /// Battery state of each component (`Full` for those without one).
    pub charge: Vec<Charge>,
    /// Runtime left in a partly discharged battery.
    pub left: Vec<SimTime>,
}

impl Batteries {
    /// The batteries of `n` components, all full.
    pub fn new(n: usize) -> Batteries {
        Batteries { charge: vec![Charge::Full; n], left: vec![SimTime::ZERO; n] }
    }
}

/// Where a battery is in its cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Charge {
    Full,
    Discharging,
    /// Partly discharged, healthy; its timer (if any) is the recharge to full.
    Partial,
    Empty,
    Charging,
}

impl Simulator<'_> {
    fn battery_slot(&self, i: usize) -> u32 {
        self.core.prepared.name_rank.len() as u32 + self.core.prepared.name_rank[i]
    }

    fn draw(&mut self, i: usize, runtime: bool) -> SimTime {
        // One draw per discharge or recharge started.
        let battery = self.core.arch.components[i].battery.expect("only batteries draw");
        let dist = if runtime { battery.runtime } else { battery.recharge };
        let word = self.core.streams[i].start.as_mut().expect("batteries have a start stream").next_word();
        dist.sample(word)
    }

    /// Member `i` became active.
    pub(super) fn battery_activated(&mut self, i: usize, now: SimTime) {
        if !self.core.nodes[i].battery {
            return;
        }
        let left = match self.battery.charge[i] {
            Charge::Full => self.draw(i, true),
            Charge::Partial => self.battery.left[i],
            _ => return, // not healthy: not chosen
        };
        self.battery.charge[i] = Charge::Discharging;
        let slot = self.battery_slot(i);
        self.core.queue.schedule(slot, now.saturating_add(left));
    }

    /// Member `i` stopped being active.
    pub(super) fn battery_deactivated(&mut self, i: usize, now: SimTime) {
        if !self.core.nodes[i].battery {
            return;
        }
        if self.battery.charge[i] != Charge::Discharging {
            return self.needs_changed(i, now); // an empty or partial battery may charge now
        }
        let slot = self.battery_slot(i);
        let empty_at = self.core.queue.time_of(slot).expect("a discharging battery has a timer");
        self.core.queue.remove(slot);
        if empty_at <= now {
            return self.empty(i, now);
        }
        self.battery.charge[i] = Charge::Partial;
        self.battery.left[i] = SimTime(empty_at.0 - now.0);
        self.needs_changed(i, now);
    }

    /// The battery timer of member `i` ended; returns the batch entry if its health changed.
    pub(super) fn battery_timer(&mut self, i: usize, now: SimTime) -> Option<Entry> {
        let slot = self.battery_slot(i);
        self.core.queue.remove(slot);
        let rank = self.core.prepared.name_rank[i];
        match self.battery.charge[i] {
            Charge::Discharging => {
                self.core.note(now, i, TraceKind::Failed(Mode::BatteryEmpty));
                self.empty(i, now);
                Some(Entry::own(Class::BatteryEmpty, rank, i as u32, None))
            }
            Charge::Charging => {
                self.battery.charge[i] = Charge::Full;
                self.core.nodes[i].drained = false;
                self.core.note(now, i, TraceKind::Recharged);
                Some(Entry::own(Class::BatteryFull, rank, i as u32, Some(Label::Repair)))
            }
            Charge::Partial => {
                self.battery.charge[i] = Charge::Full; // healthy all along: no own change
                self.core.note(now, i, TraceKind::Recharged);
                None
            }
            Charge::Full | Charge::Empty => unreachable!("no battery timer in this state"),
        }
    }

    /// The battery of `i` is empty: `i` is not healthy; it recharges once its needs hold.
    fn empty(&mut self, i: usize, now: SimTime) {
        self.battery.charge[i] = Charge::Empty;
        self.core.nodes[i].drained = true;
        self.needs_changed(i, now);
    }

    /// The needs of battery member `i` may have started or stopped holding.
    pub(super) fn needs_changed(&mut self, i: usize, now: SimTime) {
        let node = self.core.nodes[i];
        let hold = node.needs_up >= node.threshold;
        let slot = self.battery_slot(i);
        let charging = self.core.queue.time_of(slot).is_some();
        // A battery does not charge while it carries the load.
        let hold = hold && !self.carrying(i);
        match self.battery.charge[i] {
            Charge::Empty | Charge::Partial if hold && !charging => {
                if self.battery.charge[i] == Charge::Empty {
                    self.battery.charge[i] = Charge::Charging;
                }
                let t = self.draw(i, false);
                self.core.queue.schedule(slot, now.saturating_add(t));
            }
            Charge::Charging if !hold => {
                self.battery.charge[i] = Charge::Empty;
                self.core.queue.remove(slot);
            }
            Charge::Partial if !hold && charging => self.core.queue.remove(slot),
            _ => {}
        }
    }
}
