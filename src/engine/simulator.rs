//! The simulator: the mechanisms' state and the event loop.
//!
//! [`Simulator::run`] takes the events of one instant as a batch and goes through named steps:
//! `gather` (the queue's and the script's events, in (class, name) order; one own change alone
//! at its instant is applied at once), `apply_own_changes` (each propagated by
//! [`Core::refresh`]), `react` (standby timers, then the groups, datasets and queue links the
//! propagation left pending, then data timers, then batteries), and the incident bookkeeping of
//! `incidents.rs`.
//!
//! The [`Core`] (`core.rs`) owns what every mechanism shares: nodes and their propagation, the
//! event queue, the random streams, the batch and what it leaves pending, the trace. Each mechanism owns
//! its state in its own file: own failure cycles and crews (`recovery.rs`, with `dormancy.rs`),
//! standby groups (`standby.rs`), batteries (`battery.rs`), datasets (`data/`) and queue links
//! (`queues.rs`).

use std::borrow::BorrowMut;

use crate::model::ComponentId;
use crate::rng::Stream;
use crate::time::SimTime;

use super::battery::{Batteries, Charge};
use super::capacity::Capacity;
use super::core::{Core, Entry, Node, Pending, Streams};
use super::data::{Data, DataView};
use super::incidents::Incidents;
use super::maintenance::Windows;
use super::prepared::{Class, Prepared, Scripted};
use super::queues::Queues;
use super::recovery::{Ahead, Cycles, Phase};
use super::standby::Standby;
use super::{Cause, EventQueue, Label, Mode, Observer, Summary, TraceEvent, TraceKind};

/// The instant the loop gathers: its time, the slot of the queue's first event if the queue
/// has one then, and whether neither the script nor the windows have one then.
#[derive(Clone, Copy)]
struct Instant {
    now: SimTime,
    random: Option<u32>,
    queue_only: bool,
}

/// What gathering an instant's events left to do.
enum Gathered {
    /// One own change alone at its instant, applied, with nothing to react to: done. The time
    /// and slot of the queue's next event, looked at to know it was alone, are `next`.
    Done { next: (SimTime, u32) },
    /// A batch to apply and react to; its own change is already applied when `applied`.
    Batch { applied: bool },
}

/// The scripted injection events of a replication, and the next one due.
struct Script<'a> {
    events: &'a [Scripted],
    next: usize,
    /// When the next one happens (never once the script is done).
    at: SimTime,
}

impl<'a> Script<'a> {
    /// The script of `events`, from its first.
    fn new(events: &'a [Scripted]) -> Script<'a> {
        Script { events, next: 0, at: events.first().map_or(SimTime::NEVER, |s| s.at) }
    }

    /// The next scripted event; it becomes done.
    fn take(&mut self) -> &'a Scripted {
        let s = &self.events[self.next];
        self.next += 1;
        self.at = self.events.get(self.next).map_or(SimTime::NEVER, |s| s.at);
        s
    }
}

/// How a replication starts for one component: its node, and the streams it uses.
#[derive(Clone, Copy)]
struct Start {
    node: Node,
    fail: bool,
    recover: bool,
    detect: bool,
    start: bool,
}

impl Start {
    /// How a replication starts for component `i` of `prepared`.
    fn of(prepared: &Prepared<'_>, i: usize) -> Start {
        let arch = prepared.arch;
        let c = &arch.components[i];
        let watched = !prepared.watchers_of(i).is_empty();
        let consumes = !prepared.consumer_links_of(i).is_empty();
        let concerns = [
            (watched || consumes, Node::WATCHED),
            (!prepared.data.backups_on[i].is_empty(), Node::BACKUP_STORE),
            (!prepared.charging[i].is_empty(), Node::CHARGES),
            (c.battery.is_some(), Node::BATTERY),
            (c.dataset.is_some(), Node::DATA),
            (i == arch.service.index(), Node::SERVICE),
        ];
        let concerns = concerns.iter().filter(|&&(on, _)| on).fold(0, |all, &(_, bit)| all | bit);
        let mut node = Node::new(c.needs.of.len() as u32, c.needs.k, concerns);
        let random = prepared.params.random;
        let can_start_badly = random && c.start_failure > 0.0 && watched && c.recover.is_some();
        node.flaky = can_start_badly;
        // Failures that need recovery streams: random ones, failed starts, and injections
        // in a mode (which take no draws, but a mode's recovery is the component's own).
        let recovers = (random && c.can_fail()) || can_start_badly || c.standby.is_some();
        // Detection delays: a group's, and the alerting or Replace delays of anything that
        // can fail (randomly or by failing to start).
        let fails_somehow = (random && c.can_fail()) || can_start_badly;
        let replaces = matches!(c.recover, Some(crate::model::Recovery::Replace { .. }))
            || c.modes.iter().any(|m| matches!(m.recover, crate::model::Recovery::Replace { .. }));
        let detects = c.standby.is_some() || (fails_somehow && (c.alert.is_some() || replaces));
        Start {
            node,
            fail: random && c.fail.is_some(),
            recover: recovers,
            detect: detects,
            start: can_start_badly || c.battery.is_some(),
        }
    }
}

/// Simulates replications of one architecture, reusing its buffers.
///
/// The state is split by owner: the core (`core.rs`: nodes, queue, propagation, the batch being
/// applied), and one struct per mechanism, each in its own file: own failure cycles
/// (`recovery.rs`), standby groups (`standby.rs`), batteries (`battery.rs`), datasets
/// (`data/`) and queue links (`queues.rs`). The loop in [`Simulator::run`] drives them.
pub struct Simulator<'a> {
    pub(super) core: Core<'a>,
    /// How every replication starts, for each component (fixed for the simulator's life).
    start: Vec<Start>,
    pub(super) cycles: Cycles,
    pub(super) standby: Standby,
    pub(super) battery: Batteries,
    pub(super) data: Data,
    pub(super) queues: Queues,
    pub(super) maintenance: Windows,
    pub(super) capacity: Capacity,
}

impl<'a> Simulator<'a> {
    /// A simulator over `prepared`, with buffers sized for its architecture.
    pub fn new(prepared: &'a Prepared<'a>) -> Simulator<'a> {
        let arch = prepared.arch;
        let n = arch.components.len();
        let dummy = Cause { component: ComponentId(0), mode: Mode::Failure };
        Simulator {
            core: Core {
                arch,
                prepared,
                params: prepared.params,
                // Each component's own slot, then its battery's, then the datasets' timers.
                queue: EventQueue::new(2 * n + prepared.data.slot_count(), prepared.params.horizon),
                streams: vec![Streams::default(); n],
                nodes: vec![Node::default(); n],
                cause: vec![dummy; n],
                batch: Vec::new(),
                pending: Pending::default(),
                losses: Vec::new(),
                stack: Vec::new(),
                trace: None,
                tracing: false,
                trace_window: (SimTime::ZERO, SimTime(u64::MAX)),
            },
            cycles: Cycles::new(n, prepared.crew_count()),
            standby: Standby::default(),
            battery: Batteries::new(n),
            data: Data::new(n),
            queues: Queues::default(),
            maintenance: Windows::default(),
            capacity: Capacity::new(arch, &prepared.serves),
            start: (0..n).map(|i| Start::of(prepared, i)).collect(),
        }
    }

    /// The datasets, with the core and the standby groups they reach.
    #[inline]
    pub(super) fn data_view(&mut self) -> DataView<'_, 'a> {
        DataView { data: &mut self.data, core: &mut self.core, standby: &self.standby }
    }

    /// The architecture it simulates.
    pub fn arch(&self) -> &'a crate::model::Architecture {
        self.core.arch
    }

    /// Turns recording of trace events on or off (off by default).
    pub fn set_tracing(&mut self, on: bool) {
        self.core.trace = on.then(Vec::new);
        self.core.tracing = on;
    }

    /// Keeps only the trace events at times in `[from, to)` (all of them by default), so that
    /// tracing a day of a long horizon holds that day's events, not the whole replication's.
    pub fn set_trace_window(&mut self, from: SimTime, to: SimTime) {
        self.core.trace_window = (from, to);
    }

    /// The trace events of the last replication run (empty when not tracing).
    pub fn take_trace(&mut self) -> Vec<TraceEvent> {
        self.core.trace.as_mut().map(std::mem::take).unwrap_or_default()
    }

    fn reset(&mut self, replication: u64) {
        self.core.queue.clear();
        if let Some(trace) = self.core.trace.as_mut() {
            trace.clear();
        }
        for crew in &mut self.cycles.crews {
            crew.busy = 0;
            crew.waiting.clear();
        }
        self.core.pending.groups.clear();
        self.core.pending.batteries.clear();
        for (node, start) in self.core.nodes.iter_mut().zip(&self.start) {
            *node = start.node;
        }
        self.battery.charge.fill(Charge::Full);
        self.cycles.phase.fill(Phase::Up);
        self.cycles.paused.fill(None);
        self.cycles.slowed.fill(false);
        let keys = &self.core.prepared.keys;
        for ((streams, start), keys) in self.core.streams.iter_mut().zip(&self.start).zip(keys) {
            restart(&mut streams.fail, start.fail, &keys.fail, replication);
            restart(&mut streams.recover, start.recover, &keys.recover, replication);
            restart(&mut streams.detect, start.detect, &keys.detect, replication);
            restart(&mut streams.start, start.start, &keys.start, replication);
        }
        self.cycles.mode_now.fill(None);
        self.cycles.inject_mode.fill(None);
        for (i, c) in self.core.arch.components.iter().enumerate() {
            if c.modes.is_empty() {
                continue; // no mode streams, ever
            }
            let streams = &mut self.cycles.mode_streams[i];
            streams.clear();
            if self.core.params.random {
                for (m, key) in c.modes.iter().zip(&self.core.prepared.mode_keys[i]) {
                    if m.fail.is_some() {
                        streams.push(Stream::new(key, replication));
                    }
                }
            }
        }
        self.reset_groups();
        if !self.core.prepared.dormancy.is_empty() {
            self.reset_dormancy();
        }
        self.data_view().reset(replication);
        self.queues.reset(&mut self.core);
        self.maintenance.reset(&self.core.arch.maintenance);
        self.capacity.reset();
        // Plain components' clocks start plainly (no standby group, no sleep, no slowing):
        // their first failures go into the queue together, put in order once; their second
        // and their first repair are drawn ahead.
        let prepared: &'a Prepared<'a> = self.core.prepared;
        for (rank, laws) in prepared.plain.iter().enumerate() {
            if let Some(laws) = laws {
                let streams = &mut self.core.streams[laws.id as usize];
                let fail = streams.fail.as_mut().expect("a plain component fails");
                let ttf = laws.draw_time_to_failure(fail);
                self.cycles.ahead[rank] = Ahead {
                    fail: laws.draw_time_to_failure(fail),
                    repair: laws.draw_repair(streams.recover.as_mut().expect("a plain component recovers")),
                };
                self.core.queue.push_unordered(rank as u32, ttf);
            }
        }
        self.core.queue.restore_order();
        for (i, &rank) in prepared.name_rank.iter().enumerate() {
            if prepared.plain[rank as usize].is_none() && self.has_clock(i) {
                let ttf = self.time_to_failure(i);
                self.start_clock(i, SimTime::ZERO, ttf);
            }
        }
        self.core.pending.note_quiet();
    }

    /// Handles the event in the queue's first slot at `now`: a component's own event, its
    /// battery's timer, or a dataset's timer (taken off the queue, applied later in the batch).
    /// Returns the batch entry if an own state changed, or the data timer's entry.
    fn pop_slot(&mut self, now: SimTime) -> Option<Entry> {
        let slot = self.core.queue.top_slot().expect("an event is due");
        let prepared: &'a Prepared<'a> = self.core.prepared;
        match prepared.plain.get(slot as usize) {
            Some(Some(laws)) => Some(self.plain_event(slot, laws, now).0),
            _ => self.pop_other(slot, now),
        }
    }

    /// [`Simulator::pop_slot`] of any other slot than a plain component's.
    fn pop_other(&mut self, slot: u32, now: SimTime) -> Option<Entry> {
        let n = self.core.prepared.by_rank.len();
        if slot >= self.core.prepared.data.first_slot {
            self.core.queue.remove(slot);
            return Some(Entry::data_timer(slot));
        }
        if (slot as usize) < n {
            let id = self.core.prepared.by_rank[slot as usize] as usize;
            self.pop_event(id, now)
        } else {
            let id = self.core.prepared.by_rank[slot as usize - n];
            self.battery.timer(&mut self.core, &self.standby, id as usize, now)
        }
    }

    /// Runs replication `replication`, reporting incidents to `observer`: one batch per
    /// instant, each gathered, applied, reacted to, and then checked for an incident.
    pub fn run<O: Observer>(&mut self, replication: u64, observer: &mut O) -> Summary {
        self.reset(replication);
        let horizon = self.core.params.horizon;
        let service = self.core.arch.service.index();
        let prepared: &'a Prepared<'a> = self.core.prepared;
        let mut script = Script::new(&prepared.scripted);
        let mut events = 0u64;
        let mut incidents = Incidents::default();
        // When the queue's next event is (exact before the horizon, which is all the loop needs).
        let (mut random_at, mut top) = self.core.queue.next_event();
        // Whether the service is up (a done instant leaves it up).
        let mut was_up = self.core.nodes[service].up;
        // The horizon, or the script's or the windows' next event if earlier: a queue event
        // before it is its instant's only other than the queue's (neither moves but at a batch).
        let mut limit = script.at.min(self.maintenance.at()).min(horizon);
        // Whether degraded capacity is watched (fixed for the simulator's life).
        let watched = self.capacity.watched();
        loop {
            let (now, queue_only) = if random_at < limit {
                (random_at, true)
            } else {
                let now = random_at.min(script.at).min(self.maintenance.at());
                if now >= horizon {
                    break;
                }
                (now, false)
            };
            let random = random_at == now;
            let instant = Instant { now, random: random.then_some(top), queue_only };
            let applied = match self.gather(instant, &mut script, service, was_up, &mut events) {
                Gathered::Done { next } => {
                    if watched {
                        self.capacity.after_batch(&self.core.nodes, true, now);
                    }
                    (random_at, top) = next;
                    continue;
                }
                Gathered::Batch { applied } => applied,
            };
            if !applied {
                events += self.apply_own_changes();
            }
            events += self.react(now, observer);
            let is_up = self.core.nodes[service].up;
            if !(was_up && is_up) {
                incidents.after_batch(self, now, was_up, is_up, observer);
            }
            if watched {
                self.capacity.after_batch(&self.core.nodes, is_up, now);
            }
            self.core.pending.note_quiet();
            (random_at, top) = self.core.queue.next_event();
            was_up = self.core.nodes[service].up;
            limit = script.at.min(self.maintenance.at()).min(horizon);
        }
        self.close(horizon, observer);
        let (degraded_ms, degraded_episodes) = self.capacity.close(horizon);
        Summary {
            up: SimTime(horizon.0 - incidents.close(horizon, observer)),
            events,
            degraded: SimTime(degraded_ms),
            degraded_episodes,
        }
    }

    /// Takes the events of `instant` (`now`) into the batch, in (class, name) order: the
    /// queue's (if it has one then, `random` is the slot of its first) and the script's
    /// (`queue_only`: neither the script nor the windows have one then). The common case, one own change alone at its instant, is
    /// applied at once: with nothing pending and the service (component `service`) up all along
    /// (`was_up`) the instant is done; counts applied own changes in `events`.
    #[inline(always)]
    fn gather(
        &mut self,
        instant: Instant,
        script: &mut Script<'_>,
        service: usize,
        was_up: bool,
        events: &mut u64,
    ) -> Gathered {
        let Instant { now, random, queue_only } = instant;
        let mut applied = false;
        // The queue yields the instant's events in name order.
        if let Some(slot) = random {
            let prepared: &'a Prepared<'a> = self.core.prepared;
            if let Some(Some(laws)) = prepared.plain.get(slot as usize) {
                // The usual event, handled without going through the general path's checks. A
                // plain component has no failure modes: it fails in `Mode::Failure`.
                let (entry, next) = self.plain_event(slot, laws, now);
                if next.0 != now && (queue_only || (script.at != now && self.maintenance.at() != now)) {
                    // Nothing was pending after the last batch, and the propagation is all that
                    // marks since (it clears `quiet` if it does): the lists need no look.
                    *events += 1;
                    self.core.refresh_inline(
                        laws.id,
                        Cause { component: ComponentId(laws.id), mode: Mode::Failure },
                    );
                    // Quiet, the service did not flip: up all along if it was up before.
                    if was_up && self.core.pending.quiet {
                        return Gathered::Done { next };
                    }
                    applied = true;
                }
                self.core.batch.clear();
                self.core.batch.push(entry);
            } else {
                self.core.batch.clear();
                let first = self.pop_other(slot, now);
                let alone = self.core.queue.next_time() != now
                    && (queue_only || (script.at != now && self.maintenance.at() != now));
                match first {
                    Some(entry)
                        if alone && entry.class != Class::GroupTimer && entry.class != Class::DataTimer =>
                    {
                        let mode = self.mode_of(entry.class, entry.id);
                        if self.apply_alone(entry, mode, service, was_up, events) {
                            return Gathered::Done { next: self.core.queue.next_event() };
                        }
                        applied = true;
                        self.core.batch.push(entry);
                    }
                    Some(entry) => self.core.batch.push(entry),
                    None => {}
                }
            }
            while self.core.queue.next_time() == now {
                if let Some(entry) = self.pop_slot(now) {
                    self.core.batch.push(entry);
                }
            }
        } else {
            self.core.batch.clear();
        }
        while script.at == now {
            self.scripted(script.take(), now);
        }
        while self.maintenance.at() == now {
            let window = self.maintenance.take(now);
            self.scripted(&window, now);
        }
        if self.core.batch.len() > 1 {
            self.core.batch.sort_unstable();
        }
        Gathered::Batch { applied }
    }

    /// Applies own change `entry`, alone at its instant, at once (`mode` is its mode if it
    /// fails), counting it in `events`. Returns whether the instant is done: nothing pending
    /// and the service (component `service`) up all along (`was_up`).
    #[inline(always)]
    fn apply_alone(
        &mut self,
        entry: Entry,
        mode: Mode,
        service: usize,
        was_up: bool,
        events: &mut u64,
    ) -> bool {
        *events += 1;
        self.core.refresh(entry.id, Cause { component: ComponentId(entry.id), mode });
        self.core.pending.note_quiet();
        was_up && self.core.pending.quiet && self.core.nodes[service].up
    }

    /// Starts or ends scripted injection or maintenance window `s` at `now`, into the batch.
    fn scripted(&mut self, s: &Scripted, now: SimTime) {
        let i = s.component as usize;
        let label = match s.class {
            Class::MaintenanceStart => {
                self.core.nodes[i].inject();
                self.core.note(now, i, TraceKind::Failed(Mode::Maintenance));
                None
            }
            Class::MaintenanceEnd => {
                self.core.nodes[i].uninject();
                self.core.note(now, i, TraceKind::Recovered(Label::MaintenanceEnd));
                Some(Label::MaintenanceEnd)
            }
            Class::InjectionStart => {
                self.core.nodes[i].inject();
                self.cycles.inject_mode[i] = s.mode;
                let mode = s.mode.map_or(Mode::Injected, Mode::InjectedNamed);
                self.core.note(now, i, TraceKind::Failed(mode));
                if s.mode.is_some_and(|k| self.core.arch.components[i].modes[k as usize].loses_data) {
                    self.data_view().lose_data(i, now, Cause { component: ComponentId(s.component), mode });
                }
                None
            }
            _ => {
                self.core.nodes[i].uninject();
                self.core.note(now, i, TraceKind::Recovered(Label::InjectionEnd));
                Some(Label::InjectionEnd)
            }
        };
        let rank = self.core.prepared.name_rank[i];
        self.core.batch.push(Entry::own(s.class, rank, s.component, label));
    }

    /// Applies the batch's own changes in (class, name) order, propagating each. Returns them
    /// (events).
    #[inline]
    fn apply_own_changes(&mut self) -> u64 {
        let mut events = 0;
        for k in 0..self.core.batch.len() {
            let Entry { class, id, .. } = self.core.batch[k];
            match class {
                Class::GroupTimer | Class::StartFailure | Class::DataTimer => {}
                _ => {
                    events += 1;
                    let mode = self.mode_of(class, id);
                    self.core.refresh(id, Cause { component: ComponentId(id), mode });
                }
            }
        }
        events
    }

    /// After the own changes: standby timers, then the groups, datasets and queues that must
    /// re-decide, then the datasets' timers (which see the settled state: a backup is skipped
    /// if the dataset just went down) and what they change, then batteries. Passes the batch's
    /// data-loss events and backlogs to `observer`. Returns the own changes it caused (events).
    fn react<O: Observer>(&mut self, now: SimTime, observer: &mut O) -> u64 {
        let mut events = 0;
        for k in 0..self.core.batch.len() {
            if let Entry { class: Class::GroupTimer, id, .. } = self.core.batch[k] {
                events += self.group_timer(id as usize, now);
            }
        }
        events += self.settle(now);
        self.data_view().backups_due(now);
        let timers = self.core.batch.len();
        for k in 0..timers {
            if let Entry { class: Class::DataTimer, rank: slot, .. } = self.core.batch[k] {
                self.data_view().timer(slot, now);
            }
        }
        if self.core.batch.len() > timers || !self.core.pending.datasets.is_empty() {
            events += self.settle(now);
        }
        self.flush_data(observer);
        while let Some(i) = self.core.pending.batteries.pop() {
            self.battery.needs_changed(&mut self.core, &self.standby, i as usize, now);
        }
        self.data_view().backups_settled(now);
        events
    }

    /// At the horizon: open backlogs and losses waiting for a switch end there.
    fn close<O: Observer>(&mut self, horizon: SimTime, observer: &mut O) {
        self.queues.close(&mut self.core, horizon);
        self.data_view().close_pending_losses(horizon);
        self.flush_data(observer);
        self.report_active_time(horizon, observer);
    }

    /// Lets standby groups and datasets react until neither has anything left to decide, then
    /// queues note their consumers' changes. Returns the failed starts (own failures, counted
    /// as events).
    fn settle(&mut self, now: SimTime) -> u64 {
        let mut start_failures = self.settle_groups(now);
        while self.data_view().settle(now) {
            start_failures += self.settle_groups(now);
        }
        self.queues.settle(&mut self.core, now);
        start_failures
    }

    /// Passes the batch's data-loss events and ended backlogs to `observer`.
    fn flush_data<O: Observer>(&mut self, observer: &mut O) {
        for loss in self.core.losses.drain(..) {
            observer.data_loss(&loss);
        }
        for (q, age) in self.queues.backlogs.drain(..) {
            observer.backlog(q, age);
        }
    }

    /// Whether component `i` has a failure clock (random failures on and a distribution).
    pub(super) fn has_clock(&self, i: usize) -> bool {
        self.core.streams[i].fail.is_some() || !self.cycles.mode_streams[i].is_empty()
    }

    /// The mode to blame if an entry of this class takes component `id` down.
    pub(super) fn mode_of(&self, class: Class, id: u32) -> Mode {
        match class {
            Class::InjectionStart => {
                self.cycles.inject_mode[id as usize].map_or(Mode::Injected, Mode::InjectedNamed)
            }
            Class::BatteryEmpty => Mode::BatteryEmpty,
            Class::MaintenanceStart => Mode::Maintenance,
            Class::RandomFailure => self.cycles.mode_now[id as usize].map_or(Mode::Failure, Mode::Named),
            // Recoveries never take a component down: the mode is never read.
            _ => Mode::Failure,
        }
    }
}

/// Points `slot` at the stream of `replication` if the component uses it, or empties it. The
/// generator is restarted in place: no copy of its state, no block computed before it is used,
/// and a boxed one (the rarely used `detect` and `start` streams) keeps its box. A slot only
/// ever holds streams of its own `key` (the prepared key of its component and purpose), so that
/// a stream there only needs to restart.
fn restart<S: BorrowMut<Stream> + From<Stream>>(
    slot: &mut Option<S>,
    wanted: bool,
    key: &[u8; 32],
    replication: u64,
) {
    match (wanted, slot.as_mut()) {
        (true, Some(stream)) => {
            let stream = stream.borrow_mut();
            debug_assert!(stream.has_key(key));
            stream.restart(replication)
        }
        (true, None) => *slot = Some(S::from(Stream::new(key, replication))),
        (false, _) => *slot = None,
    }
}
