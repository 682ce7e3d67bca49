//! The discrete-event engine: one replication of one architecture, pure, no I/O.
//!
//! Owns the semantics of DESIGN.md "Engine semantics":
//! - Time is `SimTime` (integer ms). Every replication starts at t = 0 with every component
//!   up and new. Sampled durations are rounded once to whole ms; a sampled time to failure is
//!   at least 1 ms, so that time always advances between a recovery and the next failure.
//! - *Own* state: a component is own-up iff it has no random failure in progress and no
//!   injection active (injections are an overlay: they take no draws and neither pause nor
//!   restart the failure clock; planned maintenance windows, `maintenance.rs`, are the same
//!   overlay on a schedule). *Effective* state: own-up and at least `k` of its `needs` are
//!   effectively up. One counter per component holds how many of its needs are up; a change
//!   propagates only to the dependents of what changed (a stack, not a sweep).
//! - Failure clocks, repairs and replacements run whatever the dependencies do. `Repair(d)`
//!   starts after the alerting delay (`detect` of the component or its profile, a draw on the
//!   `detect` stream) and once a member of its crew is free, and ends after a draw of `d` on
//!   the `recover` stream; `Replace(detect, launch)` ends after a draw of `detect` on the
//!   `detect` stream plus a draw of `launch` on the `recover` stream. The next time to failure
//!   is drawn when the recovery ends (the component is new again). See `recovery.rs`.
//! - Standby groups (`standby.rs`): one active member, detection, switching, failed starts,
//!   failback, cold passive members whose failure clocks are paused, with those of the
//!   components only passive cold members need (`dormancy.rs`), warm passive members whose
//!   clocks run at a fraction of real time (`warm.rs`); members with a battery
//!   (`battery.rs`) carry the load for a limited runtime, then recharge. At the horizon each
//!   member's time active goes to the observer (what costs are priced on). A maintenance
//!   window on the active member makes its group switch over at once to a healthy member
//!   (planned: no detection, nothing lost).
//! - Failure modes: a component with `modes` draws one time to failure per mode (each on its
//!   own `fail/<mode>` stream) and fails in the earliest; the mode decides its recovery and
//!   whether it destroys data.
//! - Datasets (`data/`): copies on holders, replicas and backup stores; data-losing failures,
//!   realised RPO and lost writes, promote, restore and resync; a standby group holding a
//!   dataset loses what the member it fails over to lacks. A dataset's node is up iff it has a
//!   live primary on an effectively up holder; data-loss events go to the observer.
//! - Events at the same time form one batch; the queue yields them in name order. Inside a
//!   batch, own changes are applied in the order (event class, component name), classes in the
//!   order random failure, battery empty, injection start, maintenance start, random recovery,
//!   battery full, injection end, maintenance end; standby timers come
//!   after them and standby groups react last. The service is evaluated once, after the batch.
//!   A down interval of 0 ms is never an incident (also when a zero-delay failover is decided
//!   over several batches at one instant).
//! - An incident is labelled by how the service came back ([`Label`]), in this order: `failover`
//!   when a standby group the service depends on finished switching, in the batch that ended
//!   it, to another member than the one active when the group went down; `promote`, `restore`
//!   or `recreate` when a dataset the service depends on finished that recovery in that batch
//!   (DR); else the cause's own recovery (`repair`, `replacement`, `injection-end`,
//!   `maintenance-end`) if the
//!   cause's component is back, even if a switch back to the same member then had to complete;
//!   else `dependency` (something else came back first: a redundant member, another
//!   dependency, while the cause is still down).
//! - The cause of an incident is the own failure whose propagation took the service down; all
//!   of the incident's downtime is charged to it. Own failures during the incident (and other
//!   failures in the batch that opened it) of components the service depends on, directly or
//!   not, are its contributing failures; failures elsewhere are not. An incident still open at
//!   the horizon is reported censored, ending at the horizon. An incident caused by a
//!   maintenance window with no other kind of failure contributing is *planned*
//!   ([`Incident::planned`]); the statistics keep it apart.
//! - Random streams come from [`crate::rng`]: one per (seed, replication, component, purpose).
//!
//! [`Prepared`] holds what every replication of an architecture shares (stream keys, the
//! injection schedule, name order) and is computed once per run; each worker thread owns a
//! [`Simulator`], which keeps its buffers between replications.

mod battery;
mod capacity;
mod core;
mod data;
mod dormancy;
mod incidents;
mod maintenance;
mod prepared;
mod queue;
mod queues;
mod recovery;
mod simulator;
mod standby;
mod trace;
mod warm;

pub use data::{DataLoss, Source, Store};
pub use prepared::Prepared;
pub use queue::EventQueue;
pub use simulator::Simulator;
pub use trace::{TraceEvent, TraceKind};

use crate::model::ComponentId;
/// How a component went own-down (defined with the model, which names the modes).
pub use crate::model::Mode;
use crate::time::SimTime;

/// An own failure: the root cause of effective outages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Cause {
    /// The component that failed.
    pub component: ComponentId,
    /// How.
    pub mode: Mode,
}

/// Why a standby group switches members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    /// The active member stopped being healthy and detection ran out (or none was healthy).
    Failover,
    /// Back to a healthy member of higher priority (`failback: true`): planned.
    Failback,
    /// Away from an active member going down for a maintenance window: planned.
    Planned,
}

/// One interval during which the service was down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incident {
    /// When the service went down.
    pub start: SimTime,
    /// When it came back up, or the horizon if `censored`.
    pub end: SimTime,
    /// Still open at the horizon: its duration is a lower bound.
    pub censored: bool,
    /// The own failure that took the service down.
    pub cause: Cause,
    /// Other own failures of components the service depends on, in the batch that opened it
    /// or during it, in order, each once.
    pub contributing: Vec<Cause>,
    /// What ended it; `None` while open and when censored.
    pub label: Option<Label>,
}

/// What ended an incident: how the service came back (see the module docs for the rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    /// A standby group finished switching to another member than the one that was active
    /// when it went down.
    Failover,
    /// A `Replace` recovery of the incident's cause completed.
    Replacement,
    /// A `Repair` of the incident's cause completed (or its battery recharged).
    Repair,
    /// A dataset finished promoting a replica (DR).
    Promote,
    /// A dataset finished restoring a backup (DR).
    Restore,
    /// A dataset that lost every copy was recreated empty (DR).
    Recreate,
    /// The injection that caused it ended.
    InjectionEnd,
    /// The maintenance window that caused it closed.
    MaintenanceEnd,
    /// None of the above: something other than the cause came back first (a redundant
    /// member, another dependency) while the cause was still down.
    Dependency,
}

impl Label {
    /// Every label, in a fixed order (the index of [`Label::index`]).
    pub const ALL: [Label; 9] = [
        Label::Failover,
        Label::Replacement,
        Label::Repair,
        Label::Promote,
        Label::Restore,
        Label::Recreate,
        Label::InjectionEnd,
        Label::MaintenanceEnd,
        Label::Dependency,
    ];

    /// What reports write for an incident with no label: one still open at the horizon.
    pub const OPEN_AT_HORIZON: &'static str = "open at horizon";

    /// The name of `label`, or [`Label::OPEN_AT_HORIZON`] without one.
    pub fn name_or_open(label: Option<Label>) -> &'static str {
        label.map_or(Label::OPEN_AT_HORIZON, Label::name)
    }

    /// Position in [`Label::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The label as written in reports.
    pub fn name(self) -> &'static str {
        match self {
            Label::Failover => "failover",
            Label::Replacement => "replacement",
            Label::Repair => "repair",
            Label::Promote => "promote",
            Label::Restore => "restore",
            Label::Recreate => "recreate",
            Label::InjectionEnd => "injection-end",
            Label::MaintenanceEnd => "maintenance-end",
            Label::Dependency => "dependency",
        }
    }
}

impl Incident {
    /// Length of the incident `[ms]` (up to the horizon if censored).
    pub fn duration(&self) -> SimTime {
        SimTime(self.end.0 - self.start.0)
    }

    /// A planned outage, not an incident of the failure statistics: a maintenance window
    /// caused it and no other kind of failure contributed to it.
    pub fn planned(&self) -> bool {
        self.cause.mode == Mode::Maintenance && self.contributing.iter().all(|c| c.mode == Mode::Maintenance)
    }
}

/// Receives what happens in a replication, as it happens.
pub trait Observer {
    /// An incident ended (or was cut at the horizon).
    fn incident(&mut self, incident: &Incident);

    /// A dataset or a queue lost data.
    fn data_loss(&mut self, _loss: &DataLoss) {}

    /// The consumers of queue link `queue` were back (or the horizon came) after a backlog of
    /// this age built up.
    fn backlog(&mut self, _queue: u32, _age: SimTime) {}

    /// At the horizon, for each standby member: how long it was the active one.
    fn active_time(&mut self, _member: ComponentId, _active: SimTime) {}
}

/// Collects every incident; for tests and traces.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    /// Incidents in the order they ended.
    pub incidents: Vec<Incident>,
    /// Data-loss events in the order they happened.
    pub losses: Vec<DataLoss>,
    /// Backlogs (queue link, age) in the order they ended.
    pub backlogs: Vec<(u32, SimTime)>,
}

impl Observer for Recorder {
    fn incident(&mut self, incident: &Incident) {
        self.incidents.push(incident.clone());
    }

    fn data_loss(&mut self, loss: &DataLoss) {
        self.losses.push(*loss);
    }

    fn backlog(&mut self, queue: u32, age: SimTime) {
        self.backlogs.push((queue, age));
    }
}

/// Run parameters shared by every replication.
#[derive(Clone, Copy, Debug)]
pub struct RunParams {
    /// Master seed.
    pub seed: u64,
    /// Simulated time per replication.
    pub horizon: SimTime,
    /// Random failures on.
    pub random: bool,
}

impl RunParams {
    /// The parameters of a scenario's runs.
    pub fn of(system: &crate::model::System) -> RunParams {
        RunParams { seed: system.seed, horizon: system.horizon, random: system.random }
    }
}

/// Totals of one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Time the service was effectively up `[ms]`.
    pub up: SimTime,
    /// Own failures and recoveries (random and injected) applied before the horizon.
    pub events: u64,
    /// Time the service was up below the `full` capacity of a group it depends on `[ms]`.
    pub degraded: SimTime,
    /// Degraded episodes begun.
    pub degraded_episodes: u64,
}
