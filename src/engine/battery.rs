//! Batteries of standby members (a UPS): a limited `runtime` once active, then a `recharge`.
//!
//! A member with a battery is `Full` at the start. When it becomes active (a switch to it
//! begins, or at t = 0 for a first member) it is `Discharging`; it never charges while it
//! carries the load; after `runtime` it is `Empty`: not healthy, so its group fails
//! over. It becomes `Charging` once its own `needs` hold and one of its `charges_from`
//! sources (if it lists any) is up, and `Full` (healthy) again after `recharge` of that
//! holding without a break; if it stops holding, it is `Empty` again.
//! A member switched away from while `Discharging` keeps what is left (`Partial`): it stays
//! healthy, carries the load for that long if activated again, and is `Full` again after
//! `recharge` of its needs holding (the decision where the contract is silent: a UPS that
//! bridged a 10 s generator start is not out of service for hours). Runtime and recharge are
//! drawn on the member's `start` stream (the stream of its activations). Each battery has its
//! own timer in the queue, in a second slot after the components' own.
//!
//! [`Batteries`] owns the charge of every battery and reaches the rest through the core
//! (queue, nodes, streams, trace) and one question to the standby groups: whether a member
//! carries the load.

use crate::time::SimTime;

use super::core::{Core, Entry, Node};
use super::prepared::Class;
use super::standby::Standby;
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

/// The queue slot of member `i`'s battery timer (after the components' own slots).
fn slot(core: &Core<'_>, i: usize) -> u32 {
    core.prepared.name_rank.len() as u32 + core.prepared.name_rank[i]
}

/// One draw per discharge (`runtime`) or recharge started, on member `i`'s `start` stream.
fn draw(core: &mut Core<'_>, i: usize, runtime: bool) -> SimTime {
    let battery = core.arch.components[i].battery.expect("only batteries draw");
    let dist = if runtime { battery.runtime } else { battery.recharge };
    let word = core.streams[i].start.as_mut().expect("batteries have a start stream").next_word();
    dist.sample(word)
}

impl Batteries {
    /// Member `i` became active.
    pub fn activated(&mut self, core: &mut Core<'_>, i: usize, now: SimTime) {
        if !core.nodes[i].concerns(Node::BATTERY) {
            return;
        }
        let left = match self.charge[i] {
            Charge::Full => draw(core, i, true),
            Charge::Partial => self.left[i],
            _ => return, // not healthy: not chosen
        };
        self.charge[i] = Charge::Discharging;
        let slot = slot(core, i);
        core.queue.schedule(slot, now.saturating_add(left));
    }

    /// Member `i` stopped being active.
    pub fn deactivated(&mut self, core: &mut Core<'_>, standby: &Standby, i: usize, now: SimTime) {
        if !core.nodes[i].concerns(Node::BATTERY) {
            return;
        }
        if self.charge[i] != Charge::Discharging {
            return self.needs_changed(core, standby, i, now); // an empty or partial battery may charge now
        }
        let slot = slot(core, i);
        let empty_at = core.queue.time_of(slot).expect("a discharging battery has a timer");
        core.queue.remove(slot);
        if empty_at <= now {
            return self.empty(core, standby, i, now);
        }
        self.charge[i] = Charge::Partial;
        self.left[i] = SimTime(empty_at.0 - now.0);
        self.needs_changed(core, standby, i, now);
    }

    /// The battery timer of member `i` ended; returns the batch entry if its health changed.
    pub fn timer(&mut self, core: &mut Core<'_>, standby: &Standby, i: usize, now: SimTime) -> Option<Entry> {
        let slot = slot(core, i);
        core.queue.remove(slot);
        let rank = core.prepared.name_rank[i];
        match self.charge[i] {
            Charge::Discharging => {
                core.note(now, i, TraceKind::Failed(Mode::BatteryEmpty));
                self.empty(core, standby, i, now);
                Some(Entry::own(Class::BatteryEmpty, rank, i as u32, None))
            }
            Charge::Charging => {
                self.charge[i] = Charge::Full;
                core.nodes[i].set_drained(false);
                core.note(now, i, TraceKind::Recharged);
                Some(Entry::own(Class::BatteryFull, rank, i as u32, Some(Label::Repair)))
            }
            Charge::Partial => {
                self.charge[i] = Charge::Full; // healthy all along: no own change
                core.note(now, i, TraceKind::Recharged);
                None
            }
            Charge::Full | Charge::Empty => unreachable!("no battery timer in this state"),
        }
    }

    /// The battery of `i` is empty: `i` is not healthy; it recharges once its needs hold.
    fn empty(&mut self, core: &mut Core<'_>, standby: &Standby, i: usize, now: SimTime) {
        self.charge[i] = Charge::Empty;
        core.nodes[i].set_drained(true);
        self.needs_changed(core, standby, i, now);
    }

    /// The needs of battery member `i` may have started or stopped holding.
    pub fn needs_changed(&mut self, core: &mut Core<'_>, standby: &Standby, i: usize, now: SimTime) {
        let node = core.nodes[i];
        let sources = &core.arch.components[i].charges_from;
        let hold = node.needs_up >= node.threshold
            && (sources.is_empty() || sources.iter().any(|s| core.nodes[s.index()].up));
        let slot = slot(core, i);
        let charging = core.queue.time_of(slot).is_some();
        // A battery does not charge while it carries the load.
        let hold = hold && !standby.carrying(core, i);
        match self.charge[i] {
            Charge::Empty | Charge::Partial if hold && !charging => {
                if self.charge[i] == Charge::Empty {
                    self.charge[i] = Charge::Charging;
                }
                let t = draw(core, i, false);
                core.queue.schedule(slot, now.saturating_add(t));
            }
            Charge::Charging if !hold => {
                self.charge[i] = Charge::Empty;
                core.queue.remove(slot);
            }
            Charge::Partial if !hold && charging => core.queue.remove(slot),
            _ => {}
        }
    }
}
