//! Batteries of standby members (a UPS): a limited `runtime` once active, then a `recharge`.
//!
//! A member with a battery is `Full` at the start. When it becomes active (a switch to it
//! begins) it is `Discharging`; after `runtime` it is `Empty`: not healthy, so its group fails
//! over. It becomes `Charging` once its own `needs` hold, and `Full` (healthy) again after
//! `recharge` of them holding without a break; if they stop holding, it is `Empty` again. A
//! member switched away from while `Discharging` has used part of its charge: it is `Empty`
//! and recharges the same way (the conservative reading: a partly drained battery is not
//! counted on until it is full). Runtime and recharge are drawn on the member's `start`
//! stream (the stream of its activations). Each battery has its own timer in the queue, in a
//! second slot after the components' own.

use crate::time::SimTime;

use super::prepared::Class;
use super::simulator::{Entry, Simulator};
use super::{Mode, TraceKind};

/// Where a battery is in its cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Charge {
    Full,
    Discharging,
    Empty,
    Charging,
}

impl Simulator<'_> {
    fn battery_slot(&self, i: usize) -> u32 {
        self.prepared.name_rank.len() as u32 + self.prepared.name_rank[i]
    }

    fn draw(&mut self, i: usize, runtime: bool) -> SimTime {
        let battery = self.arch.components[i].battery.expect("only batteries draw");
        let dist = if runtime { battery.runtime } else { battery.recharge };
        let word = self.streams[i].start.as_mut().expect("batteries have a start stream").next_word();
        dist.sample(word)
    }

    /// Member `i` became active.
    pub(super) fn battery_activated(&mut self, i: usize, now: SimTime) {
        if self.arch.components[i].battery.is_none() || self.charge[i] != Charge::Full {
            return;
        }
        self.charge[i] = Charge::Discharging;
        let t = self.draw(i, true);
        let slot = self.battery_slot(i);
        self.queue.schedule(slot, now.saturating_add(t));
    }

    /// Member `i` stopped being active.
    pub(super) fn battery_deactivated(&mut self, i: usize, now: SimTime) {
        if self.arch.components[i].battery.is_none() || self.charge[i] != Charge::Discharging {
            return;
        }
        let slot = self.battery_slot(i);
        self.queue.remove(slot);
        self.empty(i, now);
    }

    /// The battery timer of member `i` ended; returns the batch entry if its health changed.
    pub(super) fn battery_timer(&mut self, i: usize, now: SimTime) -> Option<Entry> {
        let slot = self.battery_slot(i);
        self.queue.remove(slot);
        let rank = self.prepared.name_rank[i];
        match self.charge[i] {
            Charge::Discharging => {
                self.note(now, i, TraceKind::Failed(Mode::BatteryEmpty));
                self.empty(i, now);
                Some((Class::BatteryEmpty, rank, i as u32, None))
            }
            Charge::Charging => {
                self.charge[i] = Charge::Full;
                self.nodes[i].drained = false;
                self.note(now, i, TraceKind::Recharged);
                Some((Class::BatteryFull, rank, i as u32, None))
            }
            Charge::Full | Charge::Empty => unreachable!("no battery timer in this state"),
        }
    }

    /// The battery of `i` is empty: `i` is not healthy; it recharges once its needs hold.
    fn empty(&mut self, i: usize, now: SimTime) {
        self.charge[i] = Charge::Empty;
        self.nodes[i].drained = true;
        self.needs_changed(i, now);
    }

    /// The needs of battery member `i` may have started or stopped holding.
    pub(super) fn needs_changed(&mut self, i: usize, now: SimTime) {
        let node = self.nodes[i];
        let hold = node.needs_up >= node.threshold;
        let slot = self.battery_slot(i);
        match self.charge[i] {
            Charge::Empty if hold => {
                self.charge[i] = Charge::Charging;
                let t = self.draw(i, false);
                self.queue.schedule(slot, now.saturating_add(t));
            }
            Charge::Charging if !hold => {
                self.charge[i] = Charge::Empty;
                self.queue.remove(slot);
            }
            _ => {}
        }
    }
}
