//! The discrete-event engine: one replication of one architecture, pure, no I/O.
//!
//! Owns the semantics of DESIGN.md "Engine semantics":
//! - Time is `SimTime` (integer ms). Every replication starts at t = 0 with every component
//!   up and new. Sampled durations are rounded once to whole ms; a sampled time to failure is
//!   at least 1 ms, so that time always advances between a recovery and the next failure.
//! - *Own* state: a component is own-up iff it has no random failure in progress and no
//!   injection active (injections are an overlay: they take no draws and neither pause nor
//!   restart the failure clock). *Effective* state: own-up and at least `k` of its `needs` are
//!   effectively up. One counter per component holds how many of its needs are up; a change
//!   propagates only to the dependents of what changed (a stack, not a sweep).
//! - Failure clocks, repairs and replacements run whatever the dependencies do. `Repair(d)`
//!   ends after a draw of `d` on the `recover` stream; `Replace(detect, launch)` after a draw
//!   of `detect` on the `detect` stream plus a draw of `launch` on the `recover` stream. The
//!   next time to failure is drawn when the recovery ends (the component is new again).
//! - Events at the same time form one batch. Inside a batch, own changes are applied in the
//!   order (event class, component name), classes in the order random failure, injection start,
//!   random recovery, injection end; the service is evaluated once, after the batch. A down
//!   interval of 0 ms is therefore never an incident.
//! - The cause of an incident is the own failure whose propagation took the service down; all
//!   of the incident's downtime is charged to it. Own failures during the incident (and other
//!   failures in the batch that opened it) are its contributing failures. An incident still
//!   open at the horizon is reported censored, ending at the horizon.
//! - Random streams come from [`crate::rng`]: one per (seed, replication, component, purpose).
//!
//! [`Simulator`] keeps its buffers between replications, so a run allocates once per worker.

mod queue;

pub use queue::EventQueue;

use crate::model::{Architecture, ComponentId, Recovery};
use crate::rng::{Purpose, Stream, stream_key};
use crate::time::SimTime;

/// How a component went own-down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// A random failure drawn from its `fail` distribution.
    Failure,
    /// A scripted injection.
    Injected,
}

impl Mode {
    /// The mode as written in problem names (`db-a/failure`, `use1-az1/injected`).
    pub fn name(self) -> &'static str {
        match self {
            Mode::Failure => "failure",
            Mode::Injected => "injected",
        }
    }
}

/// An own failure: the root cause of effective outages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cause {
    /// The component that failed.
    pub component: ComponentId,
    /// How.
    pub mode: Mode,
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
    /// Other own failures in the batch that opened it or during it, in order, each once.
    pub contributing: Vec<Cause>,
}

impl Incident {
    /// Length of the incident `[ms]` (up to the horizon if censored).
    pub fn duration(&self) -> SimTime {
        SimTime(self.end.0 - self.start.0)
    }
}

/// Receives what happens in a replication, as it happens.
pub trait Observer {
    /// An incident ended (or was cut at the horizon).
    fn incident(&mut self, incident: &Incident);
}

/// Collects every incident; for tests and traces.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    /// Incidents in the order they ended.
    pub incidents: Vec<Incident>,
}

impl Observer for Recorder {
    fn incident(&mut self, incident: &Incident) {
        self.incidents.push(incident.clone());
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

/// Totals of one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Time the service was effectively up `[ms]`.
    pub up: SimTime,
    /// Own failures and recoveries (random and injected) applied before the horizon.
    pub events: u64,
}

/// Event classes, in the order they are applied inside a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    RandomFailure,
    InjectionStart,
    RandomRecovery,
    InjectionEnd,
}

/// A scripted own change, pre-sorted by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Scripted {
    at: SimTime,
    class: Class,
    component: u32,
}

/// Per-component keys of the streams it uses.
struct Keys {
    fail: [u8; 32],
    recover: [u8; 32],
    detect: [u8; 32],
}

/// Simulates replications of one architecture, reusing its buffers.
pub struct Simulator<'a> {
    arch: &'a Architecture,
    params: RunParams,
    keys: Vec<Keys>,
    name_rank: Vec<u32>,
    scripted: Vec<Scripted>,
    // state, reset per replication
    queue: EventQueue,
    fail_streams: Vec<Option<Stream>>,
    recover_streams: Vec<Option<Stream>>,
    detect_streams: Vec<Option<Stream>>,
    failed: Vec<bool>,
    injected: Vec<u32>,
    up: Vec<bool>,
    needs_up: Vec<u32>,
    cause: Vec<Cause>,
    batch: Vec<(Class, u32, u32)>,
    stack: Vec<(u32, Cause)>,
}

impl<'a> Simulator<'a> {
    /// Prepares the streams' keys and the injection schedule of `arch`.
    pub fn new(arch: &'a Architecture, params: RunParams) -> Simulator<'a> {
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
        let dummy = Cause { component: ComponentId(0), mode: Mode::Failure };
        Simulator {
            arch,
            params,
            keys,
            name_rank,
            scripted,
            queue: EventQueue::new(n),
            fail_streams: vec![None; n],
            recover_streams: vec![None; n],
            detect_streams: vec![None; n],
            failed: vec![false; n],
            injected: vec![0; n],
            up: vec![true; n],
            needs_up: vec![0; n],
            cause: vec![dummy; n],
            batch: Vec::new(),
            stack: Vec::new(),
        }
    }

    fn reset(&mut self, replication: u64) {
        self.queue.clear();
        for (i, c) in self.arch.components.iter().enumerate() {
            self.failed[i] = false;
            self.injected[i] = 0;
            self.up[i] = true;
            self.needs_up[i] = c.needs.of.len() as u32;
            let random = self.params.random && c.fail.is_some();
            let keys = &self.keys[i];
            self.fail_streams[i] = random.then(|| Stream::new(&keys.fail, replication));
            self.recover_streams[i] = random.then(|| Stream::new(&keys.recover, replication));
            self.detect_streams[i] = (random && matches!(c.recover, Some(Recovery::Replace { .. })))
                .then(|| Stream::new(&keys.detect, replication));
            if random {
                let ttf = self.time_to_failure(i);
                self.queue.schedule(i as u32, ttf);
            }
        }
    }

    fn time_to_failure(&mut self, i: usize) -> SimTime {
        let dist = self.arch.components[i].fail.expect("only failing components draw");
        let word = self.fail_streams[i].as_mut().expect("stream exists").next_word();
        SimTime(dist.sample(word).0.max(1))
    }

    fn time_to_recover(&mut self, i: usize) -> SimTime {
        match self.arch.components[i].recover.expect("failing components recover") {
            Recovery::Repair(d) => d.sample(self.recover_streams[i].as_mut().expect("stream").next_word()),
            Recovery::Replace { detect, launch } => {
                let d = detect.sample(self.detect_streams[i].as_mut().expect("stream").next_word());
                let l = launch.sample(self.recover_streams[i].as_mut().expect("stream").next_word());
                d.saturating_add(l)
            }
        }
    }

    /// Runs replication `replication`, reporting incidents to `observer`.
    pub fn run<O: Observer>(&mut self, replication: u64, observer: &mut O) -> Summary {
        self.reset(replication);
        let horizon = self.params.horizon;
        let service = self.arch.service.index();
        let mut events = 0u64;
        let mut down_total = 0u64;
        let mut open: Option<Incident> = None;
        let mut next_scripted = 0;
        loop {
            let random_at = self.queue.peek().map(|(t, _)| t);
            let scripted_at = self.scripted.get(next_scripted).map(|s| s.at);
            let now = match (random_at, scripted_at) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => break,
            };
            if now >= horizon {
                break;
            }
            // Gather the batch: own changes at `now`, with their class and name rank.
            self.batch.clear();
            while let Some((t, id)) = self.queue.peek() {
                if t != now {
                    break;
                }
                let i = id as usize;
                if self.failed[i] {
                    self.failed[i] = false;
                    let ttf = self.time_to_failure(i);
                    self.queue.reschedule_top(id, now.saturating_add(ttf));
                    self.batch.push((Class::RandomRecovery, self.name_rank[i], id));
                } else {
                    self.failed[i] = true;
                    let ttr = self.time_to_recover(i);
                    self.queue.reschedule_top(id, now.saturating_add(ttr));
                    self.batch.push((Class::RandomFailure, self.name_rank[i], id));
                }
            }
            while let Some(s) = self.scripted.get(next_scripted) {
                if s.at != now {
                    break;
                }
                let i = s.component as usize;
                match s.class {
                    Class::InjectionStart => self.injected[i] += 1,
                    _ => self.injected[i] -= 1,
                }
                self.batch.push((s.class, self.name_rank[i], s.component));
                next_scripted += 1;
            }
            events += self.batch.len() as u64;
            self.batch.sort_unstable();
            // Apply them in (class, name) order.
            let was_up = self.up[service];
            let mut batch = std::mem::take(&mut self.batch);
            for &(class, _, id) in &batch {
                let mode = if class == Class::InjectionStart { Mode::Injected } else { Mode::Failure };
                self.refresh(id, Cause { component: ComponentId(id), mode });
            }
            let is_up = self.up[service];
            match (was_up, is_up) {
                (true, false) => {
                    let cause = self.cause[service];
                    let contributing = failures(&batch).filter(|c| *c != cause).collect();
                    open = Some(Incident { start: now, end: now, censored: false, cause, contributing });
                }
                (false, true) => {
                    let mut incident = open.take().expect("an incident is open while the service is down");
                    incident.end = now;
                    down_total += incident.duration().0;
                    observer.incident(&incident);
                }
                (false, false) => {
                    let incident = open.as_mut().expect("an incident is open while the service is down");
                    for c in failures(&batch) {
                        if c != incident.cause && !incident.contributing.contains(&c) {
                            incident.contributing.push(c);
                        }
                    }
                }
                (true, true) => {}
            }
            batch.clear();
            self.batch = batch;
        }
        if let Some(mut incident) = open {
            incident.end = horizon;
            incident.censored = true;
            down_total += incident.duration().0;
            observer.incident(&incident);
        }
        Summary { up: SimTime(horizon.0 - down_total), events }
    }

    /// Re-evaluates `id` after an own change and propagates any flip of its effective state to
    /// its dependents. `own_cause` is what to blame if `id` itself is now own-down.
    fn refresh(&mut self, id: u32, own_cause: Cause) {
        self.stack.clear();
        self.stack.push((id, own_cause));
        while let Some((c, cause)) = self.stack.pop() {
            let i = c as usize;
            let component = &self.arch.components[i];
            let own_up = !self.failed[i] && self.injected[i] == 0;
            let now_up = own_up && self.needs_up[i] >= component.needs.k;
            if now_up == self.up[i] {
                continue;
            }
            self.up[i] = now_up;
            if !now_up {
                self.cause[i] = if own_up { cause } else { own_cause_of(c, cause) };
            }
            let blame = self.cause[i];
            for &d in self.arch.dependents_of(ComponentId(c)) {
                let d = d.index();
                let count = self.arch.components[d].needs.of.iter().filter(|&&x| x.0 == c).count() as u32;
                if now_up {
                    self.needs_up[d] += count;
                } else {
                    self.needs_up[d] -= count;
                }
                self.stack.push((d as u32, blame));
            }
        }
    }
}

/// The cause to record for `c` going own-down: the cause passed in if it names `c` itself;
/// otherwise (an own-down component re-evaluated through a dependency) a random failure of `c`.
fn own_cause_of(c: u32, cause: Cause) -> Cause {
    if cause.component.0 == c { cause } else { Cause { component: ComponentId(c), mode: Mode::Failure } }
}

/// The own failures of a batch, in application order.
fn failures(batch: &[(Class, u32, u32)]) -> impl Iterator<Item = Cause> + '_ {
    batch.iter().filter_map(|&(class, _, id)| match class {
        Class::RandomFailure => Some(Cause { component: ComponentId(id), mode: Mode::Failure }),
        Class::InjectionStart => Some(Cause { component: ComponentId(id), mode: Mode::Injected }),
        _ => None,
    })
}
