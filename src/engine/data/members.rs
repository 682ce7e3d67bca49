//! Datasets held by a standby group: the members' copies, and what a failover loses.
//!
//! The active member holds the primary copy and the other members copies, synchronous unless a
//! replica listed on that member gives its mode (`Async(lag)`). Each member's copy is tracked
//! like a replica's: in sync while the member is up and the dataset accepts writes (a member
//! that comes back while the primary is down stays behind until it is up, then catches up at
//! once), destroyed by a data-losing failure that reaches it, and back once the member is up
//! and the dataset is (a listed replica after its `resync`; any other member at once).
//!
//! Semantics (DESIGN-level rules in the module docs of `engine`):
//! - **A failover loses what the new primary lacks.** When the group switches during an outage
//!   (not a failback, which is planned) to a member whose copy lacks the newest writes (an
//!   `Async` replica, or a member still catching up or resyncing), it is a data-loss event at
//!   the switch, recovered from `failover`: RPO = the last write the old primary accepted -
//!   the newest write the new primary holds (its lag, plus any time it was behind; detection
//!   and switch time are not data). A synchronous member in sync loses nothing: no event.
//! - **Destroying the active member's copy** while another member still has one is a data-loss
//!   event at that instant, recovered from `failover`, measured against the member the group
//!   then fails over to: the first healthy member in priority order holding a copy (with none
//!   healthy, the newest surviving member copy). A synchronous one gives RPO 0, still an
//!   event. The switch that follows records nothing more.
//! - **A member without a copy is not a candidate.** While the primary lives on one member, a
//!   member whose copy was destroyed (and whose resync has not begun) is not healthy for the
//!   group: a database does not take over with no data. The primary is lost, and recovered
//!   like any dataset's, when the group itself is destroyed or every member's copy is.

use crate::time::SimTime;

use super::super::simulator::Simulator;
use super::super::{Cause, TraceKind};
use super::{Copy, DataLoss, Phase, Source, Store};

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

impl Simulator<'_> {
    /// The standby group (by index) holding dataset `d`'s primary, if its holder is still the
    /// group it started on.
    pub(super) fn standby_holder(&self, d: usize) -> Option<usize> {
        let holder = self.data[d].holder as usize;
        if holder != self.arch.datasets[d].holder.index() || self.arch.components[holder].standby.is_none() {
            return None;
        }
        Some(self.prepared.group_of[holder].expect("a standby group") as usize)
    }

    /// Whether member `k` of dataset `d`'s standby holder has no copy.
    pub(super) fn member_lost(&self, d: usize, k: usize) -> bool {
        match self.prepared.data.member_replica[d][k] {
            Some(j) => self.data[d].replicas[j as usize].copy == Copy::Lost,
            None => self.data[d].members[k].lost,
        }
    }

    /// Whether every member of dataset `d`'s standby holder has lost its copy.
    pub(super) fn every_member_lost(&self, d: usize) -> bool {
        (0..self.data[d].members.len()).all(|k| self.member_lost(d, k))
    }

    /// Destroys the copies of the doomed members of `d`'s standby holder that are not listed
    /// replicas (those are destroyed with the replicas). Returns whether any was.
    pub(super) fn destroy_member_copies(&mut self, d: usize, now: SimTime) -> bool {
        let holder = self.arch.datasets[d].holder.index();
        let members = &self.arch.components[holder].standby.as_ref().expect("a standby holder").members;
        let mut touched = false;
        for (k, m) in members.iter().enumerate() {
            if self.prepared.data.member_replica[d][k].is_none() && self.doomed[m.index()] {
                let copy = &mut self.data[d].members[k];
                if copy.in_sync {
                    copy.synced_until = now;
                }
                *copy = MemberCopy { lost: true, in_sync: false, ..*copy };
                touched = true;
            }
        }
        touched
    }

    /// Where member `k`'s copy of `d` is (`None`: it has none); an `Async` lag is drawn.
    fn member_position(&mut self, d: usize, k: usize, now: SimTime, last_write: SimTime) -> Option<SimTime> {
        match self.prepared.data.member_replica[d][k] {
            Some(j) if self.data[d].replicas[j as usize].copy == Copy::Lost => None,
            Some(j) => Some(self.replica_position(d, j as usize, now, last_write)),
            None => {
                let copy = self.data[d].members[k];
                let synced = if copy.in_sync { last_write } else { copy.synced_until.min(last_write) };
                (!copy.lost).then_some(synced)
            }
        }
    }

    /// The active member of `d`'s standby holder lost its copy (the primary) while another
    /// member may still have one: a data-loss event measured against the member the group
    /// fails over to. With no member copy left, the primary is lost.
    pub(super) fn active_member_lost(&mut self, d: usize, now: SimTime, cause: Cause) {
        let g = self.standby_holder(d).expect("a standby holder");
        let last_write = self.last_write(d, now);
        let standby = self.prepared.standby(g);
        let active = self.groups[g].active;
        let member = |k: usize| standby.members[k].index();
        let next = (0..standby.members.len())
            .find(|&k| k != active && self.nodes[member(k)].up && !self.member_lost(d, k));
        let position = match next {
            Some(k) => self.member_position(d, k, now, last_write),
            None => {
                let mut newest = None;
                for k in 0..standby.members.len() {
                    newest = newest.max(self.member_position(d, k, now, last_write));
                }
                newest
            }
        };
        let Some(position) = position else { return self.choose_copy(d, now, cause) };
        self.record_failover_loss(d, now, cause, last_write, position);
    }

    /// Standby group `g` begins switching from member `from` to member `to` during an outage
    /// of `from`: each dataset it holds loses the writes `to` lacks.
    pub(in crate::engine) fn failover_losses(&mut self, g: usize, from: usize, to: usize, now: SimTime) {
        for d in 0..self.data.len() {
            if self.standby_holder(d) != Some(g)
                || self.data[d].phase != Phase::Live
                || self.member_lost(d, from)
            {
                continue; // not held here, being recovered, or its destruction was the event
            }
            let last_write = self.last_write(d, now);
            let Some(position) = self.member_position(d, to, now, last_write) else { continue };
            if position < last_write {
                let from_member = self.prepared.standby(g).members[from].index();
                let cause = self.cause[from_member];
                self.record_failover_loss(d, now, cause, last_write, position);
            }
        }
    }

    fn record_failover_loss(
        &mut self,
        d: usize,
        now: SimTime,
        cause: Cause,
        last_write: SimTime,
        position: SimTime,
    ) {
        let rpo = Some(SimTime(last_write.0.saturating_sub(position.0)));
        let lost_writes = self.data[d].history.destroy_after(Some(position), now);
        let node = self.arch.datasets[d].node.index();
        self.note(now, node, TraceKind::DataLost { rpo, lost_writes, from: Some(Source::Failover) });
        self.losses.push(DataLoss {
            store: Store::Dataset(d as u32),
            at: now,
            cause,
            rpo,
            lost_span: SimTime::ZERO,
            lost_writes,
            censored: false,
            from: Some(Source::Failover),
        });
    }

    /// Brings the copies of `d`'s standby members that are not listed replicas up to date: a
    /// member that stops leaves sync; one that is up while the dataset accepts writes (`ok`)
    /// catches up, or gets a new copy if its own was destroyed (its group may then use it).
    pub(super) fn settle_members(&mut self, d: usize, now: SimTime, ok: bool) {
        let Some(g) = self.standby_holder(d) else { return };
        let mut regained = false;
        for k in 0..self.data[d].members.len() {
            if self.prepared.data.member_replica[d][k].is_some() {
                continue;
            }
            let up = self.nodes[self.prepared.standby(g).members[k].index()].up;
            let copy = &mut self.data[d].members[k];
            if copy.in_sync && !up {
                copy.in_sync = false;
                copy.synced_until = now;
            } else if up && ok && (copy.lost || !copy.in_sync) {
                regained |= copy.lost;
                *copy = MemberCopy { lost: false, in_sync: true, ..*copy };
            }
        }
        if regained {
            self.group_pending_push(g as u32);
        }
    }

    /// Whether member `k` of standby group `g` has no copy of a dataset whose primary lives on
    /// the group: it cannot take over.
    pub(in crate::engine) fn lacks_copy(&self, g: usize, k: usize) -> bool {
        (0..self.data.len()).any(|d| {
            self.data[d].phase == Phase::Live && self.standby_holder(d) == Some(g) && self.member_lost(d, k)
        })
    }
}
