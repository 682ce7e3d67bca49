//! What every replication of one architecture shares, computed once per run.

use crate::dist::Dist;
use crate::model::{Architecture, Recovery};
use crate::rng::{Purpose, stream_key};
use crate::time::SimTime;

use super::RunParams;

/// Event classes, in the order they are applied inside a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Class {
    RandomFailure,
    InjectionStart,
    RandomRecovery,
    InjectionEnd,
}

/// A scripted own change, pre-sorted by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Scripted {
    pub at: SimTime,
    pub class: Class,
    pub component: u32,
}

/// Per-component keys of the streams it uses.
pub(super) struct Keys {
    pub fail: [u8; 32],
    pub recover: [u8; 32],
    pub detect: [u8; 32],
}

/// Stream keys, name ranks and the injection schedule of one architecture.
pub struct Prepared<'a> {
    pub(super) arch: &'a Architecture,
    pub(super) params: RunParams,
    pub(super) keys: Vec<Keys>,
    pub(super) name_rank: Vec<u32>,
    pub(super) scripted: Vec<Scripted>,
    /// Time to failure of each component, contiguous for the event loop.
    pub(super) fail: Vec<Option<Dist>>,
    /// Recovery of each component, contiguous for the event loop.
    pub(super) recover: Vec<Option<Recovery>>,
    /// Whether the service depends on the component, directly or not (or is it): only such
    /// failures are listed as contributing to an incident.
    pub(super) serves: Vec<bool>,
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
            })
            .collect();
        let mut by_name: Vec<u32> = (0..n as u32).collect();
        by_name.sort_by(|&a, &b| arch.components[a as usize].name.cmp(&arch.components[b as usize].name));
        let mut name_rank = vec![0; n];
        for (rank, &id) in by_name.iter().enumerate() {
            name_rank[id as usize] = rank as u32;
        }
        let mut scripted = Vec::new();
        for inj in &arch.injections {
            let end = inj.at.saturating_add(inj.duration);
            scripted.push(Scripted { at: inj.at, class: Class::InjectionStart, component: inj.target.0 });
            scripted.push(Scripted { at: end, class: Class::InjectionEnd, component: inj.target.0 });
        }
        scripted.sort();
        let fail = arch.components.iter().map(|c| c.fail).collect();
        let recover = arch.components.iter().map(|c| c.recover).collect();
        let mut serves = vec![false; n];
        let mut stack = vec![arch.service];
        while let Some(c) = stack.pop() {
            if !std::mem::replace(&mut serves[c.index()], true) {
                stack.extend(arch.components[c.index()].needs.of.iter().copied());
            }
        }
        Prepared { arch, params, keys, name_rank, scripted, fail, recover, serves }
    }

    /// The architecture.
    pub fn arch(&self) -> &'a Architecture {
        self.arch
    }

    /// The run parameters.
    pub fn params(&self) -> RunParams {
        self.params
    }
}
