//! Degraded capacity: the time the service is up while a group it depends on carries less than
//! its `full` capacity (N+1, static stability: two AZs of three carrying the load or not).
//!
//! A group with `full: AtLeast(k, [..])` (or `All`, `Any`) is below full while fewer than k of
//! the listed components are effectively up, whether the group itself is up or not. The
//! service is *degraded* while it is up and some such group it depends on (directly or not) is
//! below full; while it is down it is in an incident, not degraded. Looked at once per instant,
//! after the instant's batch (the service's state is decided then too): an episode starts when
//! the service becomes degraded and ends when it is up at full capacity again or goes down.
//! Only designs that declare a `full` pay for this (one test per instant otherwise).

use crate::model::Architecture;
use crate::time::SimTime;

use super::core::Node;

/// A group's full capacity: at least `k` of `of` effectively up.
#[derive(Clone, Debug)]
struct Full {
    k: usize,
    of: Vec<u32>,
}

/// The groups with a full capacity that the service depends on, and the degraded time so far.
#[derive(Debug, Default)]
pub(super) struct Capacity {
    full: Vec<Full>,
    /// Degraded since this instant, while degraded.
    since: Option<SimTime>,
    /// Degraded time of the episodes ended `[ms]`.
    degraded_ms: u64,
    /// Episodes started.
    episodes: u64,
}

impl Capacity {
    /// The `full` capacities of `arch`'s groups the service depends on (`serves`).
    pub fn new(arch: &Architecture, serves: &[bool]) -> Capacity {
        let full = arch
            .components
            .iter()
            .zip(serves)
            .filter_map(|(c, &serves)| c.full.as_ref().filter(|_| serves))
            .map(|f| Full { k: f.k as usize, of: f.of.iter().map(|c| c.0).collect() })
            .collect();
        Capacity { full, ..Capacity::default() }
    }

    /// Whether there is anything to watch.
    #[inline]
    pub fn watched(&self) -> bool {
        !self.full.is_empty()
    }

    /// Before a replication.
    pub fn reset(&mut self) {
        self.since = None;
        self.degraded_ms = 0;
        self.episodes = 0;
    }

    /// After the batch of instant `now`, with the service `up` or not.
    pub fn after_batch(&mut self, nodes: &[Node], up: bool, now: SimTime) {
        let below = |f: &Full| f.of.iter().filter(|&&c| nodes[c as usize].up).count() < f.k;
        let degraded = up && self.full.iter().any(below);
        match (self.since, degraded) {
            (None, true) => {
                self.since = Some(now);
                self.episodes += 1;
            }
            (Some(since), false) => {
                self.degraded_ms += now.0 - since.0;
                self.since = None;
            }
            _ => {}
        }
    }

    /// At the horizon: the degraded time `[ms]` and the episodes of the replication.
    pub fn close(&mut self, horizon: SimTime) -> (u64, u64) {
        if let Some(since) = self.since.take() {
            self.degraded_ms += horizon.0 - since.0;
        }
        (self.degraded_ms, self.episodes)
    }
}
