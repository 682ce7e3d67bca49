//! Trace events: what happened in one replication, in order, for `faultline trace`.
//!
//! Recording is off by default and costs one branch per event when off. When on, the
//! simulator appends events as it applies them: every own failure (with its mode), detection,
//! repair start, wait for a crew, standby decision, recovery, and the service going down and
//! up (with the incident's cause and what ended it). A trace window
//! ([`super::Simulator::set_trace_window`]) keeps only the events inside it, as they happen, so
//! memory follows the window shown, not the horizon.

use crate::model::ComponentId;
use crate::time::SimTime;

use super::{Cause, Label, Mode, Switch};

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    /// When.
    pub at: SimTime,
    /// The component it happened to (the service for `ServiceDown`/`ServiceUp`).
    pub component: ComponentId,
    /// What.
    pub kind: TraceKind,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceKind {
    /// An own failure began (random, injected, or a failed start).
    Failed(Mode),
    /// An alerting delay ended: the failure is noticed.
    Detected,
    /// A repair began (after alerting and, with a crew, once a member was free).
    RepairStarted,
    /// A repair waits for a free member of its crew.
    WaitingForCrew,
    /// An own failure ended this way (`repair`, `replacement` or `injection-end`).
    Recovered(Label),
    /// A battery finished recharging: its member is healthy again.
    Recharged,
    /// A standby group's active member stopped being healthy: detection began.
    DetectionStarted,
    /// The active member was healthy again before detection ended: no switch.
    DetectionCancelled,
    /// A standby group began switching to this member.
    SwitchStarted {
        /// The member switched to.
        to: ComponentId,
        /// Why: a failover, a failback, or a planned switchover before maintenance.
        kind: Switch,
    },
    /// The switch in progress was given up: the member switched to stopped being healthy.
    SwitchAbandoned,
    /// A switch ended: the member carries the load.
    SwitchEnded,
    /// A standby group has no healthy member to switch to.
    NoHealthyMember,
    /// A dataset lost its primary copy (or the copy it was being recovered from).
    DataLost {
        /// Data lost, measured in time; `None` when no copy survived.
        rpo: Option<SimTime>,
        /// How long the dataset had accepted the writes destroyed (see `DataLoss`).
        lost_writes: SimTime,
        /// What it will be recovered from (`None`: recreated empty).
        from: Option<super::data::Source>,
    },
    /// A dataset's recovery began (`promote` or `restore`).
    DataRecoveryStarted(Label),
    /// A replica of the dataset, on `host`, finished resyncing.
    Resynced {
        /// Where the replica lives.
        host: ComponentId,
    },
    /// The service went down.
    ServiceDown {
        /// The incident's cause.
        cause: Cause,
    },
    /// The service came back up.
    ServiceUp {
        /// What ended the incident.
        label: Label,
        /// How long it was down.
        downtime: SimTime,
    },
}
