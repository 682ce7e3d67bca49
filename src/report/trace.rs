//! `faultline trace` renderers: one replication's timeline as text or JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::format::duration_s;
use super::layout::{Align, columns};
use crate::engine::{
    Cause, Incident, Observer, Prepared, RunParams, Simulator, Switch, TraceEvent, TraceKind,
};
use crate::metrics::ScenarioId;
use crate::model::Architecture;
use crate::rng::STREAM_VERSION;
use crate::time::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, SimTime};

/// A replication's timeline and totals.
#[derive(Clone, Debug)]
pub struct Trace<'a> {
    /// The scenario.
    pub scenario: ScenarioId,
    /// Master seed.
    pub seed: u64,
    /// Version of the random streams.
    pub stream_version: u32,
    /// The architecture traced.
    pub arch: &'a Architecture,
    /// The replication traced.
    pub replication: u64,
    /// Simulated time per replication.
    pub horizon: SimTime,
    /// The window shown, `[from, to)`.
    pub window: (SimTime, SimTime),
    /// Every event of the replication, in order.
    pub events: Vec<TraceEvent>,
    /// Incidents of the replication (censored included), over the whole horizon.
    pub incidents: u64,
    /// Service up-time over the whole horizon.
    pub up: SimTime,
}

impl<'a> Trace<'a> {
    /// Replication `replication` of `arch`, simulated again with tracing on, keeping the
    /// events of `window`.
    pub fn of(
        scenario: ScenarioId,
        arch: &'a Architecture,
        params: RunParams,
        replication: u64,
        window: (SimTime, SimTime),
    ) -> Trace<'a> {
        let prepared = Prepared::new(arch, params);
        let mut sim = Simulator::new(&prepared);
        sim.set_tracing(true);
        sim.set_trace_window(window.0, window.1);
        let mut incidents = IncidentCount(0);
        let summary = sim.run(replication, &mut incidents);
        Trace {
            scenario,
            seed: params.seed,
            stream_version: STREAM_VERSION,
            arch,
            replication,
            horizon: params.horizon,
            window,
            events: sim.take_trace(),
            incidents: incidents.0,
            up: summary.up,
        }
    }
}

/// Counts the replication's incidents (censored included).
struct IncidentCount(u64);

impl Observer for IncidentCount {
    fn incident(&mut self, _incident: &Incident) {
        self.0 += 1;
    }
}

/// `12d 04:13:22.120`.
pub fn clock(t: SimTime) -> String {
    let ms = t.0;
    format!(
        "{}d {:02}:{:02}:{:02}.{:03}",
        ms / MS_PER_DAY,
        ms % MS_PER_DAY / MS_PER_HOUR,
        ms % MS_PER_HOUR / MS_PER_MINUTE,
        ms % MS_PER_MINUTE / MS_PER_SECOND,
        ms % MS_PER_SECOND
    )
}

fn name(arch: &Architecture, c: crate::model::ComponentId) -> &str {
    &arch.components[c.index()].name
}

fn problem(arch: &Architecture, cause: Cause) -> String {
    format!(
        "{}/{}",
        name(arch, cause.component),
        arch.components[cause.component.index()].mode_name(cause.mode)
    )
}

/// The event as words.
fn describe(arch: &Architecture, e: &TraceEvent) -> String {
    let mode_name = |mode| arch.components[e.component.index()].mode_name(mode);
    match &e.kind {
        TraceKind::Failed(mode) => format!("own failure ({})", mode_name(*mode)),
        TraceKind::DataLost { rpo: Some(rpo), lost_writes, from } => format!(
            "DATA LOST: RPO {}, {} of writes destroyed, {}",
            duration_s(rpo.0 as f64 / 1000.0),
            duration_s(lost_writes.0 as f64 / 1000.0),
            match from {
                Some(crate::engine::Source::Replica) => "recovering from a replica",
                Some(crate::engine::Source::Failover) => "the member failed over to lacks them",
                _ => "recovering from a backup",
            }
        ),
        TraceKind::DataLost { rpo: None, lost_writes, .. } => format!(
            "DATA LOST: no copy survived (unrecoverable), {} of writes destroyed",
            duration_s(lost_writes.0 as f64 / 1000.0)
        ),
        TraceKind::DataRecoveryStarted(label) => format!("{} started", label.name()),
        TraceKind::Resynced { host } => format!("replica on {} resynced", name(arch, *host)),
        TraceKind::Detected => "failure noticed (alerting delay over)".into(),
        TraceKind::RepairStarted => "repair started".into(),
        TraceKind::WaitingForCrew => "repair waits for its crew".into(),
        TraceKind::Recovered(label) => format!("recovered ({})", label.name()),
        TraceKind::Recharged => "battery recharged".into(),
        TraceKind::DetectionStarted => "active member unhealthy: detection started".into(),
        TraceKind::DetectionCancelled => "active member healthy again: no switch".into(),
        TraceKind::SwitchStarted { to, kind } => {
            let what = match kind {
                Switch::Failover => "switch",
                Switch::Failback => "failback",
                Switch::Planned => "planned switchover",
            };
            format!("{what} to {} started", name(arch, *to))
        }
        TraceKind::SwitchAbandoned => "switch abandoned: target unhealthy".into(),
        TraceKind::SwitchEnded => "switch ended".into(),
        TraceKind::NoHealthyMember => "no healthy member".into(),
        TraceKind::ServiceDown { cause } => format!("SERVICE DOWN, cause {}", problem(arch, *cause)),
        TraceKind::ServiceUp { label, downtime } => {
            format!("SERVICE UP after {} ({})", duration_s(downtime.0 as f64 / 1000.0), label.name())
        }
    }
}

fn shown<'t>(trace: &'t Trace<'_>) -> impl Iterator<Item = &'t TraceEvent> {
    trace.events.iter().filter(|e| e.at >= trace.window.0 && e.at < trace.window.1)
}

/// The timeline as aligned text.
pub fn render_text(trace: &Trace<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: architecture {}, replication {} (seed {}, horizon {}, stream v{})",
        trace.scenario.name,
        trace.arch.name,
        trace.replication,
        trace.seed,
        trace.horizon,
        trace.stream_version
    );
    if trace.window != (SimTime::ZERO, trace.horizon) {
        let _ = writeln!(out, "events from {} to {}", clock(trace.window.0), clock(trace.window.1));
    }
    out.push('\n');
    let mut rows = vec![["time", "component", "event"].map(String::from).to_vec()];
    for e in shown(trace) {
        rows.push(vec![clock(e.at), name(trace.arch, e.component).to_string(), describe(trace.arch, e)]);
    }
    out.push_str(&columns(&rows, &[Align::Right, Align::Left, Align::Left], ""));
    let down = trace.horizon.0 - trace.up.0;
    let _ = writeln!(
        out,
        "\nreplication {}: {} incident{}, downtime {}, availability {:.6}",
        trace.replication,
        trace.incidents,
        if trace.incidents == 1 { "" } else { "s" },
        duration_s(down as f64 / 1000.0),
        trace.up.0 as f64 / trace.horizon.0 as f64
    );
    out
}

#[derive(Serialize)]
struct JsonTrace<'a> {
    schema: u32,
    faultline: &'static str,
    stream_version: u32,
    scenario: &'a ScenarioId,
    seed: u64,
    architecture: &'a str,
    replication: u64,
    horizon_h: f64,
    window_h: [f64; 2],
    events: Vec<JsonEvent>,
    incidents: u64,
    downtime_h: f64,
    availability: f64,
}

#[derive(Serialize)]
struct JsonEvent {
    t_ms: u64,
    component: String,
    event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    downtime_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rpo_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lost_writes_s: Option<f64>,
}

/// The timeline as JSON (pretty, trailing newline).
pub fn render_json(trace: &Trace<'_>) -> String {
    let arch = trace.arch;
    let events = shown(trace)
        .map(|e| {
            let mut j = JsonEvent {
                t_ms: e.at.0,
                component: name(arch, e.component).to_string(),
                event: "",
                mode: None,
                to: None,
                cause: None,
                label: None,
                downtime_s: None,
                rpo_s: None,
                lost_writes_s: None,
            };
            j.event = match &e.kind {
                TraceKind::Failed(mode) => {
                    j.mode = Some(arch.components[e.component.index()].mode_name(*mode));
                    "failed"
                }
                TraceKind::DataLost { rpo, lost_writes, from } => {
                    j.rpo_s = rpo.map(|t| t.0 as f64 / 1000.0);
                    j.lost_writes_s = Some(lost_writes.0 as f64 / 1000.0);
                    j.label = Some(from.map_or("unrecoverable", crate::engine::Source::name));
                    "data_lost"
                }
                TraceKind::DataRecoveryStarted(label) => {
                    j.label = Some(label.name());
                    "recovery_started"
                }
                TraceKind::Resynced { host } => {
                    j.to = Some(name(arch, *host).to_string());
                    "resynced"
                }
                TraceKind::Detected => "detected",
                TraceKind::Recharged => "recharged",
                TraceKind::RepairStarted => "repair_started",
                TraceKind::WaitingForCrew => "waiting_for_crew",
                TraceKind::Recovered(label) => {
                    j.label = Some(label.name());
                    "recovered"
                }
                TraceKind::DetectionStarted => "detection_started",
                TraceKind::DetectionCancelled => "detection_cancelled",
                TraceKind::SwitchStarted { to, kind } => {
                    j.to = Some(name(arch, *to).to_string());
                    match kind {
                        Switch::Failover => "switch_started",
                        Switch::Failback => "failback_started",
                        Switch::Planned => "planned_switchover_started",
                    }
                }
                TraceKind::SwitchAbandoned => "switch_abandoned",
                TraceKind::SwitchEnded => "switch_ended",
                TraceKind::NoHealthyMember => "no_healthy_member",
                TraceKind::ServiceDown { cause } => {
                    j.cause = Some(problem(arch, *cause));
                    "service_down"
                }
                TraceKind::ServiceUp { label, downtime } => {
                    j.label = Some(label.name());
                    j.downtime_s = Some(downtime.0 as f64 / 1000.0);
                    "service_up"
                }
            };
            j
        })
        .collect();
    let hours = |t: SimTime| t.0 as f64 / MS_PER_HOUR as f64;
    let json = JsonTrace {
        schema: 1,
        faultline: env!("CARGO_PKG_VERSION"),
        stream_version: trace.stream_version,
        scenario: &trace.scenario,
        seed: trace.seed,
        architecture: &arch.name,
        replication: trace.replication,
        horizon_h: hours(trace.horizon),
        window_h: [hours(trace.window.0), hours(trace.window.1)],
        events,
        incidents: trace.incidents,
        downtime_h: hours(SimTime(trace.horizon.0 - trace.up.0)),
        availability: trace.up.0 as f64 / trace.horizon.0 as f64,
    };
    let mut text = serde_json::to_string_pretty(&json).expect("trace serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fire of the DR fixture in the design restored from its daily backup.
    fn fire(window: (SimTime, SimTime)) -> String {
        let system = crate::model::compile_str(&crate::report::fixture::dr().replace("OBJECTIVES", ""))
            .unwrap()
            .system;
        let arch = system.architectures.iter().find(|a| a.name == "backup-only").unwrap();
        let scenario = ScenarioId { name: system.name.clone(), sha256: "0".repeat(64) };
        let trace = Trace::of(scenario, arch, RunParams::of(&system), 0, window);
        render_text(&trace) + &render_json(&trace)
    }

    #[test]
    fn text_and_json_of_a_restore_from_backup() {
        insta::assert_snapshot!(fire((SimTime::ZERO, SimTime(720 * MS_PER_HOUR))));
    }

    #[test]
    fn a_window_keeps_its_events_and_the_totals_of_the_whole_replication() {
        insta::assert_snapshot!(fire((SimTime(245 * MS_PER_HOUR), SimTime(246 * MS_PER_HOUR))));
    }
}
