//! The core of the simulator: what every mechanism shares. The components' effective state
//! ([`Node`]) and its propagation ([`Core::refresh`]), the event queue, the random streams, the
//! batch being applied ([`Entry`]) and what its propagation left to re-decide ([`Pending`]),
//! the data-loss events of the batch and the trace. Mechanisms reach it through its methods
//! (`schedule`, `unschedule`, `note`, `refresh`) and its fields.

use crate::model::ComponentId;
use crate::rng::Stream;
use crate::time::SimTime;

use super::prepared::{Class, Prepared};
use super::{Cause, EventQueue, Label, RunParams, TraceEvent, TraceKind};

/// The state of one component during a replication, packed for the propagation loop.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Node {
    /// Needs currently effectively up.
    pub needs_up: u32,
    /// Needs that must be up (`needs.k`).
    pub threshold: u32,
    /// Injections active.
    pub injected: u32,
    /// An own failure (random or failed start) is in progress.
    pub failed: bool,
    /// For a standby group: an active member is healthy and no switch is in progress.
    pub standby_ok: bool,
    /// A standby member whose battery is not full after running out (or being switched away
    /// from): not healthy.
    pub drained: bool,
    /// A member of a standby group: its flips concern its groups.
    pub watched: bool,
    /// Has a battery: changes of its needs concern its recharging.
    pub battery: bool,
    /// May fail to start when a standby group activates it (random failures on, p > 0).
    pub flaky: bool,
    /// A dataset's node: changes of its holder or replica hosts concern its dataset.
    pub data: bool,
    /// Stores backups: its flips concern those datasets' backup chains.
    pub backup_store: bool,
    /// A battery recharges from it: its flips concern that battery.
    pub charges: bool,
    /// Effectively up.
    pub up: bool,
}

impl Node {
    #[inline]
    pub fn should_be_up(&self) -> bool {
        !self.failed
            && self.injected == 0
            && self.needs_up >= self.threshold
            && self.standby_ok
            && !self.drained
    }
}

/// The random streams of one component. The two that most components never use are boxed and
/// only allocated for those that do (then reused across replications), which keeps every
/// worker's streams small enough for two workers to share a core's caches.
#[derive(Clone, Debug, Default)]
pub(super) struct Streams {
    pub fail: Option<Stream>,
    pub recover: Option<Stream>,
    pub detect: Option<Box<Stream>>,
    pub start: Option<Box<Stream>>,
}

/// One change of a batch. Batches are applied in (class, rank) order: the derived order,
/// fields in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Entry {
    /// What happened.
    pub class: Class,
    /// The component's name rank; for a data timer taken off the queue, its queue slot.
    pub rank: u32,
    /// The component (for a completed data recovery, the dataset's node); [`Entry::NO_ID`] for
    /// a data timer taken off the queue.
    pub id: u32,
    /// For a recovery: how the component came back (what it would label an incident it ends).
    pub recovered: Option<Label>,
}

impl Entry {
    /// The `id` of an entry that is no component's.
    pub const NO_ID: u32 = u32::MAX;

    /// An own change of component `id`, of name rank `rank`.
    #[inline]
    pub fn own(class: Class, rank: u32, id: u32, recovered: Option<Label>) -> Entry {
        Entry { class, rank, id, recovered }
    }

    /// A data timer in queue slot `slot`, taken off the queue to run after the own changes.
    #[inline]
    pub fn data_timer(slot: u32) -> Entry {
        Entry { class: Class::DataTimer, rank: slot, id: Entry::NO_ID, recovered: None }
    }

    /// The component that recovered and how, for a recovery.
    #[inline]
    pub fn recovery(&self) -> Option<(u32, Label)> {
        self.recovered.map(|label| (self.id, label))
    }
}

/// What every mechanism shares: the components' effective state and its propagation, the
/// event queue, the random streams, the batch being applied and what it left to re-decide.
pub(super) struct Core<'a> {
    pub arch: &'a crate::model::Architecture,
    pub prepared: &'a Prepared<'a>,
    pub params: RunParams,
    pub queue: EventQueue,
    pub streams: Vec<Streams>,
    pub nodes: Vec<Node>,
    /// The own failure that took each component down (meaningful while it is down).
    pub cause: Vec<Cause>,
    /// The own changes of the instant being applied.
    pub batch: Vec<Entry>,
    /// What the batch's propagation left to re-decide.
    pub pending: Pending,
    /// Data-loss events of the current batch, passed to the observer after it.
    pub losses: Vec<super::DataLoss>,
    pub(super) stack: Vec<u32>,
    /// Trace events of the current replication, when tracing.
    pub trace: Option<Vec<TraceEvent>>,
    /// The times `[from, to)` whose trace events are kept (see
    /// [`super::Simulator::set_trace_window`]).
    pub(super) trace_window: (SimTime, SimTime),
}

/// What must re-decide before a batch ends: filled by propagation, emptied by the owners.
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// Standby groups (by index) whose members changed.
    pub groups: Vec<u32>,
    /// Battery members whose needs changed.
    pub batteries: Vec<u32>,
    /// Datasets (by index) whose hosts or copies changed.
    pub datasets: Vec<u32>,
    /// Queue links (by index) whose consumers flipped.
    pub queues: Vec<u32>,
    /// Datasets (by index) whose node or a backup store flipped: their backup chains look
    /// again (after the batch's timers and at its end).
    pub backups: Vec<u32>,
}

impl Pending {
    /// Marks standby group `g` as having to re-decide.
    #[inline]
    pub fn group(&mut self, g: u32) {
        if !self.groups.contains(&g) {
            self.groups.push(g);
        }
    }

    /// Marks dataset `d` as having to re-decide.
    #[inline]
    pub fn dataset(&mut self, d: u32) {
        if !self.datasets.contains(&d) {
            self.datasets.push(d);
        }
    }

    /// Marks the backup chains of dataset `d` as having to look again.
    #[inline]
    pub fn backup(&mut self, d: u32) {
        if !self.backups.contains(&d) {
            self.backups.push(d);
        }
    }

    /// Nothing to re-decide.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
            && self.batteries.is_empty()
            && self.datasets.is_empty()
            && self.queues.is_empty()
            && self.backups.is_empty()
    }
}

impl Core<'_> {
    /// Records a trace event if tracing.
    #[inline]
    pub fn note(&mut self, at: SimTime, component: usize, kind: TraceKind) {
        if let Some(trace) = self.trace.as_mut()
            && at >= self.trace_window.0
            && at < self.trace_window.1
        {
            trace.push(TraceEvent { at, component: ComponentId(component as u32), kind });
        }
    }

    /// Schedules an event of component `i` at `at`.
    #[inline]
    pub fn schedule(&mut self, i: usize, at: SimTime) {
        let rank = self.prepared.name_rank[i];
        if self.queue.top_slot() == Some(rank) {
            // The usual case: the event being handled schedules its successor.
            self.queue.reschedule_top(rank, at);
        } else {
            self.queue.schedule(rank, at);
        }
    }

    /// Removes component `i`'s pending event, if any.
    pub fn unschedule(&mut self, i: usize) {
        self.queue.remove(self.prepared.name_rank[i]);
    }

    /// Re-evaluates `id` after a change of its own state and propagates any flip of its
    /// effective state to its dependents and the standby groups it belongs to. If `id` goes
    /// down, `own_cause` is its cause; a dependent that goes down inherits the cause of the
    /// dependency that took it down (a dependent that is own-down is already down).
    pub fn refresh(&mut self, id: u32, own_cause: Cause) {
        let root = &mut self.nodes[id as usize];
        let up = root.should_be_up();
        if up == root.up {
            return;
        }
        root.up = up;
        if !up {
            self.cause[id as usize] = own_cause;
        }
        // Most changes stop at the root's dependents; the stack is only used past them.
        self.propagate(id);
        while let Some(c) = self.stack.pop() {
            self.propagate(c);
        }
    }

    /// Tells the dependents (and standby groups) of `c`, which just flipped, and queues the
    /// dependents that flip in turn. Inlined in [`Core::refresh`]: most flips reach one
    /// dependent and stop there, and what concerns the other mechanisms (groups, queue links,
    /// backups, batteries, datasets) is marked out of line, so that the common case is a short
    /// loop (measured: 150 to 128 instructions an event on bench-tiers, callgrind).
    #[inline(always)]
    fn propagate(&mut self, c: u32) {
        let node = &self.nodes[c as usize];
        let up = node.up;
        if node.watched || node.backup_store || node.charges {
            self.mark_watchers(c);
        }
        // Each dependent lists `c` once (the compiler rejects repeats), so its counter moves
        // by one; it is visited again only if it flips.
        for &d in self.arch.dependents_of(ComponentId(c)) {
            let node = &mut self.nodes[d.index()];
            if up {
                node.needs_up += 1;
            } else {
                node.needs_up -= 1;
            }
            if (node.battery || node.data) && self.mark_dependent(d.0) {
                continue;
            }
            let node = &mut self.nodes[d.index()];
            let now = node.should_be_up();
            if now != node.up {
                node.up = now;
                if !now {
                    self.cause[d.index()] = self.cause[c as usize];
                }
                self.stack.push(d.0);
            }
        }
    }

    /// Marks what must re-decide because `c` flipped: the standby groups it is a member of, the
    /// queue links it consumes, the backup chains stored on it, the batteries charging from it.
    #[cold]
    #[inline(never)]
    fn mark_watchers(&mut self, c: u32) {
        let node = self.nodes[c as usize];
        if node.watched {
            for &g in self.prepared.watchers_of(c as usize) {
                self.pending.group(g);
            }
            for &q in self.prepared.consumer_links_of(c as usize) {
                if !self.pending.queues.contains(&q) {
                    self.pending.queues.push(q);
                }
            }
        }
        if node.backup_store {
            for &d in &self.prepared.data.backups_on[c as usize] {
                self.pending.backup(d);
            }
        }
        if node.charges {
            self.pending.batteries.extend_from_slice(&self.prepared.charging[c as usize]);
        }
    }

    /// Marks dependent `d`, a battery member or a dataset's node whose needs changed, as
    /// having to re-decide. Returns whether it is a dataset's node (its dataset decides its
    /// state, not the propagation).
    #[cold]
    #[inline(never)]
    fn mark_dependent(&mut self, d: u32) -> bool {
        let node = self.nodes[d as usize];
        if node.battery {
            self.pending.batteries.push(d);
        }
        if node.data {
            let d = self.arch.components[d as usize].dataset.expect("a dataset's node");
            self.pending.dataset(d);
        }
        node.data
    }
}
