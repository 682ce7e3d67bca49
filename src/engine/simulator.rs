//! The simulator: per-replication state and the event loop.

use crate::model::{Architecture, ComponentId, Recovery};
use crate::rng::Stream;
use crate::time::SimTime;

use super::prepared::{Class, Prepared};
use super::{Cause, EventQueue, Incident, Mode, Observer, RunParams, Summary};

/// The state of one component during a replication, packed for the propagation loop.
#[derive(Clone, Copy, Debug, Default)]
struct Node {
    /// Needs currently effectively up.
    needs_up: u32,
    /// Needs that must be up (`needs.k`).
    threshold: u32,
    /// Injections active.
    injected: u32,
    /// A random failure is in progress.
    failed: bool,
    /// Effectively up.
    up: bool,
}

impl Node {
    #[inline]
    fn should_be_up(&self) -> bool {
        !self.failed && self.injected == 0 && self.needs_up >= self.threshold
    }
}

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
    nodes: Vec<Node>,
    cause: Vec<Cause>,
    batch: Vec<(Class, u32, u32)>,
    stack: Vec<u32>,
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
            nodes: vec![Node::default(); n],
            cause: vec![dummy; n],
            batch: Vec::new(),
            stack: Vec::new(),
        }
    }

    fn reset(&mut self, replication: u64) {
        self.queue.clear();
        for (i, c) in self.arch.components.iter().enumerate() {
            let needs = c.needs.of.len() as u32;
            self.nodes[i] =
                Node { needs_up: needs, threshold: c.needs.k, injected: 0, failed: false, up: true };
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

    #[inline]
    fn time_to_failure(&mut self, i: usize) -> SimTime {
        let dist = self.prepared.fail[i].expect("only failing components draw");
        let word = self.fail_streams[i].as_mut().expect("stream exists").next_word();
        SimTime(dist.sample(word).0.max(1))
    }

    #[inline]
    fn time_to_recover(&mut self, i: usize) -> SimTime {
        match self.prepared.recover[i].expect("failing components recover") {
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
        let scripted = &self.prepared.scripted;
        let mut events = 0u64;
        let mut down_total = 0u64;
        let mut open: Option<Incident> = None;
        let mut next_scripted = 0;
        let scripted_at = |k: usize| scripted.get(k).map_or(SimTime::NEVER, |s| s.at);
        loop {
            let random_at = self.queue.peek().map_or(SimTime::NEVER, |(t, _)| t);
            let now = random_at.min(scripted_at(next_scripted));
            if now >= horizon {
                break;
            }
            let was_up = self.nodes[service].up;
            self.batch.clear();
            let mut applied = false;
            if random_at == now {
                let (class, id) = self.apply_random(now);
                let rank = self.prepared.name_rank[id as usize];
                let alone =
                    self.queue.peek().is_none_or(|(t, _)| t != now) && scripted_at(next_scripted) != now;
                if alone {
                    // The common case: one event alone at its instant, nothing to order.
                    events += 1;
                    self.refresh(id, Cause { component: ComponentId(id), mode: Mode::Failure });
                    if was_up && self.nodes[service].up {
                        continue; // nothing to record: no incident opened, none open
                    }
                    applied = true;
                }
                self.batch.push((class, rank, id));
                while !alone && self.queue.peek().is_some_and(|(t, _)| t == now) {
                    let (class, id) = self.apply_random(now);
                    self.batch.push((class, self.prepared.name_rank[id as usize], id));
                }
            }
            while let Some(s) = scripted.get(next_scripted).filter(|s| s.at == now) {
                let i = s.component as usize;
                match s.class {
                    Class::InjectionStart => self.nodes[i].injected += 1,
                    _ => self.nodes[i].injected -= 1,
                }
                self.batch.push((s.class, self.prepared.name_rank[i], s.component));
                next_scripted += 1;
            }
            if !applied {
                events += self.batch.len() as u64;
                self.batch.sort_unstable();
                // Apply them in (class, name) order.
                for k in 0..self.batch.len() {
                    let (class, _, id) = self.batch[k];
                    let mode = if class == Class::InjectionStart { Mode::Injected } else { Mode::Failure };
                    self.refresh(id, Cause { component: ComponentId(id), mode });
                }
            }
            let is_up = self.nodes[service].up;
            let batch = &self.batch;
            match (was_up, is_up) {
                (true, false) => {
                    let cause = self.cause[service];
                    let serves = &self.prepared.serves;
                    let contributing =
                        failures(batch).filter(|c| *c != cause && serves[c.component.index()]).collect();
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
                    for c in failures(batch).filter(|c| self.prepared.serves[c.component.index()]) {
                        if c != incident.cause && !incident.contributing.contains(&c) {
                            incident.contributing.push(c);
                        }
                    }
                }
                (true, true) => {}
            }
        }
        if let Some(mut incident) = open {
            incident.end = horizon;
            incident.censored = true;
            down_total += incident.duration().0;
            observer.incident(&incident);
        }
        Summary { up: SimTime(horizon.0 - down_total), events }
    }

    /// Applies the earliest random event (at `now`): a failure starts its recovery, a recovery
    /// draws the next time to failure. Returns its class and component.
    #[inline]
    fn apply_random(&mut self, now: SimTime) -> (Class, u32) {
        let (_, id) = self.queue.peek().expect("an event is due");
        let i = id as usize;
        if self.nodes[i].failed {
            self.nodes[i].failed = false;
            let ttf = self.time_to_failure(i);
            self.queue.reschedule_top(id, now.saturating_add(ttf));
            (Class::RandomRecovery, id)
        } else {
            self.nodes[i].failed = true;
            let ttr = self.time_to_recover(i);
            self.queue.reschedule_top(id, now.saturating_add(ttr));
            (Class::RandomFailure, id)
        }
    }

    /// Re-evaluates `id` after an own change and propagates any flip of its effective state to
    /// its dependents. If `id` goes down it is own-down, so `own_cause` is its cause; a
    /// dependent that goes down inherits the cause of the dependency that took it down (a
    /// dependent that is own-down is already down and does not flip).
    fn refresh(&mut self, id: u32, own_cause: Cause) {
        let root = &mut self.nodes[id as usize];
        let up = root.should_be_up();
        if up == root.up {
            return;
        }
        root.up = up;
        if !up {
            self.cause[id as usize] = own_cause;
        }
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push(id);
        while let Some(c) = stack.pop() {
            let up = self.nodes[c as usize].up;
            let blame = self.cause[c as usize];
            // Each dependent lists `c` once (the compiler rejects repeats), so its counter
            // moves by one; it is visited again only if it flips.
            for &d in self.arch.dependents_of(ComponentId(c)) {
                let node = &mut self.nodes[d.index()];
                if up {
                    node.needs_up += 1;
                } else {
                    node.needs_up -= 1;
                }
                let now = node.should_be_up();
                if now != node.up {
                    node.up = now;
                    if !now {
                        self.cause[d.index()] = blame;
                    }
                    stack.push(d.0);
                }
            }
        }
        self.stack = stack;
    }
}

/// The own failures of a batch, in application order.
fn failures(batch: &[(Class, u32, u32)]) -> impl Iterator<Item = Cause> + '_ {
    batch.iter().filter_map(|&(class, _, id)| match class {
        Class::RandomFailure => Some(Cause { component: ComponentId(id), mode: Mode::Failure }),
        Class::InjectionStart => Some(Cause { component: ComponentId(id), mode: Mode::Injected }),
        _ => None,
    })
}
