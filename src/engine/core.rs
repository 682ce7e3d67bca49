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

/// The state of one component during a replication, packed for the propagation loop: whether
/// it should be up is two compares (nothing holds it down, enough needs up), and whether a
/// change of it concerns a mechanism besides its dependents is one test of a flags byte.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Node {
    /// Needs currently effectively up.
    pub needs_up: u32,
    /// Needs that must be up (`needs.k`).
    pub threshold: u32,
    /// What holds it down whatever its needs: the bits [`Node::FAILED`], [`Node::NOT_STANDBY_OK`]
    /// and [`Node::DRAINED`], plus the number of injections active times [`Node::INJECTED`].
    holds: u32,
    /// What its changes concern besides its dependents: [`Node::ON_FLIP`] bits for its flips,
    /// [`Node::ON_NEEDS`] bits for changes of its needs.
    concerns: u8,
    /// May fail to start when a standby group activates it (random failures on, p > 0).
    pub flaky: bool,
    /// Effectively up.
    pub up: bool,
}

impl Node {
    /// `holds`: an own failure (random or failed start) is in progress.
    const FAILED: u32 = 1;
    /// `holds`: for a standby group, no active member is healthy or a switch is in progress.
    const NOT_STANDBY_OK: u32 = 1 << 1;
    /// `holds`: a standby member whose battery is not full after running out (or being
    /// switched away from): not healthy.
    const DRAINED: u32 = 1 << 2;
    /// `holds`: one active injection (the count is the bits from here up).
    const INJECTED: u32 = 1 << 8;

    /// `concerns`: a member of a standby group or the consumers of a queue link; its flips
    /// concern its groups and links.
    pub const WATCHED: u8 = 1;
    /// `concerns`: stores backups; its flips concern those datasets' backup chains.
    pub const BACKUP_STORE: u8 = 1 << 1;
    /// `concerns`: a battery recharges from it; its flips concern that battery.
    pub const CHARGES: u8 = 1 << 2;
    /// `concerns`: has a battery; changes of its needs concern its recharging.
    pub const BATTERY: u8 = 1 << 3;
    /// `concerns`: a dataset's node; changes of its holder or replica hosts concern its dataset.
    pub const DATA: u8 = 1 << 4;
    /// `concerns`: the service; its flips clear [`Pending::quiet`] (and mark nothing), so that
    /// a lone plain change that leaves `quiet` set has left the service as it was.
    pub const SERVICE: u8 = 1 << 5;
    /// The `concerns` of its flips.
    const ON_FLIP: u8 = Node::WATCHED | Node::BACKUP_STORE | Node::CHARGES | Node::SERVICE;
    /// The `concerns` of changes of its needs.
    const ON_NEEDS: u8 = Node::BATTERY | Node::DATA;

    /// A node up and new, with all of its `needs` up, `k` of them needed, and these
    /// `concerns`.
    pub fn new(needs: u32, k: u32, concerns: u8) -> Node {
        Node { needs_up: needs, threshold: k, holds: 0, concerns, flaky: false, up: true }
    }

    #[inline]
    pub fn should_be_up(&self) -> bool {
        self.holds == 0 && self.needs_up >= self.threshold
    }

    #[inline]
    fn hold(&mut self, bit: u32, on: bool) {
        if on {
            self.holds |= bit;
        } else {
            self.holds &= !bit;
        }
    }

    /// An own failure (random or failed start) is in progress.
    #[inline]
    pub fn failed(&self) -> bool {
        self.holds & Node::FAILED != 0
    }

    #[inline]
    pub fn set_failed(&mut self, failed: bool) {
        self.hold(Node::FAILED, failed);
    }

    /// For a standby group: an active member is healthy and no switch is in progress.
    #[inline]
    pub fn standby_ok(&self) -> bool {
        self.holds & Node::NOT_STANDBY_OK == 0
    }

    #[inline]
    pub fn set_standby_ok(&mut self, ok: bool) {
        self.hold(Node::NOT_STANDBY_OK, !ok);
    }

    /// A standby member whose battery is not full after running out: not healthy.
    #[inline]
    pub fn drained(&self) -> bool {
        self.holds & Node::DRAINED != 0
    }

    #[inline]
    pub fn set_drained(&mut self, drained: bool) {
        self.hold(Node::DRAINED, drained);
    }

    /// Whether an injection is active.
    #[inline]
    pub fn injected(&self) -> bool {
        self.holds >= Node::INJECTED
    }

    /// One more injection active.
    pub fn inject(&mut self) {
        self.holds = self.holds.checked_add(Node::INJECTED).expect("fewer than 2^24 overlapping injections");
    }

    /// One injection less active.
    pub fn uninject(&mut self) {
        debug_assert!(self.injected());
        self.holds -= Node::INJECTED;
    }

    /// Whether it has any of these `concerns` bits.
    #[inline]
    pub fn concerns(&self, bits: u8) -> bool {
        self.concerns & bits != 0
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
    /// Whether `trace` is `Some`: one byte to test per event instead of the vector's niche.
    pub(super) tracing: bool,
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
    /// Nothing is pending, known without looking at the lists: set by the event loop when a
    /// batch ends with nothing pending, cleared by every mark of the propagation (between
    /// batches, the only thing that marks) and by every flip of the service. Only the loop's
    /// lone plain changes rely on it: set after one, the service did not flip.
    pub quiet: bool,
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

    /// Notes, after a batch, whether anything is left to re-decide.
    #[inline]
    pub fn note_quiet(&mut self) {
        self.quiet = self.is_empty();
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
        if self.tracing
            && let Some(trace) = self.trace.as_mut()
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
        self.refresh_inline(id, own_cause);
    }

    /// [`Core::refresh`], inlined where it is the hot path (the event loop's plain own change
    /// alone at its instant; inlined in the other lone changes' path too, it cost more).
    #[inline(always)]
    pub fn refresh_inline(&mut self, id: u32, own_cause: Cause) {
        let Core { prepared, nodes, cause, stack, pending, .. } = self;
        let mut flow = Propagation { prepared, nodes, cause, stack, pending };
        let root = &mut flow.nodes[id as usize];
        let up = root.should_be_up();
        if up == root.up {
            return;
        }
        root.up = up;
        let concerns = root.concerns;
        if !up {
            flow.cause[id as usize] = own_cause;
        }
        // Most changes stop at the root's dependents; the stack is only used past them.
        flow.propagate(id, up, concerns);
        while let Some(c) = flow.stack.pop() {
            let node = flow.nodes[c as usize];
            flow.propagate(c, node.up, node.concerns);
        }
    }
}

/// The fields of the core that the propagation works on, borrowed apart, so that the nodes'
/// length and address stay in registers through its loop (the causes, written on a flip
/// down only, are reached through their vector where they are).
struct Propagation<'c> {
    prepared: &'c Prepared<'c>,
    nodes: &'c mut [Node],
    cause: &'c mut Vec<Cause>,
    stack: &'c mut Vec<u32>,
    pending: &'c mut Pending,
}

impl Propagation<'_> {
    /// Tells the dependents (and standby groups) of `c`, which just flipped to `up` and has
    /// these `concerns`, and queues the dependents that flip in turn. Inlined in
    /// [`Core::refresh`]: most flips reach one dependent and stop there, and what concerns the
    /// other mechanisms (groups, queue links, backups, batteries, datasets) is marked out of
    /// line, so that the common case is a short loop (measured: 150 to 128 instructions an
    /// event on bench-tiers, callgrind; with the packed [`Node`], the fields borrowed apart and
    /// the dependents one lookup, `Core::refresh` went from 130 to 110).
    #[inline(always)]
    fn propagate(&mut self, c: u32, up: bool, concerns: u8) {
        if concerns & Node::ON_FLIP != 0 {
            mark_watchers(self.pending, self.prepared, c, concerns);
        }
        // Each dependent lists `c` once (the compiler rejects repeats), so its counter moves
        // by one; it is visited again only if it flips.
        for &d in self.prepared.dependents_of(c) {
            let dep = &mut self.nodes[d as usize];
            if up {
                dep.needs_up += 1;
            } else {
                dep.needs_up -= 1;
            }
            if dep.concerns(Node::ON_NEEDS) && mark_dependent(self.pending, self.prepared.arch, *dep, d) {
                continue;
            }
            let now = dep.should_be_up();
            if now != dep.up {
                dep.up = now;
                if !now {
                    self.cause[d as usize] = self.cause[c as usize];
                }
                self.stack.push(d);
            }
        }
    }
}

/// Marks what must re-decide because `c` (with these `concerns`) flipped: the standby groups
/// it is a member of, the queue links it consumes, the backup chains stored on it, the
/// batteries charging from it (the service's flip only clears `quiet`).
#[cold]
#[inline(never)]
fn mark_watchers(pending: &mut Pending, prepared: &Prepared<'_>, c: u32, concerns: u8) {
    pending.quiet = false;
    if concerns & Node::WATCHED != 0 {
        for &g in prepared.watchers_of(c as usize) {
            pending.group(g);
        }
        for &q in prepared.consumer_links_of(c as usize) {
            if !pending.queues.contains(&q) {
                pending.queues.push(q);
            }
        }
    }
    if concerns & Node::BACKUP_STORE != 0 {
        for &d in &prepared.data.backups_on[c as usize] {
            pending.backup(d);
        }
    }
    if concerns & Node::CHARGES != 0 {
        pending.batteries.extend_from_slice(&prepared.charging[c as usize]);
    }
}

/// Marks dependent `d` (its node `node`), a battery member or a dataset's node whose needs
/// changed, as having to re-decide. Returns whether it is a dataset's node (its dataset decides
/// its state, not the propagation).
#[cold]
#[inline(never)]
fn mark_dependent(pending: &mut Pending, arch: &crate::model::Architecture, node: Node, d: u32) -> bool {
    pending.quiet = false;
    if node.concerns(Node::BATTERY) {
        pending.batteries.push(d);
    }
    let data = node.concerns(Node::DATA);
    if data {
        let d = arch.components[d as usize].dataset.expect("a dataset's node");
        pending.dataset(d);
    }
    data
}
