//! Datasets: copies, data-losing failures, realised RPO, and disaster recovery (promote,
//! restore, resync).
//!
//! A dataset has a primary copy on its holder, replicas on other components and backup chains
//! stored on other components. Its node is up (accepting writes) iff it has a live primary, no
//! recovery is in progress, and its holder is effectively up; components that `need` it follow
//! it like any dependency. Semantics:
//! - **Losing copies.** Only a failure in a data-losing mode (random or injected) destroys
//!   data: that of its component and of every component reaching it through `All` edges only
//!   ([`DataPlan::destroys`]). A host that is merely down keeps its copy.
//! - **Positions.** A replica is *in sync* while its host is effectively up and its copy is
//!   live and it has caught up; its position is (the earlier of the last instant it was in sync
//!   and the dataset's last write) minus its lag (0 for `Sync`; an `Async` lag is drawn at each
//!   loss on the dataset's `lag` stream): when the primary's host stops, the tail not yet
//!   shipped stays there. A replica whose host comes back with its copy intact catches up from
//!   the primary's log at once, but only while the dataset accepts writes: one that comes back
//!   while the primary is down stays behind until it is up. A copy being resynced holds the
//!   writes up to the instant its resync began. A backup's position is its start; it is usable
//!   once `takes` has elapsed, while its store has not lost its data since. At t = 0 every chain
//!   holds a completed backup at position 0; later ones start at `offset + k * every`, and a
//!   start at which the dataset or its store is down is skipped.
//! - **Loss of the primary** at t: the newest surviving copy is used (ties: a replica before a
//!   backup, then in file order). RPO = (last instant the dataset accepted writes) - position,
//!   at least 0. A replica is promoted once its host is effectively up (`promote`), its host
//!   then holds the primary and the old holder becomes that replica, resyncing (`resync`) once
//!   it is up and the dataset is. A backup is restored once its restore target (`into`, else
//!   the holder) is effectively up (`restore`); the target then holds the primary. With no
//!   surviving copy the loss is *unrecoverable*: the dataset is recreated empty after the first
//!   chain's `restore` (at once without backups), and the span lost is the time from its last
//!   creation to its last write.
//! - **Lost writes** ([`history`]): beside its RPO, each event says how long the dataset had
//!   accepted the writes it destroyed, not counting what an earlier loss already destroyed nor
//!   the spans in which it accepted no writes.
//! - **During a recovery**, a loss that destroys the copy being recovered from is a further
//!   data-loss event, and the next surviving copy is used; a loss of the restore target during
//!   a restore restarts the restore once it is back.
//! - **A standby group as holder** ([`members`]): its active member holds the primary, the
//!   others copies, synchronous unless a replica on that member gives its mode.
//! - A replica that lost its copy while the primary lives is no data-loss event: it resyncs.
//!
//! Timers (recovery, each replica's resync) have their own queue slots after the components'
//! and batteries', in dataset name order. Backups have no timer: [`chains`] computes them in
//! closed form when a change of the dataset or its store, a loss or a wipe needs them.
//!
//! [`Data`] owns the datasets' state; a [`DataView`] pairs it with the core it changes (queue,
//! nodes, trace, the batch's losses) and the standby groups it reads (which member holds a
//! group's data). Nothing else of the simulator is reachable from here.

mod chains;
mod history;
mod members;

use crate::dist::Dist;
use crate::model::{Architecture, Dataset};
use crate::rng::{Stream, named_stream_key};
use crate::time::SimTime;

use super::core::{Core, Entry};
use super::prepared::Class;
use super::standby::Standby;
use super::{Cause, Label, TraceKind};

/// Where a dataset was recovered from after losing its primary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// A replica was promoted.
    Replica,
    /// A backup was restored.
    Backup,
    /// A standby group holding it switched to another member (whose copy lacked the newest
    /// writes).
    Failover,
}

impl Source {
    /// The source as written in reports (`replica`, `backup`, `failover`).
    pub fn name(self) -> &'static str {
        match self {
            Source::Replica => "replica",
            Source::Backup => "backup",
            Source::Failover => "failover",
        }
    }
}

/// Where data was lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Store {
    /// A dataset, by index in [`Architecture::datasets`].
    Dataset(u32),
    /// A queue link, by index in [`Architecture::queues`]: messages past their retention.
    Queue(u32),
}

/// A data-loss event: a dataset lost its primary copy (or, during its recovery, the copy it
/// was being recovered from), or a queue deleted messages older than its retention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataLoss {
    /// Where.
    pub store: Store,
    /// When.
    pub at: SimTime,
    /// The data-losing failure.
    pub cause: Cause,
    /// Data lost, measured in time (last write - newest surviving copy); `None` when no copy
    /// survived.
    pub rpo: Option<SimTime>,
    /// With no surviving copy: the time from the dataset's last creation to its last write.
    pub lost_span: SimTime,
    /// How long the dataset had accepted the writes this event destroyed: those newer than
    /// the copy recovered from, less what an earlier loss already destroyed and the spans in
    /// which it accepted no writes (for a queue: the span of the messages deleted).
    pub lost_writes: SimTime,
    /// Still growing at the horizon (a queue's backlog): `rpo` is a lower bound.
    pub censored: bool,
    /// What it is recovered from (`None`: recreated empty).
    pub from: Option<Source>,
}

/// What a data timer slot is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SlotKind {
    /// The dataset's promote or restore.
    Recovery,
    /// Replica `j`'s resync.
    Resync(u32),
}

/// Stream keys of one dataset.
pub(super) struct DataKeys {
    promote: [u8; 32],
    restore: [u8; 32],
    resync: [u8; 32],
    lag: [u8; 32],
}

/// What every replication of an architecture shares about its data.
pub(super) struct DataPlan {
    /// Queue slot of the first data timer (after components and batteries).
    pub first_slot: u32,
    /// First slot (relative to `first_slot`) of each dataset's timers.
    base: Vec<u32>,
    /// Owner of each data slot.
    slots: Vec<(u32, SlotKind)>,
    keys: Vec<DataKeys>,
    /// For each component that can lose data, the data hosts whose copies die with it (itself
    /// included, and every host reaching it through `All` edges only), ascending.
    destroys: Vec<Vec<u32>>,
    /// Dataset indices in name order (the order pending datasets settle in).
    by_name: Vec<u32>,
    /// For each dataset held by a standby group at t = 0, for each member of the group: the
    /// index of the replica on that member, if one is listed (empty for other datasets).
    member_replica: Vec<Vec<Option<u32>>>,
    /// The components datasets live on: holders, their standby members, replica hosts,
    /// backup stores and restore targets.
    pub hosts: Vec<bool>,
    /// For each component, the datasets (by index, ascending) with a backup chain stored on
    /// it: its flips concern their backups.
    pub backups_on: Vec<Vec<u32>>,
}

impl DataPlan {
    /// Lays out the timers and destruction sets of `arch`.
    pub fn new(arch: &Architecture, seed: u64) -> DataPlan {
        let n = arch.components.len();
        let mut by_name: Vec<u32> = (0..arch.datasets.len() as u32).collect();
        by_name.sort_by(|&a, &b| arch.datasets[a as usize].name.cmp(&arch.datasets[b as usize].name));
        let mut base = vec![0; arch.datasets.len()];
        let mut slots = Vec::new();
        for &d in &by_name {
            let ds = &arch.datasets[d as usize];
            base[d as usize] = slots.len() as u32;
            slots.push((d, SlotKind::Recovery));
            slots.extend((0..ds.replicas.len() as u32).map(|j| (d, SlotKind::Resync(j))));
        }
        let keys = arch
            .datasets
            .iter()
            .map(|d| DataKeys {
                promote: named_stream_key(seed, &d.name, "promote"),
                restore: named_stream_key(seed, &d.name, "restore"),
                resync: named_stream_key(seed, &d.name, "resync"),
                lag: named_stream_key(seed, &d.name, "lag"),
            })
            .collect();
        let mut hosts = vec![false; n];
        for d in &arch.datasets {
            hosts[d.holder.index()] = true;
            for &m in arch.components[d.holder.index()].standby.iter().flat_map(|s| &s.members) {
                hosts[m.index()] = true;
            }
            d.replicas.iter().for_each(|r| hosts[r.on.index()] = true);
            for b in &d.backups {
                hosts[b.to.index()] = true;
                if let Some(into) = b.into {
                    hosts[into.index()] = true;
                }
            }
        }
        let loses = |i: usize| {
            arch.components[i].modes.iter().any(|m| m.loses_data)
                || arch.injections.iter().any(|inj| {
                    inj.target.index() == i
                        && inj.mode.is_some_and(|k| arch.components[i].modes[k as usize].loses_data)
                })
        };
        let destroys = (0..n)
            .map(|i| if arch.datasets.is_empty() || !loses(i) { Vec::new() } else { within(arch, i, &hosts) })
            .collect();
        let member_replica = arch
            .datasets
            .iter()
            .map(|d| {
                let members = arch.components[d.holder.index()].standby.iter().flat_map(|s| &s.members);
                members.map(|m| d.replicas.iter().position(|r| r.on == *m).map(|j| j as u32)).collect()
            })
            .collect();
        let mut backups_on = vec![Vec::new(); n];
        for (d, ds) in arch.datasets.iter().enumerate() {
            for b in &ds.backups {
                if !backups_on[b.to.index()].contains(&(d as u32)) {
                    backups_on[b.to.index()].push(d as u32);
                }
            }
        }
        DataPlan {
            first_slot: 2 * n as u32,
            base,
            slots,
            keys,
            destroys,
            by_name,
            member_replica,
            hosts,
            backups_on,
        }
    }

    /// Number of data timer slots.
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }
}

/// The data hosts among `root` and the components reaching it through `All` edges only.
fn within(arch: &Architecture, root: usize, host: &[bool]) -> Vec<u32> {
    let mut inside = vec![false; arch.components.len()];
    inside[root] = true;
    let mut stack = vec![root];
    while let Some(c) = stack.pop() {
        for &d in arch.dependents_of(crate::model::ComponentId(c as u32)) {
            let needs = &arch.components[d.index()].needs;
            if needs.k as usize == needs.of.len() && !inside[d.index()] {
                inside[d.index()] = true;
                stack.push(d.index());
            }
        }
    }
    (0..arch.components.len()).filter(|&i| inside[i] && host[i]).map(|i| i as u32).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Copy {
    Live,
    Lost,
    Resyncing,
}

#[derive(Clone, Copy, Debug)]
struct ReplicaState {
    host: u32,
    copy: Copy,
    /// It holds every write (less its lag) as of now.
    in_sync: bool,
    /// While not in sync: the instant up to which it holds the writes (less its lag).
    synced_until: SimTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Restore {
    Backup { chain: u32 },
    Empty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Live,
    AwaitPromote(u32),
    Promoting(u32),
    AwaitRestore(Restore),
    Restoring(Restore),
}

/// The datasets during a replication.
pub(super) struct Data {
    /// Each dataset's state, by index in `Architecture::datasets`.
    pub states: Vec<DataState>,
    /// Scratch: components whose data the failure being applied destroys.
    pub doomed: Vec<bool>,
    /// The instant whose datasets' timers last ran: a backup due then has started.
    timers_ran: Option<SimTime>,
}

impl Data {
    /// No dataset yet, scratch for `n` components.
    pub fn new(n: usize) -> Data {
        Data { states: Vec::new(), doomed: vec![false; n], timers_ran: None }
    }
}

/// The datasets at work: their state, the core they reach, and the standby groups, which they
/// only ask which member holds a group's data.
pub(super) struct DataView<'s, 'a> {
    pub data: &'s mut Data,
    pub core: &'s mut Core<'a>,
    pub standby: &'s Standby,
}

/// One dataset during a replication.
#[derive(Clone, Debug)]
pub(super) struct DataState {
    holder: u32,
    phase: Phase,
    /// When it last stopped accepting writes (meaningful while its node is down).
    down_since: SimTime,
    created: SimTime,
    cause: Cause,
    replicas: Vec<ReplicaState>,
    chains: Vec<chains::Chain>,
    /// For a standby holder: each member's copy (for members with a listed replica, that
    /// replica's state is used instead).
    members: Vec<members::MemberCopy>,
    /// The writes its primary holds.
    history: history::WriteHistory,
    /// A standby holder's destroyed primary member, waiting for the switch that measures it.
    pending: Option<members::PendingLoss>,
    streams: [Stream; 4],
}

const PROMOTE: usize = 0;
const RESTORE: usize = 1;
const RESYNC: usize = 2;
const LAG: usize = 3;

impl DataView<'_, '_> {
    fn dataset(&self, d: usize) -> &Dataset {
        &self.core.arch.datasets[d]
    }

    fn data_slot(&self, d: usize, kind: SlotKind) -> u32 {
        let plan = &self.core.prepared.data;
        let offset = match kind {
            SlotKind::Recovery => 0,
            SlotKind::Resync(j) => 1 + j,
        };
        plan.first_slot + plan.base[d] + offset
    }

    fn draw_data(&mut self, d: usize, stream: usize, dist: Dist) -> SimTime {
        dist.sample(self.data.states[d].streams[stream].next_word())
    }

    /// Every dataset starts live on its holder, replicas in sync, each chain holding a backup
    /// at position 0.
    pub(super) fn reset(&mut self, replication: u64) {
        self.core.pending.datasets.clear();
        self.core.pending.backups.clear();
        self.core.losses.clear();
        self.data.timers_ran = None;
        let arch = self.core.arch;
        self.data.states.clear();
        for (d, ds) in arch.datasets.iter().enumerate() {
            let keys = &self.core.prepared.data.keys[d];
            let members = arch.components[ds.holder.index()].standby.as_ref().map_or(0, |s| s.members.len());
            self.data.states.push(DataState {
                holder: ds.holder.0,
                phase: Phase::Live,
                down_since: SimTime::ZERO,
                created: SimTime::ZERO,
                cause: Cause { component: ds.holder, mode: super::Mode::Failure },
                replicas: ds
                    .replicas
                    .iter()
                    .map(|r| ReplicaState {
                        host: r.on.0,
                        copy: Copy::Live,
                        in_sync: true,
                        synced_until: SimTime::ZERO,
                    })
                    .collect(),
                chains: ds
                    .backups
                    .iter()
                    .map(|b| {
                        let ok =
                            self.core.nodes[ds.node.index()].standby_ok() && self.core.nodes[b.to.index()].up;
                        chains::Chain::new(b, ok)
                    })
                    .collect(),
                members: vec![members::MemberCopy::default(); members],
                history: history::WriteHistory::default(),
                pending: None,
                streams: [
                    Stream::new(&keys.promote, replication),
                    Stream::new(&keys.restore, replication),
                    Stream::new(&keys.resync, replication),
                    Stream::new(&keys.lag, replication),
                ],
            });
            self.data.states[d].history.reset(SimTime::ZERO);
        }
    }

    /// Whether a backup of chain `m` of dataset `d` would start now: the dataset accepts
    /// writes and the store is up.
    fn can_back_up(&self, d: usize, m: usize) -> bool {
        let ds = self.dataset(d);
        self.core.nodes[ds.node.index()].standby_ok() && self.core.nodes[ds.backups[m].to.index()].up
    }

    /// Applies the backups of dataset `d` that started before `now`, and at `now` once the
    /// datasets' timers of `now` ran.
    fn advance_chains(&mut self, d: usize, now: SimTime) {
        let inclusive = self.data.timers_ran == Some(now);
        let state = &mut self.data.states[d];
        for (chain, b) in state.chains.iter_mut().zip(&self.core.arch.datasets[d].backups) {
            chain.advance(b, now, inclusive);
        }
    }

    /// When the datasets' timers of `now` run: the chains whose dataset or store changed in
    /// this batch start their backup due now, if any, in the state settled so far.
    ///
    /// A later batch at the same instant (after a zero-length timer) does not start them
    /// again: a start is due once, in the state of the instant's first batch; a chain not
    /// marked in that batch kept its state through it.
    pub(super) fn backups_due(&mut self, now: SimTime) {
        let first = self.data.timers_ran != Some(now);
        self.data.timers_ran = Some(now);
        for k in 0..self.core.pending.backups.len() {
            let d = self.core.pending.backups[k] as usize;
            for m in 0..self.data.states[d].chains.len() {
                let ok = self.can_back_up(d, m);
                let (chain, b) = (&mut self.data.states[d].chains[m], &self.core.arch.datasets[d].backups[m]);
                if first {
                    chain.due(b, now, ok);
                } else {
                    chain.settle(b, now, ok);
                }
            }
        }
    }

    /// At the end of the batch of `now`: the chains whose dataset or store changed take the
    /// state the batch left.
    pub(super) fn backups_settled(&mut self, now: SimTime) {
        while let Some(d) = self.core.pending.backups.pop() {
            let d = d as usize;
            for m in 0..self.data.states[d].chains.len() {
                let ok = self.can_back_up(d, m);
                self.data.states[d].chains[m].settle(&self.core.arch.datasets[d].backups[m], now, ok);
            }
        }
    }

    /// A data-losing failure of `x` at `now`: destroys the copies it reaches.
    pub(super) fn lose_data(&mut self, x: usize, now: SimTime, cause: Cause) {
        let destroys = &self.core.prepared.data.destroys[x];
        if destroys.is_empty() {
            return;
        }
        for &c in destroys {
            self.data.doomed[c as usize] = true;
        }
        for d in 0..self.data.states.len() {
            self.lose_copies(d, now, cause);
        }
        for &c in &self.core.prepared.data.destroys[x] {
            self.data.doomed[c as usize] = false;
        }
    }

    fn lose_copies(&mut self, d: usize, now: SimTime, cause: Cause) {
        let ds = &self.core.arch.datasets[d];
        let mut touched = false;
        // Whether a standby holder's primary member still had its copy before this failure.
        let group = self.data.standby_holder(self.core, d);
        let primary_had_copy =
            group.is_some_and(|g| !self.data.member_lost(self.core, d, self.standby.primary_member(g)));
        for j in 0..self.data.states[d].replicas.len() {
            let r = self.data.states[d].replicas[j];
            if self.data.doomed[r.host as usize] && r.copy != Copy::Lost {
                if r.copy == Copy::Resyncing {
                    let slot = self.data_slot(d, SlotKind::Resync(j as u32));
                    self.core.queue.remove(slot);
                }
                let r = &mut self.data.states[d].replicas[j];
                if r.in_sync {
                    r.synced_until = now;
                }
                r.copy = Copy::Lost;
                r.in_sync = false;
                touched = true;
            }
        }
        let mut wiped = vec![false; ds.backups.len()];
        self.advance_chains(d, now);
        for (m, b) in ds.backups.iter().enumerate() {
            if self.data.doomed[b.to.index()] {
                self.data.states[d].chains[m].wipe();
                wiped[m] = true;
                touched = true;
            }
        }
        let holder = self.data.states[d].holder as usize;
        let mut primary_hit = self.data.doomed[holder];
        let mut primary_member_lost = false;
        if let Some(g) = group {
            touched |= self.destroy_member_copies(d, now);
            primary_member_lost =
                primary_had_copy && self.data.member_lost(self.core, d, self.standby.primary_member(g));
            primary_hit |= self.data.every_member_lost(self.core, d);
        }
        match self.data.states[d].phase {
            Phase::Live if primary_hit => self.choose_copy(d, now, cause),
            Phase::Live if primary_member_lost => self.primary_member_lost(d, now, cause),
            Phase::AwaitPromote(j) | Phase::Promoting(j)
                if self.data.states[d].replicas[j as usize].copy == Copy::Lost =>
            {
                self.core.queue.remove(self.data_slot(d, SlotKind::Recovery));
                self.choose_copy(d, now, cause);
            }
            Phase::AwaitRestore(Restore::Backup { chain }) | Phase::Restoring(Restore::Backup { chain })
                if wiped[chain as usize] =>
            {
                self.core.queue.remove(self.data_slot(d, SlotKind::Recovery));
                self.choose_copy(d, now, cause);
            }
            Phase::Restoring(r) if self.data.doomed[self.restore_target(d, r)] => {
                self.core.queue.remove(self.data_slot(d, SlotKind::Recovery));
                self.data.states[d].phase = Phase::AwaitRestore(r);
            }
            _ => {}
        }
        if touched || primary_hit {
            self.core.pending.dataset(d as u32);
        }
    }

    /// The primary (or the copy a recovery was using) is gone: records the loss and picks the
    /// newest surviving copy.
    fn choose_copy(&mut self, d: usize, now: SimTime, cause: Cause) {
        // A standby holder's destroyed primary member waiting for its switch is part of this
        // loss: one event.
        self.data.states[d].pending = None;
        let node = self.dataset(d).node.index();
        let last_write = self.last_write(d, now);
        let mut best: Option<(SimTime, Phase, Source)> = None;
        for j in 0..self.data.states[d].replicas.len() {
            if self.data.states[d].replicas[j].copy != Copy::Live {
                continue;
            }
            let position = self.replica_position(d, j, now, last_write);
            if best.is_none_or(|(p, ..)| position > p) {
                best = Some((position, Phase::AwaitPromote(j as u32), Source::Replica));
            }
        }
        self.advance_chains(d, now);
        for (m, b) in self.dataset(d).backups.iter().enumerate() {
            if let Some(position) = self.data.states[d].chains[m].usable(b, now)
                && best.is_none_or(|(p, ..)| position > p)
            {
                best = Some((
                    position,
                    Phase::AwaitRestore(Restore::Backup { chain: m as u32 }),
                    Source::Backup,
                ));
            }
        }
        let state = &mut self.data.states[d];
        state.cause = cause;
        let lost_writes = state.history.destroy_after(best.map(|(position, ..)| position), now);
        let loss = match best {
            Some((position, phase, from)) => {
                state.phase = phase;
                DataLoss {
                    store: Store::Dataset(d as u32),
                    at: now,
                    cause,
                    rpo: Some(SimTime(last_write.0.saturating_sub(position.0))),
                    lost_span: SimTime::ZERO,
                    lost_writes,
                    censored: false,
                    from: Some(from),
                }
            }
            None => {
                state.phase = Phase::AwaitRestore(Restore::Empty);
                DataLoss {
                    store: Store::Dataset(d as u32),
                    at: now,
                    cause,
                    rpo: None,
                    lost_span: SimTime(last_write.0.saturating_sub(state.created.0)),
                    lost_writes,
                    censored: false,
                    from: None,
                }
            }
        };
        self.core.note(now, node, TraceKind::DataLost { rpo: loss.rpo, lost_writes, from: loss.from });
        self.core.losses.push(loss);
    }

    /// The last instant dataset `d` accepted writes, as of `now`.
    fn last_write(&self, d: usize, now: SimTime) -> SimTime {
        if self.core.nodes[self.dataset(d).node.index()].standby_ok() {
            now
        } else {
            self.data.states[d].down_since
        }
    }

    /// Where replica `j` is: replication stops when either end stops (the unshipped tail stays
    /// on the primary's host), so it holds the writes up to (the earlier of its last instant
    /// in sync and the last write) minus its lag (drawn now for an `Async` lag).
    fn replica_position(&mut self, d: usize, j: usize, now: SimTime, last_write: SimTime) -> SimTime {
        let r = self.data.states[d].replicas[j];
        let lag = match self.dataset(d).replicas[j].lag {
            Some(dist) => self.draw_data(d, LAG, dist),
            None => SimTime::ZERO,
        };
        let synced = if r.in_sync { now } else { r.synced_until };
        SimTime(synced.min(last_write).0.saturating_sub(lag.0))
    }

    /// Standby group `group` began a switch to another member: the datasets it holds re-decide.
    pub(super) fn holder_switched(&mut self, group: usize) {
        for d in 0..self.core.arch.datasets.len() {
            if self.data.states[d].holder as usize == group {
                self.core.pending.dataset(d as u32);
            }
        }
    }

    /// Lets every dataset whose hosts changed re-decide, in name order. Returns whether any
    /// did.
    pub(super) fn settle(&mut self, now: SimTime) -> bool {
        let mut any = false;
        while !self.core.pending.datasets.is_empty() {
            any = true;
            let order = &self.core.prepared.data.by_name;
            let k = (0..self.core.pending.datasets.len())
                .min_by_key(|&k| order.iter().position(|&d| d == self.core.pending.datasets[k]))
                .expect("not empty");
            let d = self.core.pending.datasets.swap_remove(k) as usize;
            self.settle_dataset(d, now);
        }
        any
    }

    fn settle_dataset(&mut self, d: usize, now: SimTime) {
        let node = self.dataset(d).node.index();
        // Start a recovery whose copy (or target) is reachable.
        match self.data.states[d].phase {
            Phase::AwaitPromote(j)
                if self.core.nodes[self.data.states[d].replicas[j as usize].host as usize].up =>
            {
                let t = self.draw_data(d, PROMOTE, self.dataset(d).promote);
                self.data.states[d].phase = Phase::Promoting(j);
                self.core.queue.schedule(self.data_slot(d, SlotKind::Recovery), now.saturating_add(t));
                self.core.note(now, node, TraceKind::DataRecoveryStarted(Label::Promote));
            }
            Phase::AwaitRestore(r) if self.core.nodes[self.restore_target(d, r)].up => {
                let backups = &self.dataset(d).backups;
                let dist = match r {
                    Restore::Backup { chain } => backups[chain as usize].restore,
                    Restore::Empty => backups.first().map_or(Dist::Fixed(SimTime::ZERO), |b| b.restore),
                };
                let t = self.draw_data(d, RESTORE, dist);
                self.data.states[d].phase = Phase::Restoring(r);
                self.core.queue.schedule(self.data_slot(d, SlotKind::Recovery), now.saturating_add(t));
                let label = if r == Restore::Empty { Label::Recreate } else { Label::Restore };
                self.core.note(now, node, TraceKind::DataRecoveryStarted(label));
            }
            _ => {}
        }
        let live = self.data.states[d].phase == Phase::Live;
        let ok = live && self.core.nodes[self.data.states[d].holder as usize].up;
        self.settle_members(d, now, ok);
        let mut resyncing = false;
        for j in 0..self.data.states[d].replicas.len() {
            let r = self.data.states[d].replicas[j];
            let up = self.core.nodes[r.host as usize].up;
            let slot = self.data_slot(d, SlotKind::Resync(j as u32));
            match r.copy {
                Copy::Live => {
                    let r = &mut self.data.states[d].replicas[j];
                    if r.in_sync && !up {
                        r.in_sync = false;
                        r.synced_until = now;
                    } else if !r.in_sync && up && ok {
                        r.in_sync = true; // caught up from the primary's log
                    }
                }
                Copy::Lost if up && ok => {
                    let t = self.draw_data(d, RESYNC, self.dataset(d).resync);
                    let r = &mut self.data.states[d].replicas[j];
                    r.copy = Copy::Resyncing;
                    r.synced_until = now; // re-seeded as of now, and behind from here on
                    self.core.queue.schedule(slot, now.saturating_add(t));
                    resyncing = true;
                }
                Copy::Resyncing if !up => {
                    self.core.queue.remove(slot);
                    self.data.states[d].replicas[j].copy = Copy::Lost;
                }
                Copy::Lost | Copy::Resyncing => {}
            }
        }
        if let Some(g) = self.data.standby_holder(self.core, d).filter(|_| resyncing) {
            self.core.pending.group(g as u32); // a member may have a copy to take over with again
        }
        if self.core.nodes[node].standby_ok() != ok {
            self.core.nodes[node].set_standby_ok(ok);
            if !self.dataset(d).backups.is_empty() {
                self.core.pending.backup(d as u32);
            }
            if ok {
                self.data.states[d].history.start(now);
            } else {
                self.data.states[d].down_since = now;
                self.data.states[d].history.stop(now);
            }
            let blame = if live {
                self.core.cause[self.data.states[d].holder as usize]
            } else {
                self.data.states[d].cause
            };
            self.core.refresh(node as u32, blame);
        }
    }

    /// Where restore `r` goes: its chain's `into`, else the holder (for a recreation: the first
    /// chain's).
    fn restore_target(&self, d: usize, r: Restore) -> usize {
        let backups = &self.dataset(d).backups;
        let chain = match r {
            Restore::Backup { chain } => backups.get(chain as usize),
            Restore::Empty => backups.first(),
        };
        chain.and_then(|b| b.into).map_or(self.data.states[d].holder as usize, |c| c.index())
    }

    /// A data timer in slot `slot` ended at `now`. Records a batch entry for a completed
    /// recovery (so it can label the incident it ends). A timer cancelled or replaced at this
    /// very instant (a loss in the same batch destroyed what it was recovering) does nothing.
    pub(super) fn timer(&mut self, slot: u32, now: SimTime) {
        let (d, kind) = self.core.prepared.data.slots[(slot - self.core.prepared.data.first_slot) as usize];
        let d = d as usize;
        let node = self.dataset(d).node;
        if self.core.queue.time_of(slot).is_some() {
            return; // replaced by a newer timer in this batch
        }
        match kind {
            SlotKind::Recovery => {
                let label = match self.data.states[d].phase {
                    Phase::Promoting(j) => {
                        let state = &mut self.data.states[d];
                        let r = &mut state.replicas[j as usize];
                        std::mem::swap(&mut state.holder, &mut r.host);
                        r.copy = Copy::Lost;
                        r.in_sync = false;
                        Label::Promote
                    }
                    Phase::Restoring(r) => {
                        self.data.states[d].holder = self.restore_target(d, r) as u32;
                        if let Some(g) = self.data.standby_holder(self.core, d) {
                            self.give_copy(d, self.standby.primary_member(g));
                        }
                        if r == Restore::Empty {
                            self.data.states[d].created = now;
                            Label::Recreate
                        } else {
                            Label::Restore
                        }
                    }
                    _ => return, // cancelled in this batch
                };
                self.data.states[d].phase = Phase::Live;
                self.core.note(now, node.index(), TraceKind::Recovered(label));
                let rank = self.core.prepared.name_rank[node.index()];
                self.core.batch.push(Entry::own(Class::DataTimer, rank, node.0, Some(label)));
            }
            SlotKind::Resync(j) => {
                if self.data.states[d].replicas[j as usize].copy != Copy::Resyncing {
                    return; // its copy was destroyed again in this batch
                }
                let r = &mut self.data.states[d].replicas[j as usize];
                r.copy = Copy::Live;
                r.in_sync = false; // settled below
                r.synced_until = now;
                let host = crate::model::ComponentId(r.host);
                self.core.note(now, node.index(), TraceKind::Resynced { host });
            }
        }
        self.core.pending.dataset(d as u32);
    }
}
