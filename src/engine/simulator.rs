//! The simulator: per-replication state and the event loop.

use crate::model::{Architecture, ComponentId, Recovery};
use crate::rng::Stream;
use crate::time::SimTime;

use super::prepared::{Class, Prepared};
use super::{Cause, EventQueue, Incident, Mode, Observer, RunParams, Summary};

/// Simulates replications of one architecture, reusing its buffers.
pub struct Simulator<'a> {
    arch: &'a Architecture,
    prepared: &'a Prepared<'a>,
    params: RunParams,
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
    /// A simulator over `prepared`, with buffers sized for its architecture.
    pub fn new(prepared: &'a Prepared<'a>) -> Simulator<'a> {
        let arch = prepared.arch;
        let n = arch.components.len();
        let dummy = Cause { component: ComponentId(0), mode: Mode::Failure };
        Simulator {
            arch,
            prepared,
            params: prepared.params,
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
            let keys = &self.prepared.keys[i];
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
            let scripted_at = self.prepared.scripted.get(next_scripted).map(|s| s.at);
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
                    self.batch.push((Class::RandomRecovery, self.prepared.name_rank[i], id));
                } else {
                    self.failed[i] = true;
                    let ttr = self.time_to_recover(i);
                    self.queue.reschedule_top(id, now.saturating_add(ttr));
                    self.batch.push((Class::RandomFailure, self.prepared.name_rank[i], id));
                }
            }
            while let Some(s) = self.prepared.scripted.get(next_scripted) {
                if s.at != now {
                    break;
                }
                let i = s.component as usize;
                match s.class {
                    Class::InjectionStart => self.injected[i] += 1,
                    _ => self.injected[i] -= 1,
                }
                self.batch.push((s.class, self.prepared.name_rank[i], s.component));
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
