//! Which incident a timeline shows, and the window of time around it.
//!
//! The choice ([`Pick::Default`]), decided here because the contract is silent:
//! 1. An architecture with scripted injections: the longest incident of replication 0 that
//!    overlaps an injection (`[at, at + duration)` of any target). That is the story the
//!    scenario scripted; injections happen at the same time in every replication, and
//!    replication 0 is the one `faultline trace` shows by default. An incident during an
//!    injection counts whatever its cause: a generator failing while the grid is out is the
//!    incident the grid outage was scripted to test.
//! 2. Otherwise (no injection here, or none that overlapped an incident of replication 0): the
//!    longest incident of the whole run, over every replication, the right end of the RTO
//!    chart. Finding it costs nothing extra: the run's own pass notes which replication holds
//!    it and whether an injection overlapped an incident of replication 0
//!    ([`Incidents`]), so [`choose`] simulates one replication only, the one it traces.
//!
//! [`Pick::Replication`]`(k)` shows the longest incident of replication `k` instead.
//! "Longest": an incident that ended beats one still open at the horizon (whose length is only
//! a lower bound, as in the RTO quantiles); then the longer; then the earlier replication; then
//! the earlier start. So the choice is deterministic and does not depend on threads.
//!
//! The window shows what led to the incident and what ended it: every outage, injection or
//! standby phase of a component that overlaps the incident stretches the window to its start
//! and its end, each side by at most max(the incident's duration, 15 min), and each side keeps
//! at least max(a quarter of the duration, 1 min) of context. A longer bar runs off the edge,
//! and the timeline writes when it started or ended. The edges are then rounded outwards, to
//! whole seconds for a window under 10 min, whole minutes up to a day, whole hours beyond.

use super::duration_s;
use super::spans::{self, Row, Span};
use super::trace::Trace;
use crate::engine::{Incident, Prepared, Recorder, RunParams, Simulator};
use crate::metrics::{Incidents, ScenarioId};
use crate::model::Architecture;
use crate::rng::STREAM_VERSION;
use crate::time::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, SimTime};

/// Which incident to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pick {
    /// The scripted injection's incident, else the longest of the run (see the module docs).
    #[default]
    Default,
    /// The longest incident of this replication.
    Replication(u64),
}

/// Why an incident was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The longest incident of replication 0 during a scripted injection.
    Injection,
    /// The longest incident of a run of `replications`; `absorbed`: the architecture has
    /// injections, but none overlapped an incident of replication 0.
    LongestOfRun {
        /// Replications searched.
        replications: u64,
        /// Injections here caused no incident in replication 0.
        absorbed: bool,
    },
    /// The longest incident of the replication asked for.
    Chosen,
}

/// The incident a timeline shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Focus {
    /// Its replication.
    pub replication: u64,
    /// The incident.
    pub incident: Incident,
    /// Why this one.
    pub reason: Reason,
}

/// `a` ranks before `b`, which comes earlier in the run: an ended incident beats a censored one,
/// then the strictly longer wins (ties keep the earlier).
fn longer(a: &Incident, b: &Incident) -> bool {
    (!a.censored, a.duration()) > (!b.censored, b.duration())
}

/// The longest of `incidents`, in the order they happened.
fn longest<'a>(incidents: impl Iterator<Item = &'a Incident>) -> Option<&'a Incident> {
    incidents.fold(None, |best, i| if best.is_none_or(|b| longer(i, b)) { Some(i) } else { best })
}

/// The incident to show for `arch` by `pick` and its replication traced, with the window
/// around it; `run` is what the run's pass found. One replication is simulated. `None` when
/// there is no incident to show.
pub fn choose<'a>(
    scenario: ScenarioId,
    arch: &'a Architecture,
    params: RunParams,
    pick: Pick,
    run: &Incidents,
) -> Option<(Focus, Trace<'a>)> {
    let focus =
        |replication, incident: &Incident, reason| Focus { replication, incident: incident.clone(), reason };
    let (replication, traced) = match pick {
        Pick::Replication(r) => {
            let traced = Traced::run(arch, params, r);
            let f = focus(r, longest(traced.incidents.iter())?, Reason::Chosen);
            return Some(traced.into_trace(scenario, arch, params, f));
        }
        Pick::Default if run.injection_in_first && !arch.injections.is_empty() => {
            let traced = Traced::run(arch, params, 0);
            let during = |i: &&Incident| {
                arch.injections.iter().any(|j| i.start < j.at.saturating_add(j.duration) && i.end > j.at)
            };
            if let Some(incident) = longest(traced.incidents.iter().filter(during)) {
                let f = focus(0, incident, Reason::Injection);
                return Some(traced.into_trace(scenario, arch, params, f));
            }
            (run.longest?, (run.longest == Some(0)).then_some(traced))
        }
        Pick::Default => (run.longest?, None),
    };
    let traced = traced.unwrap_or_else(|| Traced::run(arch, params, replication));
    let reason =
        Reason::LongestOfRun { replications: run.replications, absorbed: !arch.injections.is_empty() };
    let f = focus(replication, longest(traced.incidents.iter())?, reason);
    Some(traced.into_trace(scenario, arch, params, f))
}

/// One replication simulated with its trace.
struct Traced {
    replication: u64,
    events: Vec<crate::engine::TraceEvent>,
    incidents: Vec<Incident>,
    up: SimTime,
}

impl Traced {
    fn run(arch: &Architecture, params: RunParams, replication: u64) -> Traced {
        let prepared = Prepared::new(arch, params);
        let mut sim = Simulator::new(&prepared);
        sim.set_tracing(true);
        let mut recorder = Recorder::default();
        let summary = sim.run(replication, &mut recorder);
        Traced { replication, events: sim.take_trace(), incidents: recorder.incidents, up: summary.up }
    }

    /// The trace, with the window around `focus`'s incident.
    fn into_trace<'a>(
        self,
        scenario: ScenarioId,
        arch: &'a Architecture,
        params: RunParams,
        focus: Focus,
    ) -> (Focus, Trace<'a>) {
        let spans = spans::rebuild(arch, &self.events, params.horizon.0);
        let trace = Trace {
            scenario,
            seed: params.seed,
            stream_version: STREAM_VERSION,
            arch,
            replication: self.replication,
            horizon: params.horizon,
            window: window(&spans, &focus.incident, params.horizon),
            events: self.events,
            incidents: self.incidents.len() as u64,
            up: self.up,
        };
        (focus, trace)
    }
}

/// The window around `incident` given the intervals `spans` of its replication (module docs).
pub fn window(spans: &[Span], incident: &Incident, horizon: SimTime) -> (SimTime, SimTime) {
    let (s, e) = (incident.start.0, incident.end.0);
    let d = e - s;
    let context = (d / 4).max(MS_PER_MINUTE);
    let cap = d.max(15 * MS_PER_MINUTE);
    let involved: Vec<&Span> =
        spans.iter().filter(|x| x.row != Row::Service && x.from < e && x.to > s).collect();
    let lo = involved.iter().map(|x| x.from).min().unwrap_or(s).min(s);
    let hi = involved.iter().map(|x| x.to).max().unwrap_or(e).max(e);
    let lead = (s - lo).clamp(context, cap);
    let tail = (hi - e).clamp(context, cap);
    let (from, to) = (s.saturating_sub(lead), e + tail);
    // Round outwards, to whole minutes under a day, whole hours over it (seconds under 10 min).
    let unit = match to - from {
        w if w < 10 * MS_PER_MINUTE => MS_PER_SECOND,
        w if w <= MS_PER_DAY => MS_PER_MINUTE,
        _ => MS_PER_HOUR,
    };
    (SimTime(from / unit * unit), SimTime(to.div_ceil(unit).saturating_mul(unit).min(horizon.0)))
}

impl Focus {
    /// Why this incident, as a sentence: `The longest incident during a scripted injection.`
    pub fn reason_text(&self) -> String {
        match self.reason {
            Reason::Injection => "The longest incident during a scripted injection.".into(),
            Reason::LongestOfRun { replications, absorbed } => format!(
                "The longest incident of {} replications{}.",
                super::format::count(replications),
                if absorbed { "; the scripted injections caused none in replication 0" } else { "" }
            ),
            Reason::Chosen => "The longest incident of the replication asked for.".into(),
        }
    }

    /// The incident's problem: `db-a/injected`.
    pub fn cause(&self, arch: &Architecture) -> String {
        let c = &arch.components[self.incident.cause.component.index()];
        format!("{}/{}", c.name, c.mode_name(self.incident.cause.mode))
    }

    /// When and how long: `down at 200d 00:00:00 for 1d 12h`.
    pub fn when(&self) -> String {
        let i = &self.incident;
        format!("down at {} for {}", clock(i.start.0), duration_s(i.duration().0 as f64 / 1000.0))
    }

    /// What ended it: `ended by failover`, or `still down at the horizon`.
    pub fn ended(&self) -> String {
        match (self.incident.censored, self.incident.label) {
            (false, Some(label)) => format!("ended by {}", label.name()),
            _ => "still down at the horizon".into(),
        }
    }
}

/// `200d 04:13:22`, with `.120` when the milliseconds are not zero.
pub fn clock(ms: u64) -> String {
    let base = format!(
        "{}d {:02}:{:02}:{:02}",
        ms / MS_PER_DAY,
        ms % MS_PER_DAY / MS_PER_HOUR,
        ms % MS_PER_HOUR / MS_PER_MINUTE,
        ms % MS_PER_MINUTE / MS_PER_SECOND
    );
    if ms.is_multiple_of(MS_PER_SECOND) { base } else { format!("{base}.{:03}", ms % MS_PER_SECOND) }
}

/// A time as a compound duration literal, units largest first up to days (`200d5h52m`,
/// `1s250ms`, `0s`), for `trace --from/--to`.
pub fn duration_arg(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    let units =
        [(MS_PER_DAY, "d"), (MS_PER_HOUR, "h"), (MS_PER_MINUTE, "m"), (MS_PER_SECOND, "s"), (1, "ms")];
    let mut rest = ms;
    let mut out = String::new();
    for (size, unit) in units {
        if rest >= size {
            out += &format!("{}{unit}", rest / size);
            rest %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Cause, Label, Mode};
    use crate::model::ComponentId;

    fn incident(start: u64, end: u64, censored: bool) -> Incident {
        Incident {
            start: SimTime(start),
            end: SimTime(end),
            censored,
            cause: Cause { component: ComponentId(0), mode: Mode::Failure },
            contributing: Vec::new(),
            label: (!censored).then_some(Label::Repair),
        }
    }

    fn span(row: Row, from: u64, to: u64) -> Span {
        Span { row, kind: spans::Kind::Failure, from, to }
    }

    #[test]
    fn longest_prefers_ended_then_length_then_the_earliest() {
        let all = [
            incident(0, 10, false),
            incident(20, 40, false),
            incident(50, 70, false),
            incident(80, 200, true),
        ];
        assert_eq!(longest(all.iter()), Some(&all[1]));
        assert_eq!(longest(all[3..].iter()), Some(&all[3]));
        assert_eq!(longest(std::iter::empty()), None);
    }

    #[test]
    fn the_window_reaches_what_overlaps_the_incident_within_its_cap() {
        let h = MS_PER_HOUR;
        let horizon = SimTime(1000 * h);
        let i = incident(100 * h, 102 * h, false);
        // Alone: a quarter of its 2 h on each side.
        assert_eq!(window(&[], &i, horizon), (SimTime(100 * h - h / 2), SimTime(102 * h + h / 2)));
        // A failure from 1 h before to 3 h after (capped at the incident's 2 h), and one that
        // ended as it began (ignored).
        let spans = [
            span(Row::Component(1), 99 * h, 105 * h),
            span(Row::Component(2), 90 * h, 100 * h),
            span(Row::Service, 0, h),
        ];
        assert_eq!(window(&spans, &i, horizon), (SimTime(99 * h), SimTime(104 * h)));
        // An outage of 20 days: capped on both sides.
        let long = [span(Row::Component(1), 0, 500 * h)];
        assert_eq!(window(&long, &i, horizon), (SimTime(98 * h), SimTime(104 * h)));
        // A 1 min incident: at least 1 min of context, at most 15 min, never before 0, and
        // rounded out to whole minutes.
        let m = MS_PER_MINUTE;
        let short = incident(30 * 1000, 30 * 1000 + m, false);
        assert_eq!(window(&long, &short, horizon), (SimTime(0), SimTime(17 * m)));
        // A window under 10 min is rounded to whole seconds.
        let odd = incident(h + 500, h + 500 + 2 * m, false);
        assert_eq!(window(&[], &odd, horizon), (SimTime(h - m), SimTime(h + 3 * m + 1000)));
        // Never past the horizon.
        let end = incident(999 * h, 1000 * h, true);
        assert_eq!(window(&[], &end, horizon), (SimTime(999 * h - 15 * m), horizon));
    }

    #[test]
    fn times_for_people_and_for_trace() {
        assert_eq!(clock(200 * MS_PER_DAY), "200d 00:00:00");
        assert_eq!(clock(MS_PER_DAY + 4 * MS_PER_HOUR + 13 * MS_PER_MINUTE + 22_120), "1d 04:13:22.120");
        assert_eq!(duration_arg(0), "0s");
        assert_eq!(duration_arg(200 * MS_PER_DAY), "200d");
        assert_eq!(duration_arg(199 * MS_PER_DAY + 15 * MS_PER_HOUR), "199d15h");
        assert_eq!(duration_arg(199 * MS_PER_DAY + 15 * MS_PER_HOUR + 30 * MS_PER_MINUTE), "199d15h30m");
        assert_eq!(duration_arg(1_250), "1s250ms");
        for ms in [0, 1_250, 7 * MS_PER_SECOND, 3 * MS_PER_DAY + 7 * MS_PER_MINUTE, 4791 * MS_PER_HOUR] {
            assert_eq!(crate::time::parse_duration(&duration_arg(ms)), Ok(SimTime(ms)), "{ms}");
        }
    }
}
