//! The structure function of `cutsets::service_up` as a network of gates over the service's
//! cone, and the split of its variables into *free* ones and *conditioned* ones.
//!
//! A node is up iff it is own-up, at least `k` of its `needs` are up (when `k` > 0: a
//! dataset's node lists hosts with `k` = 0, so they do not count), some member is up (a
//! standby group) and its holder is up (a dataset). `Async` producers need only their queue,
//! as compiled. Only the cone of the service (what it depends on, through those edges) is
//! kept, in topological order, the service last.
//!
//! A variable reaching the service along exactly one path (counting each position in a
//! `needs` or `members` list as its own edge) is *free*: below any gate it appears under one
//! input only. One reaching it along two or more (an AZ under many instances, a region under
//! its AZs) is *conditioned*. Once the conditioned variables are fixed, the inputs of every
//! gate depend on disjoint sets of free variables, so they are independent and each gate's
//! probability follows from its inputs' exactly.

use crate::analysis::cutsets::topological;
use crate::model::{Architecture, ComponentId};

/// How a node's own state enters its gate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Own {
    /// Cannot fail (and not asked about): always own-up.
    Up,
    /// A free variable, by index into [`Structure::free`].
    Free(u32),
    /// A conditioned variable, by index into [`Structure::conditioned`] (a bit of the state).
    Conditioned(u32),
}

/// One component's gate: own AND AtLeast(k, needs) AND Any(members) AND holder.
#[derive(Clone, Debug)]
pub(super) struct Node {
    /// Its own state.
    pub own: Own,
    /// Threshold over the first `needs` inputs; 0 when the needs do not count.
    pub k: u32,
    /// Inputs that are needs.
    pub needs: u32,
    /// A standby group: up only while one of the next `members` inputs is.
    pub standby: bool,
    /// Inputs that are standby members (after the needs).
    pub members: u32,
    /// A dataset's node: the last input is its holder.
    pub holder: bool,
    /// Where its inputs start in [`Structure::inputs`].
    pub first_input: u32,
    /// A free variable lies at or below it, and it reaches the service along one path: the
    /// derivative pass goes through it.
    pub grad: bool,
}

/// A variable: a component and its own steady-state probabilities.
#[derive(Clone, Copy, Debug)]
pub(super) struct Var {
    /// Its node.
    pub slot: u32,
    /// P(own-up) and P(own-down), each computed directly.
    pub up: f64,
    /// See `up`.
    pub down: f64,
}

/// The gate network of one architecture.
#[derive(Clone, Debug)]
pub(super) struct Structure {
    /// The cone's nodes, inputs before the nodes that use them, the service last.
    pub nodes: Vec<Node>,
    /// Inputs of the nodes, as node positions (see [`Node::first_input`]).
    pub inputs: Vec<u32>,
    /// The component of each node.
    pub component: Vec<ComponentId>,
    /// Free variables, in node order.
    pub free: Vec<Var>,
    /// Conditioned variables, in node order.
    pub conditioned: Vec<Var>,
    /// Work units of one pass over the network (a node, or one input through one state of a
    /// gate's recurrence): the unit of the budget.
    pub pass_cost: u64,
}

impl Node {
    /// Its inputs: needs, then members, then holder.
    pub(super) fn inputs<'a>(&self, s: &'a Structure) -> &'a [u32] {
        let start = self.first_input as usize;
        &s.inputs[start..start + (self.needs + self.members + u32::from(self.holder)) as usize]
    }
}

impl Structure {
    /// The network of `arch`, with a variable for every component that can fail and for each
    /// of `wanted` (asked about although it cannot fail: its own state is then up with
    /// probability 1). `own` gives a component's (P(up), P(down)).
    pub(super) fn new(
        arch: &Architecture,
        wanted: &[ComponentId],
        own: impl Fn(ComponentId) -> (f64, f64),
    ) -> Self {
        let n = arch.components.len();
        let order = topological(arch);
        let edges = |c: usize| -> Vec<usize> {
            let comp = &arch.components[c];
            let mut e: Vec<usize> = Vec::new();
            if comp.needs.k > 0 {
                e.extend(comp.needs.of.iter().map(|d| d.index()));
            }
            if let Some(s) = &comp.standby {
                e.extend(s.members.iter().map(|m| m.index()));
            }
            if let Some(d) = comp.dataset {
                e.push(arch.datasets[d as usize].holder.index());
            }
            e
        };
        // Paths to the service, saturated at 2; 0 outside the cone.
        let mut paths = vec![0u8; n];
        paths[arch.service.index()] = 1;
        for &c in order.iter().rev() {
            if paths[c] > 0 {
                for d in edges(c) {
                    paths[d] = (paths[d] + paths[c]).min(2);
                }
            }
        }
        let mut is_wanted = vec![false; n];
        wanted.iter().for_each(|c| is_wanted[c.index()] = true);
        let cone: Vec<usize> = order.into_iter().filter(|&c| paths[c] > 0).collect();
        let mut slot = vec![u32::MAX; n];
        cone.iter().enumerate().for_each(|(i, &c)| slot[c] = i as u32);

        let mut s = Structure {
            nodes: Vec::with_capacity(cone.len()),
            inputs: Vec::new(),
            component: cone.iter().map(|&c| ComponentId(c as u32)).collect(),
            free: Vec::new(),
            conditioned: Vec::new(),
            pass_cost: 0,
        };
        for (i, &c) in cone.iter().enumerate() {
            let comp = &arch.components[c];
            let id = ComponentId(c as u32);
            let own_state = if comp.can_fail() || is_wanted[c] {
                let (up, down) = own(id);
                let var = Var { slot: i as u32, up, down };
                if paths[c] >= 2 {
                    s.conditioned.push(var);
                    Own::Conditioned(s.conditioned.len() as u32 - 1)
                } else {
                    s.free.push(var);
                    Own::Free(s.free.len() as u32 - 1)
                }
            } else {
                Own::Up
            };
            let first_input = s.inputs.len() as u32;
            s.inputs.extend(edges(c).into_iter().map(|d| slot[d]));
            let node = Node {
                own: own_state,
                k: comp.needs.k,
                needs: if comp.needs.k > 0 { comp.needs.of.len() as u32 } else { 0 },
                standby: comp.standby.is_some(),
                members: comp.standby.as_ref().map_or(0, |s| s.members.len() as u32),
                holder: comp.dataset.is_some(),
                first_input,
                grad: false,
            };
            let grad = paths[c] == 1
                && (matches!(own_state, Own::Free(_))
                    || node.inputs(&s).iter().any(|&j| s.nodes[j as usize].grad));
            let (m, k) = (u64::from(node.needs), u64::from(node.k));
            let states = if k == 0 || k > m { 0 } else { k.min(m - k + 1) };
            s.pass_cost += (1 + m * states + u64::from(node.members)) * (1 + u64::from(grad));
            s.nodes.push(Node { grad, ..node });
        }
        s
    }
}
