//! Incidents: the intervals during which the service is down, their cause, contributing
//! failures and label (the rules are in the module docs of `engine`).
//!
//! After each batch that leaves the service down or had it down, [`Incidents::after_batch`]
//! opens, extends or closes the incident; one still open at the horizon is closed there,
//! censored.

use crate::model::ComponentId;
use crate::time::SimTime;

use super::core::Entry;
use super::prepared::Class;
use super::simulator::Simulator;
use super::standby::GroupPhase;
use super::{Cause, Incident, Label, Mode, Observer, TraceKind};

/// The incident in progress during a replication, and the downtime of those closed.
#[derive(Debug, Default)]
pub(super) struct Incidents {
    open: Option<Incident>,
    /// While an incident is open: how its cause came back, if it is back.
    cause_back: Option<Label>,
    /// Downtime of the incidents passed to the observer `[ms]`.
    down_total: u64,
}

impl Incidents {
    /// After the batch at `now` in which the service went from `was_up` to `is_up` (not both
    /// up): opens the incident, closes it (passing it to `observer`), or adds the batch's
    /// failures to it.
    pub fn after_batch<O: Observer>(
        &mut self,
        sim: &mut Simulator<'_>,
        now: SimTime,
        was_up: bool,
        is_up: bool,
        observer: &mut O,
    ) {
        let service = sim.core.arch.service.index();
        let serves = &sim.core.prepared.serves;
        let failures = sim
            .core
            .batch
            .iter()
            .filter_map(|e| sim.own_failure(e.class, e.id))
            .filter(|c| serves[c.component.index()]);
        match (was_up, is_up) {
            (true, false) => {
                let cause = sim.core.cause[service];
                let contributing = failures.filter(|c| *c != cause).collect();
                self.open = Some(Incident {
                    start: now,
                    end: now,
                    censored: false,
                    cause,
                    contributing,
                    label: None,
                });
                self.cause_back = None;
                sim.core.note(now, service, TraceKind::ServiceDown { cause });
            }
            (false, true) => {
                let mut incident = self.open.take().expect("an incident is open while the service is down");
                incident.end = now;
                sim.track_cause(incident.cause, &mut self.cause_back);
                incident.label = Some(sim.ending_label(self.cause_back));
                // Down and up again at one instant (a zero-delay failover decided over
                // several batches) is no incident.
                if incident.start < now {
                    self.down_total += incident.duration().0;
                    observer.incident(&incident);
                }
                let (label, downtime) = (incident.label.expect("just set"), incident.duration());
                sim.core.note(now, service, TraceKind::ServiceUp { label, downtime });
            }
            (false, false) => {
                let incident = self.open.as_mut().expect("an incident is open while the service is down");
                sim.track_cause(incident.cause, &mut self.cause_back);
                for c in failures {
                    if c != incident.cause && !incident.contributing.contains(&c) {
                        incident.contributing.push(c);
                    }
                }
            }
            (true, true) => unreachable!("no incident to record"),
        }
    }

    /// Closes an incident still open at `horizon` (censored, passed to `observer`). Returns
    /// the downtime of every incident `[ms]`.
    pub fn close<O: Observer>(mut self, horizon: SimTime, observer: &mut O) -> u64 {
        if let Some(mut incident) = self.open.take() {
            incident.end = horizon;
            incident.censored = true;
            self.down_total += incident.duration().0;
            observer.incident(&incident);
        }
        self.down_total
    }
}

impl Simulator<'_> {
    /// The own failure an entry stands for, if it is one.
    fn own_failure(&self, class: Class, id: u32) -> Option<Cause> {
        let mode = match class {
            Class::RandomFailure | Class::InjectionStart | Class::MaintenanceStart | Class::BatteryEmpty => {
                self.mode_of(class, id)
            }
            Class::StartFailure => Mode::StartFailure,
            _ => return None,
        };
        Some(Cause { component: ComponentId(id), mode })
    }

    /// After a batch during an incident caused by `cause`: `back` becomes how the cause's
    /// component recovered if it did in this batch, and `None` if it is own-down.
    fn track_cause(&self, cause: Cause, back: &mut Option<Label>) {
        let c = cause.component.index();
        let node = &self.core.nodes[c];
        if node.failed() || node.injected() || node.drained() {
            *back = None;
        } else if let Some(label) = self
            .core
            .batch
            .iter()
            .filter_map(Entry::recovery)
            .find(|&(id, _)| id as usize == c)
            .map(|(_, l)| l)
        {
            *back = Some(label);
        }
    }

    /// What ended an incident, by how the service came back in this batch: on another standby
    /// member than the one active when its group went down (`failover`); by a dataset's
    /// promote, restore or recreation (DR); else by its cause's own recovery once the cause is
    /// back (`cause_back`), even if a switch back to the same member then had to complete; else
    /// `dependency`. Only groups and datasets the service depends on count.
    fn ending_label(&self, cause_back: Option<Label>) -> Label {
        let serves = &self.core.prepared.serves;
        let labelled =
            || self.core.batch.iter().filter_map(Entry::recovery).filter(|&(id, _)| serves[id as usize]);
        let switched = |id: u32| {
            let g = self.core.prepared.group_of[id as usize].expect("failovers are standby groups'");
            self.standby.groups[g as usize].phase == GroupPhase::Active
        };
        if labelled().any(|(id, l)| l == Label::Failover && switched(id)) {
            return Label::Failover;
        }
        if let Some((_, label)) =
            labelled().find(|&(_, l)| matches!(l, Label::Promote | Label::Restore | Label::Recreate))
        {
            return label;
        }
        cause_back.unwrap_or(Label::Dependency)
    }
}
