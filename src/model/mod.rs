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

pub use compile::{Compiled, compile, compile_str};
pub use dot::to_dot;

use petgraph::graph::DiGraph;

use crate::dist::Dist;
use crate::scenario::Kind;
use crate::time::SimTime;

/// Dense index of a component within one architecture, in declaration order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// Number of replications, >= 1.
    pub replications: u64,
    /// `false`: random failures are off; only injections happen.
    pub random: bool,
    /// The candidate designs, in file order.
    pub architectures: Vec<Architecture>,
}

/// Targets one architecture is held to (the scenario's, overridden field by field).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Objectives {
    /// Minimum availability, a fraction in [0, 1].
    pub availability: Option<f64>,
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
    /// Dependency graph: node index = component id, edge dependency -> dependent.
    pub graph: DiGraph<ComponentId, ()>,
    /// For component `i`, `dependents[dependent_starts[i]..dependent_starts[i + 1]]` are the
    /// components whose `needs` list it (each once, ascending).
    pub dependents: Vec<ComponentId>,
    /// Offsets into `dependents`, one per component plus one.
    pub dependent_starts: Vec<u32>,
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

/// A scripted failure of one component: own-down for exactly `[at, at + duration)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Injection {
    /// The component made own-down.
    pub target: ComponentId,
    /// Start.
    pub at: SimTime,
    /// Length, > 0.
    pub duration: SimTime,
}
