//! The intervals of one traced replication: service incidents, component outages and standby
//! phases, rebuilt from its whole event list.
//!
//! Shared by the timeline (which draws them) and the choice of its window (which looks at what
//! overlaps the incident shown). Anything still open at the end of the trace runs to the
//! horizon. An injection that overlaps another injection of the same component is one
//! interval, from the first start to the last end; so is a maintenance window, an overlay too,
//! drawn apart from the component's own failures it may overlap. A dataset is without a primary from its
//! data-loss event until it is recovered (promote, restore); when the loss is recovered by its
//! holder's standby switch instead (no promote or restore started: the copy on the member
//! switched to becomes the primary), until that switch ends, since the trace has no recovery
//! event of the dataset then.

use crate::engine::{Label, Mode, TraceEvent, TraceKind};
use crate::model::Architecture;

/// What a bar shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The service was down.
    Incident,
    /// A random failure (any failure mode).
    Failure,
    /// A standby member failed to start.
    StartFailure,
    /// A scripted injection.
    Injected,
    /// A planned maintenance window.
    Maintenance,
    /// A standby member's battery ran out.
    BatteryEmpty,
    /// A dataset without a live primary copy (its data lost there), until promoted or
    /// restored.
    DataLost,
    /// A standby group noticing its active member is unhealthy.
    Detecting,
    /// A standby group switching members (or failing back).
    Switching,
    /// A standby group with no healthy member.
    NoHealthy,
}

/// Where a bar is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// The service's own row, at the top.
    Service,
    /// A component, by index.
    Component(usize),
}

/// One interval `[from, to)` `[ms]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Its row.
    pub row: Row,
    /// What it shows.
    pub kind: Kind,
    /// Start `[ms]`.
    pub from: u64,
    /// End `[ms]`, the horizon for what was still open.
    pub to: u64,
}

/// An overlay that may stack on one component (injections, maintenance windows): how many are
/// open, and since when the first of them.
#[derive(Clone, Copy, Default)]
struct Overlay {
    open: u32,
    since: u64,
}

impl Overlay {
    /// One more opens at `t`.
    fn open(&mut self, t: u64) {
        if self.open == 0 {
            self.since = t;
        }
        self.open += 1;
    }

    /// One closes: the interval's start once the last one has.
    fn close(&mut self) -> Option<u64> {
        self.open = self.open.saturating_sub(1);
        (self.open == 0).then_some(self.since)
    }

    /// The start of what is still open.
    fn still_open(&self) -> Option<u64> {
        (self.open > 0).then_some(self.since)
    }
}

/// Every non-empty interval of `events` (a replication of `arch` with this `horizon` `[ms]`),
/// in the order they ended.
pub fn rebuild(arch: &Architecture, events: &[TraceEvent], horizon: u64) -> Vec<Span> {
    let n = arch.components.len();
    // For each dataset node: its holder, and whether its loss waits for the holder's switch.
    let mut holder: Vec<Option<usize>> = vec![None; n];
    for d in &arch.datasets {
        holder[d.node.index()] = Some(d.holder.index());
    }
    let mut awaits_switch = vec![false; n];
    let mut own: Vec<Option<(u64, Kind)>> = vec![None; n];
    let mut injected = vec![Overlay::default(); n];
    let mut maintained = vec![Overlay::default(); n];
    let mut battery: Vec<Option<u64>> = vec![None; n];
    let mut group: Vec<Option<(u64, Kind)>> = vec![None; n];
    let mut incident: Option<u64> = None;
    let mut out = Vec::new();
    let mut push = |row, kind, from: u64, to: u64| {
        if to > from {
            out.push(Span { row, kind, from, to });
        }
    };
    for e in events {
        let (t, c) = (e.at.0, e.component.index());
        let row = Row::Component(c);
        match &e.kind {
            TraceKind::Failed(Mode::Injected | Mode::InjectedNamed(_)) => injected[c].open(t),
            TraceKind::Recovered(Label::InjectionEnd) => {
                if let Some(a) = injected[c].close() {
                    push(row, Kind::Injected, a, t);
                }
            }
            TraceKind::Failed(Mode::Maintenance) => maintained[c].open(t),
            TraceKind::Recovered(Label::MaintenanceEnd) => {
                if let Some(a) = maintained[c].close() {
                    push(row, Kind::Maintenance, a, t);
                }
            }
            TraceKind::Failed(Mode::BatteryEmpty) => battery[c] = Some(t),
            TraceKind::Recharged => {
                if let Some(a) = battery[c].take() {
                    push(row, Kind::BatteryEmpty, a, t);
                }
            }
            TraceKind::Failed(mode) => {
                let kind = if *mode == Mode::StartFailure { Kind::StartFailure } else { Kind::Failure };
                own[c] = Some((t, kind));
            }
            // A dataset without a primary is out until it is recovered.
            TraceKind::DataLost { .. } => {
                if own[c].is_none() {
                    own[c] = Some((t, Kind::DataLost));
                }
                awaits_switch[c] = true;
            }
            TraceKind::DataRecoveryStarted(_) => awaits_switch[c] = false,
            TraceKind::Recovered(_) => {
                awaits_switch[c] = false;
                if let Some((a, kind)) = own[c].take() {
                    push(row, kind, a, t);
                }
            }
            TraceKind::DetectionStarted | TraceKind::SwitchStarted { .. } | TraceKind::NoHealthyMember => {
                if let Some((a, kind)) = group[c].take() {
                    push(row, kind, a, t);
                }
                let kind = match e.kind {
                    TraceKind::DetectionStarted => Kind::Detecting,
                    TraceKind::NoHealthyMember => Kind::NoHealthy,
                    _ => Kind::Switching,
                };
                group[c] = Some((t, kind));
            }
            TraceKind::DetectionCancelled | TraceKind::SwitchEnded | TraceKind::SwitchAbandoned => {
                if let Some((a, kind)) = group[c].take() {
                    push(row, kind, a, t);
                }
                if e.kind == TraceKind::SwitchEnded {
                    for d in 0..n {
                        if holder[d] != Some(c) || !awaits_switch[d] {
                            continue;
                        }
                        awaits_switch[d] = false;
                        if let Some((a, Kind::DataLost)) = own[d] {
                            own[d] = None;
                            push(Row::Component(d), Kind::DataLost, a, t);
                        }
                    }
                }
            }
            TraceKind::ServiceDown { .. } => incident = Some(t),
            TraceKind::ServiceUp { .. } => {
                if let Some(a) = incident.take() {
                    push(Row::Service, Kind::Incident, a, t);
                }
            }
            TraceKind::Detected
            | TraceKind::RepairStarted
            | TraceKind::WaitingForCrew
            | TraceKind::Resynced { .. } => {}
        }
    }
    for c in 0..n {
        let row = Row::Component(c);
        if let Some((a, kind)) = own[c] {
            push(row, kind, a, horizon);
        }
        if let Some(a) = injected[c].still_open() {
            push(row, Kind::Injected, a, horizon);
        }
        if let Some(a) = maintained[c].still_open() {
            push(row, Kind::Maintenance, a, horizon);
        }
        if let Some(a) = battery[c] {
            push(row, Kind::BatteryEmpty, a, horizon);
        }
        if let Some((a, kind)) = group[c] {
            push(row, kind, a, horizon);
        }
    }
    if let Some(a) = incident {
        push(Row::Service, Kind::Incident, a, horizon);
    }
    out
}
