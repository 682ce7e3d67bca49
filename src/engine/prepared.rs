//! What every replication of one architecture shares, computed once per run.

use crate::dist::Dist;
use crate::model::{Architecture, ComponentId, Recovery, Standby};
use crate::rng::{Purpose, Stream, stream_key};
use crate::time::SimTime;

use super::RunParams;

/// Event classes, in the order they are applied inside a batch. Standby timers come last,
/// so a group decides on its members' state after every own change of the instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Class {
    RandomFailure,
    BatteryEmpty,
    InjectionStart,
    /// A planned maintenance window opened (`maintenance.rs`).
    MaintenanceStart,
    RandomRecovery,
    BatteryFull,
    InjectionEnd,
    MaintenanceEnd,
    GroupTimer,
    /// A dataset's timer: a recovery, a resync or a backup (applied after the batch settled).
    DataTimer,
    /// A standby member failed to start (recorded while standby groups decide, after the
    /// batch's own changes).
    StartFailure,
}

/// A scripted own change, pre-sorted by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Scripted {
    pub at: SimTime,
    pub class: Class,
    pub component: u32,
    /// The failure mode an injection names.
    pub mode: Option<u16>,
}

/// The laws of a *plain* component: random failures on, one failure law (no modes), a
/// `Repair` with neither alerting delay nor crew, not a standby group, not a member of one and
/// never dormant. Its own events only alternate failure and repair, each taking its time from
/// the draws made one ahead (`recovery::Ahead`, `Simulator::plain_event`), with the same draws
/// and states as the general path of `recovery.rs`, but for its phase, which its failed bit
/// says (`Cycles::phase` is not kept for it: only the general path, a standby member's clock
/// and a sleeping one's read it, none of which a plain component takes).
#[derive(Clone, Copy, Debug)]
pub(super) struct Plain {
    /// The component.
    pub id: u32,
    /// Time to failure.
    pub fail: Dist,
    /// Repair time.
    pub repair: Dist,
}

impl Plain {
    /// Its next time to failure (at least 1 ms), from its `fail` stream.
    #[inline(always)]
    pub fn draw_time_to_failure(&self, fail: &mut Stream) -> SimTime {
        SimTime(self.fail.sample(fail.next_word()).0.max(1))
    }

    /// Its next repair time, from its `recover` stream.
    #[inline(always)]
    pub fn draw_repair(&self, recover: &mut Stream) -> SimTime {
        self.repair.sample(recover.next_word())
    }
}

/// Per-component keys of the streams it uses.
pub(super) struct Keys {
    pub fail: [u8; 32],
    pub recover: [u8; 32],
    pub detect: [u8; 32],
    pub start: [u8; 32],
}

/// Stream keys, name ranks, the injection schedule and compact per-component laws of one
/// architecture.
pub struct Prepared<'a> {
    pub(super) arch: &'a Architecture,
    pub(super) params: RunParams,
    pub(super) keys: Vec<Keys>,
    /// Rank of each component in name order: the event queue's key, so that ties at one
    /// instant are taken in name order (DESIGN rule 3).
    pub(super) name_rank: Vec<u32>,
    /// Component id of each rank.
    pub(super) by_rank: Vec<u32>,
    pub(super) scripted: Vec<Scripted>,
    /// Time to failure of each component, contiguous for the event loop.
    pub(super) fail: Vec<Option<Dist>>,
    /// Recovery of each component, contiguous for the event loop.
    pub(super) recover: Vec<Option<Recovery>>,
    /// Alerting delay before each component's repair.
    pub(super) alert: Vec<Option<Dist>>,
    /// Crew of each component's repair.
    pub(super) crew: Vec<Option<u32>>,
    /// The laws of each plain component (see [`Plain`]), by name rank (its queue slot), so
    /// that the event loop finds them from the slot in one lookup.
    pub(super) plain: Vec<Option<Plain>>,
    /// For component `i`, `dependents[i]` are the components that list it in their `needs`
    /// (the architecture's adjacency, one slice each: one lookup and no range to check for the
    /// propagation loop).
    dependents: Vec<Box<[u32]>>,

    /// Whether the service depends on the component, directly or not (or is it): only such
    /// failures are listed as contributing to an incident.
    pub(super) serves: Vec<bool>,
    /// For each standby group (by index), its component id.
    pub(super) groups: Vec<ComponentId>,
    /// Standby group index of each component, if it is one.
    pub(super) group_of: Vec<Option<u32>>,
    /// For component `i`, `watchers[watcher_starts[i]..watcher_starts[i + 1]]` are the standby
    /// groups (by index) it is a member of.
    pub(super) watchers: Vec<u32>,
    pub(super) watcher_starts: Vec<u32>,
    /// For each component, the battery members that recharge from it (`charges_from`).
    pub(super) charging: Vec<Vec<u32>>,
    /// Stream keys of each component's failure modes (`fail/<mode>`), empty without modes.
    pub(super) mode_keys: Vec<Vec<[u8; 32]>>,
    /// Datasets' timers and destruction sets.
    pub(super) data: super::data::DataPlan,
    /// The components that sleep with passive cold members.
    pub(super) dormancy: super::dormancy::DormancyPlan,
    /// For component `i`, `consumer_links[consumer_starts[i]..consumer_starts[i + 1]]` are the
    /// queue links (by index) it is the consumers of.
    consumer_links: Vec<u32>,
    consumer_starts: Vec<u32>,
}

impl<'a> Prepared<'a> {
    /// Derives the stream keys of every component and sorts the injection schedule.
    pub fn new(arch: &'a Architecture, params: RunParams) -> Prepared<'a> {
        let n = arch.components.len();
        let keys = arch
            .components
            .iter()
            .map(|c| Keys {
                fail: stream_key(params.seed, &c.name, Purpose::Fail),
                recover: stream_key(params.seed, &c.name, Purpose::Recover),
                detect: stream_key(params.seed, &c.name, Purpose::Detect),
                start: stream_key(params.seed, &c.name, Purpose::Start),
            })
            .collect();
        let mut by_rank: Vec<u32> = (0..n as u32).collect();
        by_rank.sort_by(|&a, &b| arch.components[a as usize].name.cmp(&arch.components[b as usize].name));
        let mut name_rank = vec![0; n];
        for (rank, &id) in by_rank.iter().enumerate() {
            name_rank[id as usize] = rank as u32;
        }
        let mut scripted = Vec::new();
        for inj in &arch.injections {
            let end = inj.at.saturating_add(inj.duration);
            let (component, mode) = (inj.target.0, inj.mode);
            scripted.push(Scripted { at: inj.at, class: Class::InjectionStart, component, mode });
            scripted.push(Scripted { at: end, class: Class::InjectionEnd, component, mode });
        }
        scripted.sort();
        let fail = arch.components.iter().map(|c| c.fail).collect();
        let recover = arch.components.iter().map(|c| c.recover).collect();
        let alert = arch.components.iter().map(|c| c.alert).collect();
        let crew = arch.components.iter().map(|c| c.crew.map(|c| c.0)).collect();

        let mut serves = vec![false; n];
        let mut stack = vec![arch.service];
        while let Some(c) = stack.pop() {
            if !std::mem::replace(&mut serves[c.index()], true) {
                stack.extend(arch.components[c.index()].inputs());
            }
        }
        let mut groups = Vec::new();
        let mut group_of = vec![None; n];
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, c) in arch.components.iter().enumerate() {
            if let Some(standby) = &c.standby {
                let g = groups.len() as u32;
                group_of[i] = Some(g);
                groups.push(ComponentId(i as u32));
                for m in &standby.members {
                    lists[m.index()].push(g);
                }
            }
        }
        let mut watchers = Vec::new();
        let mut watcher_starts = Vec::with_capacity(n + 1);
        for list in &lists {
            watcher_starts.push(watchers.len() as u32);
            watchers.extend_from_slice(list);
        }
        watcher_starts.push(watchers.len() as u32);
        let mut charging = vec![Vec::new(); n];
        for (i, c) in arch.components.iter().enumerate() {
            for source in &c.charges_from {
                charging[source.index()].push(i as u32);
            }
        }
        let mode_keys = arch
            .components
            .iter()
            .map(|c| {
                c.modes
                    .iter()
                    .map(|m| crate::rng::named_stream_key(params.seed, &c.name, &format!("fail/{}", m.name)))
                    .collect()
            })
            .collect();
        let data = super::data::DataPlan::new(arch, params.seed);
        let dormancy = super::dormancy::DormancyPlan::new(arch, &data.hosts);
        let mut consumed: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (q, link) in arch.queues.iter().enumerate() {
            consumed[link.consumers.index()].push(q as u32);
        }
        let mut consumer_links = Vec::new();
        let mut consumer_starts = Vec::with_capacity(n + 1);
        for list in &consumed {
            consumer_starts.push(consumer_links.len() as u32);
            consumer_links.extend_from_slice(list);
        }
        consumer_starts.push(consumer_links.len() as u32);
        let plain = by_rank
            .iter()
            .map(|&id| (id as usize, &arch.components[id as usize]))
            .map(|(i, c)| match (c.fail, c.recover) {
                (Some(fail), Some(Recovery::Repair(repair)))
                    if params.random
                        && c.modes.is_empty()
                        && c.alert.is_none()
                        && c.crew.is_none()
                        && c.standby.is_none()
                        && lists[i].is_empty()
                        && !dormancy.may_sleep(i) =>
                {
                    Some(Plain { id: i as u32, fail, repair })
                }
                _ => None,
            })
            .collect();
        let dependents = arch
            .dependent_starts
            .windows(2)
            .map(|w| arch.dependents[w[0] as usize..w[1] as usize].iter().map(|d| d.0).collect())
            .collect();
        Prepared {
            plain,
            dependents,
            arch,
            params,
            mode_keys,
            data,
            dormancy,
            consumer_links,
            consumer_starts,
            keys,
            name_rank,
            by_rank,
            scripted,
            fail,
            recover,
            alert,
            crew,
            serves,
            groups,
            group_of,
            watchers,
            watcher_starts,
            charging,
        }
    }

    /// The architecture.
    pub fn arch(&self) -> &'a Architecture {
        self.arch
    }

    /// The run parameters.
    pub fn params(&self) -> RunParams {
        self.params
    }

    /// Number of repair crews.
    pub(super) fn crew_count(&self) -> usize {
        self.arch.crews.len()
    }

    /// The queue links (by index) whose consumers `id` is.
    pub(super) fn consumer_links_of(&self, id: usize) -> &[u32] {
        &self.consumer_links[self.consumer_starts[id] as usize..self.consumer_starts[id + 1] as usize]
    }

    /// The components that list `id` in their `needs`.
    #[inline]
    pub(super) fn dependents_of(&self, id: u32) -> &[u32] {
        &self.dependents[id as usize]
    }

    /// The standby groups (by index) that `id` is a member of.
    pub(super) fn watchers_of(&self, id: usize) -> &[u32] {
        &self.watchers[self.watcher_starts[id] as usize..self.watcher_starts[id + 1] as usize]
    }

    /// The standby definition of group `g`.
    pub(super) fn standby(&self, g: usize) -> &'a Standby {
        self.arch.components[self.groups[g].index()].standby.as_ref().expect("groups are standby groups")
    }
}
