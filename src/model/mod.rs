//! The compiled model: what the engine simulates, validated once.
//!
//! Owns [`System`] and everything in it. Names are resolved to dense [`ComponentId`]s in
//! declaration order (shared components first, then the architecture's own), profiles are
//! applied, distributions are validated and converted ([`Dist`]), and `needs` are compiled to
//! a threshold over a list of dependencies so the engine can keep one counter per component:
//! `All` of n is "at least n", `Any` is "at least 1". The dependency graph is a petgraph
//! `DiGraph` whose node index equals the component id, with an edge from each dependency to
//! its dependent; [`Architecture::dependents`] is the same adjacency as compact arrays for the
//! engine's propagation. Nothing here is checked again downstream: a `System` is always valid.

mod compile;
mod cycles;
mod dot;
mod kind;
mod mode;

pub use compile::{Compiled, compile, compile_str};
pub use dot::to_dot;
pub use kind::Kind;
pub use mode::Mode;

use petgraph::graph::DiGraph;

use crate::dist::Dist;
use crate::time::SimTime;

/// Dense index of a component within one architecture, in declaration order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct ComponentId(pub u32);

impl ComponentId {
    /// The id as an index into per-component arrays.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A compiled scenario: run parameters and the architectures to compare.
#[derive(Clone, Debug)]
pub struct System {
    /// Title of the comparison.
    pub name: String,
    /// Master seed of every random stream.
    pub seed: u64,
    /// Simulated time per replication `[ms]`, > 0.
    pub horizon: SimTime,
    /// Number of replications, >= 1 (with `precision`: the first batch).
    pub replications: u64,
    /// Run each design until its answer is this precise (or the replications reach a limit).
    pub precision: Option<Precision>,
    /// How availability and incident frequency are estimated; `None`: crude sampling, or
    /// `Auto` with a precision.
    pub estimator: Option<Estimator>,
    /// `--max-replications` as given: with a precision it is in `precision`; without one it
    /// caps the rare-event method's cycles.
    pub max_replications: Option<u64>,
    /// `false`: random failures are off; only injections happen.
    pub random: bool,
    /// The candidate designs, in file order.
    pub architectures: Vec<Architecture>,
    /// Repair crews, in file order (shared by every architecture's own simulation).
    pub crews: Vec<Crew>,
}

/// When a run stops adding replications: once the 95% CI half-width of a design's
/// unavailability is at most `relative` of the estimate, checked after the first `replications`
/// and after each doubling, or at `max_replications` (each design on its own).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Precision {
    /// The largest half-width wanted, as a fraction of the unavailability, in (0, 1).
    pub relative: f64,
    /// The most replications a design runs, >= the first batch.
    pub max_replications: u64,
}

/// How a design's availability, incident frequency and mean incident duration are estimated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Estimator {
    /// Replications over the horizon (crude Monte Carlo).
    Crude,
    /// Importance sampling over regenerative cycles (`rare`), beside a crude run.
    Rare,
    /// Rare when a crude pilot predicts that crude would not reach the precision within the
    /// most replications and the design qualifies, else crude.
    Auto,
}

impl Estimator {
    /// What is used for `system`: its choice, else `Auto` with a precision, else `Crude`.
    pub fn of(system: &System) -> Estimator {
        system.estimator.unwrap_or(if system.precision.is_some() {
            Estimator::Auto
        } else {
            Estimator::Crude
        })
    }

    /// The name as written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Estimator::Crude => "crude",
            Estimator::Rare => "rare",
            Estimator::Auto => "auto",
        }
    }
}

impl Precision {
    /// The replications when `--max-replications` is not given: a million, or the first
    /// batch if larger.
    pub const DEFAULT_MAX: u64 = 1_000_000;

    /// `relative` with the default maximum for a first batch of `replications`.
    pub fn with_default_max(relative: f64, replications: u64) -> Precision {
        let max_replications =
            Precision::DEFAULT_MAX.max(replications).min(crate::scenario::MAX_REPLICATIONS);
        Precision { relative, max_replications }
    }
}

/// A repair crew: `size` repairs can be in progress at once; the others wait, first come
/// first served, ties broken by component name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crew {
    /// Name.
    pub name: String,
    /// Repairs it works on at once, >= 1.
    pub size: u32,
}

/// Index of a crew in [`System::crews`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CrewId(pub u32);

/// Targets one architecture is held to (the scenario's, overridden field by field).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Objectives {
    /// Minimum availability, a fraction in [0, 1].
    pub availability: Option<f64>,
    /// Minimum availability counting unplanned downtime only, a fraction in [0, 1].
    pub availability_unplanned: Option<f64>,
    /// Maximum realised RTO at p95.
    pub rto: Option<SimTime>,
    /// Maximum realised RPO at p95.
    pub rpo: Option<SimTime>,
    /// `false`: reported, never failing a `check`. Default `true`.
    pub gate: bool,
}

/// One candidate design, ready to simulate.
#[derive(Clone, Debug)]
pub struct Architecture {
    /// Unique name.
    pub name: String,
    /// Targets.
    pub objectives: Objectives,
    /// Components by id: the shared ones first, then the design's own, in file order.
    pub components: Vec<Component>,
    /// The component whose effective up-time is the service's availability.
    pub service: ComponentId,
    /// Scripted failures whose target exists here, in file order.
    pub injections: Vec<Injection>,
    /// Targets of scripted failures that do not exist here, in file order.
    pub injections_skipped: Vec<String>,
    /// Recurring planned outages whose target exists here, in file order.
    pub maintenance: Vec<Maintenance>,
    /// The scenario's repair crews (the same in every architecture; each simulation has its
    /// own).
    pub crews: Vec<Crew>,
    /// Dependency graph: node index = component id, edge dependency -> dependent (standby
    /// members count as dependencies of their group).
    pub graph: DiGraph<ComponentId, ()>,
    /// For component `i`, `dependents[dependent_starts[i]..dependent_starts[i + 1]]` are the
    /// components whose `needs` list it (each once, ascending).
    pub dependents: Vec<ComponentId>,
    /// Offsets into `dependents`, one per component plus one.
    pub dependent_starts: Vec<u32>,
    /// Datasets, in file order; each is also a node among `components` (after the design's
    /// own components).
    pub datasets: Vec<Dataset>,
    /// Producers decoupled from their consumers by a queue (`needs: Async(..)`), in id order of
    /// the producers.
    pub queues: Vec<QueueLink>,
}

/// A producer that hands work to consumers through a queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueLink {
    /// The component whose `needs` is `Async(..)`; it needs only the queue.
    pub producer: ComponentId,
    /// The `Queue` component.
    pub queue: ComponentId,
    /// What consumes it: while it is down, a backlog builds.
    pub consumers: ComponentId,
    /// Messages older than this are deleted.
    pub retention: SimTime,
}

impl System {
    /// The architecture called `name`.
    pub fn architecture(&self, name: &str) -> Result<&Architecture, UnknownArchitecture> {
        self.architectures.iter().find(|a| a.name == name).ok_or_else(|| UnknownArchitecture {
            name: name.to_string(),
            known: self.architectures.iter().map(|a| a.name.clone()).collect(),
        })
    }
}

/// An architecture name that the scenario does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no architecture `{name}` in the scenario; it has {}", known.join(", "))]
pub struct UnknownArchitecture {
    /// The name asked for.
    pub name: String,
    /// The scenario's architectures, in file order.
    pub known: Vec<String>,
}

impl Architecture {
    /// The components that list `id` in their `needs`.
    pub fn dependents_of(&self, id: ComponentId) -> &[ComponentId] {
        let i = id.index();
        &self.dependents[self.dependent_starts[i] as usize..self.dependent_starts[i + 1] as usize]
    }

    /// The id of the component named `name`, if it exists here.
    pub fn find(&self, name: &str) -> Option<ComponentId> {
        self.components.iter().position(|c| c.name == name).map(|i| ComponentId(i as u32))
    }
}

/// One component, with its profile applied.
#[derive(Clone, Debug)]
pub struct Component {
    /// Unique name within the architecture.
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// Declared in `shared` (present in every architecture).
    pub shared: bool,
    /// Time to own failure; `None` for `Never` and for groups.
    pub fail: Option<Dist>,
    /// How an own failure ends; `Some` whenever `fail` is.
    pub recover: Option<Recovery>,
    /// Dependencies.
    pub needs: Needs,
    /// For a `Group`: what must be effectively up for it to carry the full load (below it but
    /// within `needs`, the group is up but degraded); never a dependency.
    pub full: Option<Needs>,
    /// Alerting: delay from an own failure until a `Repair` starts (none for `Replace`).
    pub alert: Option<Dist>,
    /// The crew a `Repair` waits for.
    pub crew: Option<CrewId>,
    /// Its repair's priority with the crew: higher first (default 0).
    pub priority: i64,
    /// Probability of failing to start when a standby group activates it.
    pub start_failure: f64,
    /// As a standby member: how long it carries the load once active, and how long its needs
    /// must hold again before it can carry it again.
    pub battery: Option<Battery>,
    /// With a battery: what it recharges from (any one up suffices; empty: no source needed).
    pub charges_from: Vec<ComponentId>,
    /// For a standby group: its members and failover delays.
    pub standby: Option<Standby>,
    /// Failure modes (given instead of `fail`, which is then `None`), in file order.
    pub modes: Vec<FailMode>,
    /// For a dataset's node: the index of the dataset in [`Architecture::datasets`].
    pub dataset: Option<u32>,
    /// For a `Queue`: how long it keeps a message.
    pub retention: Option<SimTime>,
    /// What it costs.
    pub cost: Cost,
}

/// What a component costs per hour provisioned, in the user's currency: clouds bill a
/// component whether it is up or down (a replaced instance is still billed), a standby member
/// its passive rate while it is not the active one.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cost {
    /// Per hour provisioned, up or down.
    pub per_hour: f64,
    /// Per hour as a passive standby member (`per_hour` unless given; 0 in a `Cold` group).
    pub passive_per_hour: f64,
}

impl Component {
    /// Everything this component's state depends on: its `needs`, then its standby members.
    /// (A dataset's node lists its holder and the hosts of its copies as `needs`, with a
    /// threshold of 0: the engine decides its state.)
    pub fn inputs(&self) -> impl Iterator<Item = ComponentId> + '_ {
        self.needs.of.iter().copied().chain(self.standby.iter().flat_map(|s| s.members.iter().copied()))
    }

    /// Whether it can fail at random (a `fail` distribution or a mode with one).
    pub fn can_fail(&self) -> bool {
        self.fail.is_some() || self.modes.iter().any(|m| m.fail.is_some())
    }

    /// The mean time `[ms]` an own failure ending with `recovery` keeps it down: alerting
    /// plus repair, or detection plus launch (waits for a crew left out).
    pub fn mean_recovery_ms(&self, recovery: &Recovery) -> f64 {
        match recovery {
            Recovery::Repair(d) => self.alert.map_or(0.0, |a| a.mean_ms()) + d.mean_ms(),
            Recovery::Replace { detect, launch } => detect.mean_ms() + launch.mean_ms(),
        }
    }

    /// The name of a failure mode as written in problem names.
    pub fn mode_name(&self, mode: Mode) -> String {
        match mode {
            Mode::Named(k) => self.modes[k as usize].name.clone(),
            Mode::InjectedNamed(k) => format!("injected-{}", self.modes[k as usize].name),
            Mode::DataLoss => "data-lost".to_string(),
            other => other.name().to_string(),
        }
    }
}

/// One failure mode of a component.
#[derive(Clone, Debug, PartialEq)]
pub struct FailMode {
    /// Name, unique within the component.
    pub name: String,
    /// Time to failure; `None` for `Never` (only injections use the mode).
    pub fail: Option<Dist>,
    /// A failure in this mode destroys the component's data and that of everything in it.
    pub loses_data: bool,
    /// How a failure in this mode ends.
    pub recover: Recovery,
}

/// A dataset: where its copies are and how it is recovered after losing its primary.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Name (also its node's).
    pub name: String,
    /// Its node among the architecture's components: up iff it has a live primary copy on an
    /// effectively up holder and no recovery is in progress.
    pub node: ComponentId,
    /// The component holding the primary copy at t = 0.
    pub holder: ComponentId,
    /// Replicas.
    pub replicas: Vec<Replica>,
    /// Backup chains.
    pub backups: Vec<Backup>,
    /// Time to promote a replica (`Fixed(0)` without replicas).
    pub promote: Dist,
    /// Time for a replica that lost its copy to resync (`Fixed(0)` without replicas).
    pub resync: Dist,
}

/// A replica of a dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct Replica {
    /// The component it lives on at t = 0.
    pub on: ComponentId,
    /// Replication lag; `None` for `Sync`.
    pub lag: Option<Dist>,
}

/// A backup chain.
#[derive(Clone, Debug, PartialEq)]
pub struct Backup {
    /// Interval between starts, > 0.
    pub every: SimTime,
    /// Where the backups are stored.
    pub to: ComponentId,
    /// Time to restore from one.
    pub restore: Dist,
    /// Time before a started backup is usable, < `every`.
    pub takes: SimTime,
    /// Backups start at `offset + k * every`, k >= 1.
    pub offset: SimTime,
    /// Where a restore goes, if not to the holder (e.g. a database in a recovery region); it
    /// holds the primary afterwards.
    pub into: Option<ComponentId>,
}

/// A limited runtime, as of a UPS battery.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Battery {
    /// How long it carries the load after becoming active.
    pub runtime: Dist,
    /// How long its needs must hold again to recharge.
    pub recharge: Dist,
}

/// An active/passive group: one active member at a time, failover to the next healthy one.
#[derive(Clone, Debug, PartialEq)]
pub struct Standby {
    /// Members in priority order (the first is active at t = 0).
    pub members: Vec<ComponentId>,
    /// Time from the active member becoming unhealthy to the decision to switch.
    pub detect: Dist,
    /// Time to switch to a member.
    pub switch: Dist,
    /// Switch back to a higher-priority member once it is healthy again.
    pub failback: bool,
    /// Passive members' failure clocks are paused (`Cold`) or run (`Hot`).
    pub cold: bool,
    /// `Warm(factor)`: passive members' failure clocks run at this fraction of real time, in
    /// (0, 1]; `None` for `Hot` and `Cold`.
    pub warm: Option<f64>,
}

/// How an own failure ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Recovery {
    /// Repaired in place after a sampled time.
    Repair(Dist),
    /// Detected after `detect`, then replaced by a new component after `launch`.
    Replace {
        /// Time to notice the failure.
        detect: Dist,
        /// Time to bring up the replacement.
        launch: Dist,
    },
}

/// How the `needs` list was written (kept for graphs and reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeedsRule {
    /// No dependencies.
    None,
    /// `All([..])`.
    All,
    /// `Any([..])`.
    Any,
    /// `AtLeast(k, [..])`.
    AtLeast,
    /// A dataset's node: `of` lists its holder and replica hosts; the engine decides.
    Data,
}

/// Compiled dependencies: effectively up iff at least `k` of `of` are effectively up.
#[derive(Clone, Debug, PartialEq)]
pub struct Needs {
    /// As written.
    pub rule: NeedsRule,
    /// Threshold; 0 when there are no dependencies, `of.len()` for `All`, 1 for `Any`.
    pub k: u32,
    /// The dependencies, in the order written, each once.
    pub of: Vec<ComponentId>,
}

/// Recurring planned outages of one component: own-down for exactly
/// `[at + k every, at + k every + duration)`, k >= 0 (`duration < every`). A window is an
/// overlay like an injection: it neither pauses nor restarts failure clocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Maintenance {
    /// The component taken down.
    pub target: ComponentId,
    /// Start of the first window.
    pub at: SimTime,
    /// Time between window starts, > `duration`.
    pub every: SimTime,
    /// Length of each window, > 0.
    pub duration: SimTime,
}

/// A scripted failure of one component: own-down for exactly `[at, at + duration)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Injection {
    /// The component made own-down.
    pub target: ComponentId,
    /// Start.
    pub at: SimTime,
    /// Length, > 0.
    pub duration: SimTime,
    /// The failure mode of the target it stands for (an index into its `modes`).
    pub mode: Option<u16>,
}
