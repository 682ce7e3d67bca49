//! Property testing of designs: proptest strategies over a compiled architecture's failures,
//! and a replay of any failure schedule through the engine. Built with the `testing` feature
//! only (it brings proptest, re-exported here as [`proptest`](mod@proptest)), so that the
//! `faultline` binary does not build proptest.
//!
//! An architect states what a design must survive, and proptest searches for a schedule that
//! breaks it:
//!
//! ```no_run
//! use faultline::testing::{Failures, Kind, check, for_all, load, replay};
//! use faultline::time::SimTime;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let file = "scenarios/web-single-vs-multi-az.ron";
//! let system = load(file)?;
//! let arch = system.architecture("multi-az")?;
//! let rto: SimTime = "1h".parse()?;
//! let failures = Failures::new(&system, arch).kinds(&[Kind::Az]);
//! for_all(&failures.single(), 64, 42, |schedule| {
//!     check(&replay(&system, arch, schedule), file, |r| match r.longest_incident() {
//!         Some(d) if d > rto => Err(format!("an outage of {d}, longer than {rto}")),
//!         _ => Ok(()),
//!     })
//! })?;
//! # Ok(())
//! # }
//! ```
//!
//! [`load`] reads and compiles a scenario file; its error is what `faultline validate` prints
//! (`file:line:col: error: ...` with the source line and a hint). A [`Schedule`] is a list of
//! scripted failures (target, start, duration, optional failure mode); [`replay`] runs it with
//! random failures off, on replication 0 with the scenario's seed and horizon (the draws of
//! delays such as a `Uniform` switch come from the same streams as in `faultline trace`), so
//! what fails here replays there. When a property fails, proptest shrinks the schedule (fewer
//! failures, earlier targets in name order, earlier and shorter failures) and [`check`] writes
//! the message: the property's complaint, the `random: false` and `injections` lines that
//! reproduce it in the scenario file, and the `faultline trace` command that shows the
//! incident. [`for_all`] runs proptest from a fixed seed without a persistence file (so CI is
//! reproducible) and returns that message as an error that prints as it reads, also through
//! `?` in a `#[test]` (which prints errors with `Debug`). Durations print as scenario files
//! write them (`61m`, `1h`: [`SimTime`]'s `Display`), so the lines paste back.
//!
//! Strategies ([`Failures`]): any single failure ([`Failures::single`]); up to N failures that
//! overlap ([`Failures::overlapping`]: all start within an hour and last long); a storm of up to
//! N short failures within a window ([`Failures::storm`]). Targets are the components of the
//! chosen kinds (default: every component that can fail, AZs and regions included), in name
//! order; a target with failure modes is failed in one of them or plainly.

use std::fmt;
use std::path::Path;

pub use proptest;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

use crate::engine::{DataLoss, Incident, Prepared, Recorder, RunParams, Simulator};
pub use crate::model::Kind;
use crate::model::{Architecture, ComponentId, Injection, System};
use crate::time::{MS_PER_HOUR, MS_PER_MINUTE, SimTime};

/// Why a scenario file could not be loaded: the diagnostics as `faultline validate` prints
/// them. `Debug` prints the same text, so that `?` in a test shows it as it reads.
#[derive(Clone, PartialEq, Eq)]
pub struct LoadError(String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// Reads and compiles the scenario file at `path` (warnings are dropped: the file is valid).
pub fn load(path: impl AsRef<Path>) -> Result<System, LoadError> {
    let path = path.as_ref();
    let origin = path.display().to_string();
    let text = crate::scenario::load(path)
        .map_err(|e| LoadError(format!("{origin}: error: cannot read the file: {e}\n")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    crate::model::compile_str(text).map(|compiled| compiled.system).map_err(|diagnostics| {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        LoadError(format!(
            "{}{origin}: {errors} error{}\n",
            crate::diagnostic::render(&origin, text, &diagnostics),
            if errors == 1 { "" } else { "s" }
        ))
    })
}

/// A property that failed: the message of [`check`] for the shrunk schedule, or why proptest
/// gave up. `Debug` prints the same text as `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct PropertyFailed(pub String);

impl fmt::Display for PropertyFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PropertyFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PropertyFailed {}

/// Checks `property` on `cases` schedules drawn from `strategy`, proptest's RNG seeded with
/// `seed` and no failure persistence file, so every run tries the same schedules. On failure,
/// proptest shrinks the schedule and the error is the property's message for the smallest one.
pub fn for_all<S: Strategy<Value = Schedule>>(
    strategy: &S,
    cases: u32,
    seed: u64,
    property: impl Fn(&Schedule) -> Result<(), TestCaseError>,
) -> Result<(), PropertyFailed> {
    let config =
        Config { cases, rng_seed: RngSeed::Fixed(seed), failure_persistence: None, ..Config::default() };
    TestRunner::new(config).run(strategy, |schedule| property(&schedule)).map_err(|e| match e {
        TestError::Fail(reason, _) => PropertyFailed(reason.message().to_string()),
        TestError::Abort(why) => PropertyFailed(format!("proptest gave up: {}", why.message())),
    })
}

/// One scripted failure.
#[derive(Clone, PartialEq, Eq)]
pub struct Failure {
    /// The component failed.
    pub target: ComponentId,
    /// Its name (for messages).
    pub name: String,
    /// Start.
    pub at: SimTime,
    /// Length, > 0.
    pub duration: SimTime,
    /// The failure mode (index into the target's `modes`) and its name.
    pub mode: Option<(u16, String)>,
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ron())
    }
}

impl Failure {
    /// As an entry of a scenario's `injections` list.
    pub fn ron(&self) -> String {
        let mode = self.mode.as_ref().map_or(String::new(), |(_, m)| format!(", mode: \"{m}\""));
        format!("(target: \"{}\", at: \"{}\", duration: \"{}\"{mode})", self.name, self.at, self.duration)
    }
}

/// Failures to inject together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// In start order.
    pub failures: Vec<Failure>,
}

impl Schedule {
    /// The lines to put in the scenario file (replacing its `random` and `injections`) so that
    /// `faultline trace` replays this schedule.
    pub fn scenario_lines(&self) -> String {
        let list: Vec<String> = self.failures.iter().map(|f| format!("        {},", f.ron())).collect();
        format!("    random: false,\n    injections: [\n{}\n    ],", list.join("\n"))
    }
}

/// What a schedule did.
#[derive(Clone, Debug)]
pub struct Replay {
    /// The architecture's name.
    pub arch: String,
    /// The schedule replayed.
    pub schedule: Schedule,
    /// Incidents, in the order they ended (the last one censored if open at the horizon).
    pub incidents: Vec<Incident>,
    /// Data-loss events.
    pub losses: Vec<DataLoss>,
    /// Service up-time.
    pub up: SimTime,
}

impl Replay {
    /// The longest incident, censored ones included.
    pub fn longest_incident(&self) -> Option<SimTime> {
        self.incidents.iter().map(Incident::duration).max()
    }

    /// The largest realised RPO; `SimTime::NEVER` if a loss was unrecoverable.
    pub fn worst_rpo(&self) -> Option<SimTime> {
        self.losses.iter().map(|l| l.rpo.unwrap_or(SimTime::NEVER)).max()
    }
}

/// Runs `schedule` on `arch` with random failures off (replication 0, the scenario's seed and
/// horizon), as `faultline trace` does with the lines of [`Schedule::scenario_lines`].
pub fn replay(system: &System, arch: &Architecture, schedule: &Schedule) -> Replay {
    let mut scripted = arch.clone();
    scripted.injections = schedule
        .failures
        .iter()
        .map(|f| Injection {
            target: f.target,
            at: f.at,
            duration: f.duration,
            mode: f.mode.as_ref().map(|m| m.0),
        })
        .collect();
    let params = RunParams { seed: system.seed, horizon: system.horizon, random: false };
    let prepared = Prepared::new(&scripted, params);
    let mut recorder = Recorder::default();
    let summary = Simulator::new(&prepared).run(0, &mut recorder);
    Replay {
        arch: arch.name.clone(),
        schedule: schedule.clone(),
        incidents: recorder.incidents,
        losses: recorder.losses,
        up: summary.up,
    }
}

/// Checks `property` on `run`; on failure, the message says how to replay it from `file`.
pub fn check(
    run: &Replay,
    file: &str,
    property: impl FnOnce(&Replay) -> Result<(), String>,
) -> Result<(), TestCaseError> {
    property(run).map_err(|complaint| TestCaseError::fail(failure_message(run, file, &complaint)))
}

/// The message of a failed property: what went wrong, and how to see it.
pub fn failure_message(run: &Replay, file: &str, complaint: &str) -> String {
    format!(
        "{complaint}\n\nTo replay it, put these lines in {file} (replacing `random` and `injections`):\n\n{}\n\nthen run:\n\n    faultline trace {file} --arch {}\n",
        run.schedule.scenario_lines(),
        run.arch
    )
}

/// A candidate target.
#[derive(Clone, Debug)]
struct Target {
    id: ComponentId,
    name: String,
    kind: Kind,
    /// Its failure modes' names.
    modes: Vec<String>,
}

/// Strategies over the failures of one architecture.
#[derive(Clone, Debug)]
pub struct Failures {
    /// Candidate targets, in name order.
    targets: Vec<Target>,
    /// Failures start in `[1 h, latest)`.
    latest: SimTime,
}

impl Failures {
    /// Every component of `arch` that can fail (a `fail` law or modes, or an AZ or region), as
    /// targets; failures start between 1 h and half the horizon.
    pub fn new(system: &System, arch: &Architecture) -> Failures {
        let mut targets: Vec<Target> = arch
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.can_fail() || matches!(c.kind, Kind::Az | Kind::Region))
            .map(|(i, c)| Target {
                id: ComponentId(i as u32),
                name: c.name.clone(),
                kind: c.kind,
                modes: c.modes.iter().map(|m| m.name.clone()).collect(),
            })
            .collect();
        targets.sort_by(|a, b| a.name.cmp(&b.name));
        let latest = SimTime((system.horizon.0 / 2).max(2 * MS_PER_HOUR));
        Failures { targets, latest }
    }

    /// Only targets of these kinds.
    pub fn kinds(mut self, kinds: &[Kind]) -> Failures {
        self.targets.retain(|t| kinds.contains(&t.kind));
        self
    }

    /// How many targets there are.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether there is no target.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    fn failure(&self, start: SimTime, max_minutes: u64) -> impl Strategy<Value = Failure> + use<> {
        assert!(!self.targets.is_empty(), "no component to fail: check the kinds asked for");
        let targets = self.targets.clone();
        let n = targets.len();
        (0..n, 0..start.0.max(1) / MS_PER_MINUTE, 1..=max_minutes, any::<prop::sample::Index>()).prop_map(
            move |(t, at_min, minutes, mode)| {
                let Target { id, name, modes, .. } = targets[t].clone();
                // Mode 0 is a plain failure, k > 0 the target's mode k - 1.
                let k = mode.index(modes.len() + 1);
                Failure {
                    target: id,
                    name,
                    at: SimTime(MS_PER_HOUR + at_min * MS_PER_MINUTE),
                    duration: SimTime(minutes * MS_PER_MINUTE),
                    mode: (k > 0).then(|| ((k - 1) as u16, modes[k - 1].clone())),
                }
            },
        )
    }

    /// Any one failure of any target, at any time, for up to 3 days.
    pub fn single(&self) -> BoxedStrategy<Schedule> {
        self.failure(SimTime(self.latest.0 - MS_PER_HOUR), 3 * 24 * 60)
            .prop_map(|f| Schedule { failures: vec![f] })
            .boxed()
    }

    /// Up to `n` failures that overlap: each starts within an hour of the first and lasts at
    /// least a day (up to 3).
    pub fn overlapping(&self, n: usize) -> BoxedStrategy<Schedule> {
        let one = self.failure(SimTime(MS_PER_HOUR), 2 * 24 * 60);
        let start = 0..(self.latest.0 - MS_PER_HOUR) / MS_PER_MINUTE;
        (prop::collection::vec(one, 1..=n.max(1)), start)
            .prop_map(|(mut failures, offset_min)| {
                for f in &mut failures {
                    f.at = SimTime(f.at.0 + offset_min * MS_PER_MINUTE);
                    f.duration = SimTime(f.duration.0 + 24 * MS_PER_HOUR);
                }
                failures.sort_by_key(|f| (f.at, f.name.clone()));
                Schedule { failures }
            })
            .boxed()
    }

    /// A storm: up to `n` failures of up to 2 hours each, starting within `window`.
    pub fn storm(&self, n: usize, window: SimTime) -> BoxedStrategy<Schedule> {
        let one = self.failure(window, 120);
        let start = 0..(self.latest.0.saturating_sub(window.0 + MS_PER_HOUR)).max(1) / MS_PER_MINUTE;
        (prop::collection::vec(one, 1..=n.max(1)), start)
            .prop_map(|(mut failures, offset_min)| {
                for f in &mut failures {
                    f.at = SimTime(f.at.0 + offset_min * MS_PER_MINUTE);
                }
                failures.sort_by_key(|f| (f.at, f.name.clone()));
                Schedule { failures }
            })
            .boxed()
    }
}
