//! Datasets held by a standby group: the members' copies, and what a failover loses.
//!
//! The group's *primary member* holds the primary copy: the active member while the group is
//! up, and while it is down (detecting, switching, or with no healthy member) the member that
//! was active when it went down: a member being switched to has accepted no write yet. The
//! other members hold copies, synchronous unless a replica listed on that member gives its mode
//! (`Async(lag)`). Each member's copy is tracked like a replica's: in sync while the member is
//! up and the dataset accepts writes (a member that comes back while the primary is down stays
//! behind until it is up, then catches up at once), destroyed by a data-losing failure that
//! reaches it, and back once the member is up and the dataset is (a listed replica after its
//! `resync`; any other member at once).
//!
//! Semantics (DESIGN-level rules in the module docs of `engine`):
//! - **A failover loses what the new primary lacks.** When a switch that is not planned (a
//!   failback, or a switchover before a maintenance window) ends on another member than the primary member, each dataset the
//!   group holds loses the writes the new active member lacks: a data-loss event at the end of
//!   the switch, recovered from `failover`, with RPO = the last write the old primary accepted
//!   minus the newest write the new one holds (its lag, plus any time it was behind or
//!   resyncing; detection and switch time are not data). A synchronous member in sync loses nothing: no
//!   event. A switch abandoned on the way loses nothing by itself: only the member the group
//!   ends on counts.
//! - **Destroying the primary member's copy** while another member still has one is a
//!   data-loss event at that instant, recovered from `failover`, whose RPO is measured when the
//!   group's next switch ends, against the member it ends on (RPO 0 for a synchronous one, still
//!   an event). If every member's copy is lost first, the dataset's primary is lost and
//!   recovered like any dataset's, in one event. Still pending at the horizon, it is counted
//!   censored, against the newest surviving member copy.
//! - **A member without a copy is not a candidate** while another member has one: a database
//!   does not take over with no data. A restore or recreation into the group gives its primary
//!   member the copy.

use crate::time::SimTime;

use super::super::core::Core;
use super::super::{Cause, TraceKind};
use super::{Copy, Data, DataLoss, DataView, Phase, Source, Store};

/// The copy on a member of a standby holder that is not a listed replica (synchronous).
#[derive(Clone, Copy, Debug)]
pub(in crate::engine) struct MemberCopy {
    /// Destroyed, not yet back.
    lost: bool,
    /// Holds every write as of now.
    in_sync: bool,
    /// While not in sync: the instant up to which it holds the writes.
    synced_until: SimTime,
}

impl Default for MemberCopy {
    fn default() -> MemberCopy {
        MemberCopy { lost: false, in_sync: true, synced_until: SimTime::ZERO }
    }
}

/// A destruction of the primary member's copy, waiting for the switch that measures it.
#[derive(Clone, Copy, Debug)]
pub(in crate::engine) struct PendingLoss {
    at: SimTime,
    cause: Cause,
    last_write: SimTime,
}

impl Data {
    /// The standby group (by index) holding dataset `d`'s primary, if its holder is still the
    /// group it started on.
    pub fn standby_holder(&self, core: &Core<'_>, d: usize) -> Option<usize> {
        let holder = self.states[d].holder as usize;
        if holder != core.arch.datasets[d].holder.index() || core.arch.components[holder].standby.is_none() {
            return None;
        }
        Some(core.prepared.group_of[holder].expect("a standby group") as usize)
    }

    /// Whether member `k` of dataset `d`'s standby holder has no copy.
    pub fn member_lost(&self, core: &Core<'_>, d: usize, k: usize) -> bool {
        match core.prepared.data.member_replica[d][k] {
            Some(j) => self.states[d].replicas[j as usize].copy == Copy::Lost,
            None => self.states[d].members[k].lost,
        }
    }

    /// Whether every member of dataset `d`'s standby holder has lost its copy.
    pub fn every_member_lost(&self, core: &Core<'_>, d: usize) -> bool {
        (0..self.states[d].members.len()).all(|k| self.member_lost(core, d, k))
    }

    /// Whether member `k` of standby group `g` has no copy of a dataset whose primary lives on
    /// the group while another member has one: it cannot take over.
    pub fn lacks_copy(&self, core: &Core<'_>, g: usize, k: usize) -> bool {
        (0..self.states.len()).any(|d| {
            self.states[d].phase == Phase::Live
                && self.standby_holder(core, d) == Some(g)
                && self.member_lost(core, d, k)
                && !self.every_member_lost(core, d)
        })
    }
}

impl DataView<'_, '_> {
    /// Destroys the copies of the doomed members of `d`'s standby holder that are not listed
    /// replicas (those are destroyed with the replicas). Returns whether any was.
    pub(super) fn destroy_member_copies(&mut self, d: usize, now: SimTime) -> bool {
        let holder = self.core.arch.datasets[d].holder.index();
        let members = &self.core.arch.components[holder].standby.as_ref().expect("a standby holder").members;
        let mut touched = false;
        for (k, m) in members.iter().enumerate() {
            if self.core.prepared.data.member_replica[d][k].is_none() && self.data.doomed[m.index()] {
                let copy = &mut self.data.states[d].members[k];
                if copy.in_sync {
                    copy.synced_until = now;
                }
                *copy = MemberCopy { lost: true, in_sync: false, ..*copy };
                touched = true;
            }
        }
        touched
    }

    /// Member `k` of `d`'s standby holder holds the primary again (a restore or recreation
    /// into the group ended): its copy is back and in sync.
    pub(super) fn give_copy(&mut self, d: usize, k: usize) {
        match self.core.prepared.data.member_replica[d][k] {
            Some(j) => {
                let slot = self.data_slot(d, super::SlotKind::Resync(j));
                self.core.queue.remove(slot);
                let r = &mut self.data.states[d].replicas[j as usize];
                r.copy = Copy::Live;
                r.in_sync = true;
            }
            None => self.data.states[d].members[k] = MemberCopy::default(),
        }
    }

    /// Where member `k`'s copy of `d` is (`None`: it has none); an `Async` lag is drawn.
    fn member_position(&mut self, d: usize, k: usize, now: SimTime, last_write: SimTime) -> Option<SimTime> {
        match self.core.prepared.data.member_replica[d][k] {
            Some(j) if self.data.states[d].replicas[j as usize].copy == Copy::Lost => None,
            Some(j) => Some(self.replica_position(d, j as usize, now, last_write)),
            None => {
                let copy = self.data.states[d].members[k];
                let synced = if copy.in_sync { last_write } else { copy.synced_until.min(last_write) };
                (!copy.lost).then_some(synced)
            }
        }
    }

    /// The primary member's copy of `d` was destroyed while another member has one: a
    /// data-loss event, measured when the group's next switch ends.
    pub(super) fn primary_member_lost(&mut self, d: usize, now: SimTime, cause: Cause) {
        let last_write = self.last_write(d, now);
        self.data.states[d].pending = Some(PendingLoss { at: now, cause, last_write });
    }

    /// Standby group `g` finished a switch: each dataset it holds loses what the member now
    /// active lacks against the member that held the primary (see the module docs).
    pub(in crate::engine) fn switch_ended(&mut self, g: usize, now: SimTime) {
        let (from, to, planned) =
            (self.standby.groups[g].down_from, self.standby.groups[g].active, self.standby.groups[g].planned);
        for d in 0..self.data.states.len() {
            if self.data.standby_holder(self.core, d) != Some(g) || self.data.states[d].phase != Phase::Live {
                continue;
            }
            let pending = self.data.states[d].pending.take();
            if pending.is_none() && (from == to || planned) {
                continue;
            }
            let from_member = self.core.prepared.standby(g).members[from].index();
            let (at, cause, last_write) = match pending {
                Some(p) => (p.at, p.cause, p.last_write),
                None => (now, self.core.cause[from_member], self.last_write(d, now)),
            };
            let Some(position) = self.member_position(d, to, now, last_write) else { continue };
            if pending.is_some() || position < last_write {
                self.record_failover_loss(d, (at, now), cause, last_write, position, false);
            }
        }
    }

    /// At the horizon: a destruction still waiting for its switch is counted, censored,
    /// against the newest surviving member copy.
    pub(in crate::engine) fn close_pending_losses(&mut self, horizon: SimTime) {
        for d in 0..self.data.states.len() {
            let Some(p) = self.data.states[d].pending.take() else { continue };
            let mut newest = None;
            for k in 0..self.data.states[d].members.len() {
                newest = newest.max(self.member_position(d, k, horizon, p.last_write));
            }
            if let Some(position) = newest {
                self.record_failover_loss(d, (p.at, horizon), p.cause, p.last_write, position, true);
            }
        }
    }

    /// Records a loss recovered by a failover, `at.0` when it happened, noted at `at.1`.
    fn record_failover_loss(
        &mut self,
        d: usize,
        at: (SimTime, SimTime),
        cause: Cause,
        last_write: SimTime,
        position: SimTime,
        censored: bool,
    ) {
        let rpo = Some(SimTime(last_write.0.saturating_sub(position.0)));
        let lost_writes = self.data.states[d].history.destroy_after(Some(position), at.1);
        let node = self.core.arch.datasets[d].node.index();
        self.core.note(at.1, node, TraceKind::DataLost { rpo, lost_writes, from: Some(Source::Failover) });
        self.core.losses.push(DataLoss {
            store: Store::Dataset(d as u32),
            at: at.0,
            cause,
            rpo,
            lost_span: SimTime::ZERO,
            lost_writes,
            censored,
            from: Some(Source::Failover),
        });
    }

    /// Brings the copies of `d`'s standby members that are not listed replicas up to date: a
    /// member that stops leaves sync; one that is up while the dataset accepts writes (`ok`)
    /// catches up, or gets a new copy if its own was destroyed (its group may then use it).
    pub(super) fn settle_members(&mut self, d: usize, now: SimTime, ok: bool) {
        let Some(g) = self.data.standby_holder(self.core, d) else { return };
        let mut regained = false;
        for k in 0..self.data.states[d].members.len() {
            if self.core.prepared.data.member_replica[d][k].is_some() {
                continue;
            }
            let up = self.core.nodes[self.core.prepared.standby(g).members[k].index()].up;
            let copy = &mut self.data.states[d].members[k];
            if copy.in_sync && !up {
                copy.in_sync = false;
                copy.synced_until = now;
            } else if up && ok && (copy.lost || !copy.in_sync) {
                regained |= copy.lost;
                *copy = MemberCopy { lost: false, in_sync: true, ..*copy };
            }
        }
        if regained {
            self.core.pending.group(g as u32);
        }
    }
}
