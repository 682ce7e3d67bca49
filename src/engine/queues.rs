//! Queues between producers and consumers (`needs: Async(queue, consumers)`).
//!
//! The producer needs only the queue, so an outage of its consumers does not take it down:
//! messages wait in the queue instead. A *backlog* lasts from the instant the consumers go
//! down until they are back; its age when they are back is reported per queue (an open backlog
//! at the horizon counts with its age so far). The consumers are assumed to drain a backlog at
//! once when back (decision where the contract is silent: drain time depends on capacity, which
//! the model does not have). Messages older than the queue's `retention` are deleted: a backlog
//! older than that is a data-loss event, at the instant the consumers are back (or at the
//! horizon, where it is censored: a lower bound, left out of the RPO quantiles), with RPO =
//! backlog age - retention, blamed on the failure that took the consumers down.
//!
//! [`Queues`] owns the links' state; propagation marks the links whose consumers flipped
//! (`Pending::queues`), and it settles them from the core's nodes, adding losses to the batch's.

use crate::time::SimTime;

use super::core::Core;
use super::data::{DataLoss, Store};
use super::{Cause, ComponentId, Mode};

/// The queue links during a replication, by index in `Architecture::queues`.
#[derive(Debug, Default)]
pub(super) struct Queues {
    pub states: Vec<QueueState>,
    /// Backlogs (queue link, age) ended in the current batch, passed to the observer after it.
    pub backlogs: Vec<(u32, SimTime)>,
}

/// One queue link during a replication.
#[derive(Clone, Copy, Debug)]
pub(super) struct QueueState {
    /// Since when its consumers are down, if they are.
    down_since: Option<SimTime>,
    /// What took them down.
    cause: Cause,
}

impl Queues {
    /// Every consumer is up at t = 0: no backlog.
    pub fn reset(&mut self, core: &mut Core<'_>) {
        core.pending.queues.clear();
        self.backlogs.clear();
        self.states.clear();
        let none = Cause { component: ComponentId(0), mode: Mode::Failure };
        self.states.extend(core.arch.queues.iter().map(|_| QueueState { down_since: None, cause: none }));
    }

    /// The consumers of the pending queue links changed: start or end their backlogs.
    pub fn settle(&mut self, core: &mut Core<'_>, now: SimTime) {
        while let Some(q) = core.pending.queues.pop() {
            let link = &core.arch.queues[q as usize];
            let consumers = link.consumers.index();
            let up = core.nodes[consumers].up;
            match (self.states[q as usize].down_since, up) {
                (None, false) => {
                    self.states[q as usize] =
                        QueueState { down_since: Some(now), cause: core.cause[consumers] };
                }
                (Some(since), true) => {
                    self.states[q as usize].down_since = None;
                    self.backlog_ended(core, q, since, now, false);
                }
                _ => {}
            }
        }
    }

    /// Backlogs still open at the horizon end there.
    pub fn close(&mut self, core: &mut Core<'_>, horizon: SimTime) {
        for q in 0..self.states.len() {
            if let Some(since) = self.states[q].down_since.take() {
                self.backlog_ended(core, q as u32, since, horizon, true);
            }
        }
    }

    fn backlog_ended(&mut self, core: &mut Core<'_>, q: u32, since: SimTime, now: SimTime, censored: bool) {
        let age = SimTime(now.0 - since.0);
        if age == SimTime::ZERO {
            return;
        }
        self.backlogs.push((q, age));
        let retention = core.arch.queues[q as usize].retention;
        if age > retention {
            core.losses.push(DataLoss {
                store: Store::Queue(q),
                at: now,
                cause: self.states[q as usize].cause,
                rpo: Some(SimTime(age.0 - retention.0)),
                lost_span: SimTime::ZERO,
                // The producer is taken to write throughout: the span of messages deleted.
                lost_writes: SimTime(age.0 - retention.0),
                censored,
                from: None,
            });
        }
    }
}
