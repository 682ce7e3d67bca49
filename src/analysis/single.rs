//! What failing one component (or a few) does to the service, judged from the dependency
//! graph by incremental propagation, without a pass over the whole model per failure.
//!
//! The structure function is the one of `cutsets::service_up`: a component is up iff it is not
//! failed and each of its *gates* holds: its `needs` (at most `len - k` of them down), its
//! standby members (at most `len - 1` down: one up is enough) and, for a dataset's node, its
//! holder (not down). Starting from everything up, failing a set of components changes only
//! what it reaches: a down input adds one to its dependent's count for that gate, and the
//! dependent goes down when a count passes the gate's *slack*. [`Network::spread`] follows
//! exactly those changes and [`Network::undo`] restores the all-up state, so one evaluation
//! costs the edges of what went down, not the size of the model.
//!
//! Single failures ([`single_failures`]) go further, in dependents-first order: a component
//! none of whose dependents has a gate with slack 0 takes only itself down (each dependent sees
//! one input down, which its gate tolerates), and a component with a single dependent, through
//! a gate with slack 0, takes down itself and exactly what that dependent takes down alone, so
//! it inherits the dependent's verdict. Only the other components (several dependents, one of
//! them through a gate without slack: regions, zones, shared stores) are propagated from
//! explicitly. A chain of any depth, or a tier of a hundred thousand redundant instances, is
//! then linear; the cost beyond linear is the total size of what the fan-out components
//! take down (quadratic only for a graph where most components feed several others and each
//! takes much of the model down with it). (Dominators of the service answer the same question only for graphs of `Any`
//! edges; `All` and `AtLeast` gates, where one failure reaching a gate through two inputs
//! counts twice, need the counts.)
//!
//! Some components may be marked *special*: their reaction is not the structure function's
//! (for the sweep, anything with timing: standby groups and members, datasets and what holds
//! them, queues, batteries). A failure that reaches one (takes it down, or moves one of its
//! counts) gets [`Verdict::Special`]: the caller must simulate it.

use crate::model::Architecture;

/// What a failure does, from the graph alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The service stays up, and no special component is reached.
    Harmless,
    /// The service goes down, and no special component is reached.
    Down,
    /// A special component is reached: only a simulation tells.
    Special,
}

/// The gates of a component, as indices into its counts.
const NEEDS: usize = 0;
const MEMBERS: usize = 1;
const HOLDER: usize = 2;

/// A gate that never fails (a component without needs, members or holder).
const NEVER: u32 = u32::MAX;

/// The dependency graph of one architecture, dependents-side, with per-gate counts.
pub(crate) struct Network {
    /// For component `u`, `edges[starts[u]..starts[u + 1]]` are (dependent, gate).
    starts: Vec<u32>,
    edges: Vec<(u32, u8)>,
    /// Per component and gate: how many inputs may be down before it fails.
    slack: Vec<[u32; 3]>,
    /// Per component and gate: inputs down now.
    count: Vec<[u32; 3]>,
    down: Vec<bool>,
    /// Components whose counts or state changed since the last undo (with repeats).
    touched: Vec<u32>,
    stack: Vec<u32>,
    service: usize,
}

impl Network {
    /// The graph of `arch`, everything up.
    pub(crate) fn new(arch: &Architecture) -> Network {
        let n = arch.components.len();
        let mut slack = vec![[NEVER; 3]; n];
        let mut pairs: Vec<(u32, u32, u8)> = Vec::new(); // (input, dependent, gate)
        for (v, c) in arch.components.iter().enumerate() {
            let v32 = v as u32;
            if c.needs.k > 0 {
                slack[v][NEEDS] = c.needs.of.len() as u32 - c.needs.k;
            }
            pairs.extend(c.needs.of.iter().map(|d| (d.0, v32, NEEDS as u8)));
            if let Some(standby) = &c.standby {
                slack[v][MEMBERS] = standby.members.len().saturating_sub(1) as u32;
                pairs.extend(standby.members.iter().map(|m| (m.0, v32, MEMBERS as u8)));
            }
            if let Some(d) = c.dataset {
                slack[v][HOLDER] = 0;
                pairs.push((arch.datasets[d as usize].holder.0, v32, HOLDER as u8));
            }
        }
        let mut starts = vec![0u32; n + 1];
        for &(u, _, _) in &pairs {
            starts[u as usize + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut edges = vec![(0u32, 0u8); pairs.len()];
        for &(u, v, g) in &pairs {
            edges[next[u as usize] as usize] = (v, g);
            next[u as usize] += 1;
        }
        Network {
            starts,
            edges,
            slack,
            count: vec![[0; 3]; n],
            down: vec![false; n],
            touched: Vec::new(),
            stack: Vec::new(),
            service: arch.service.index(),
        }
    }

    fn out(&self, u: usize) -> &[(u32, u8)] {
        &self.edges[self.starts[u] as usize..self.starts[u + 1] as usize]
    }

    /// Fails `failed` (from the all-up state) and follows what goes down. With `special`, a
    /// component marked there that goes down or sees a count move gives [`Verdict::Special`]
    /// at once; without, the spread stops once the service is down. Call [`Network::undo`]
    /// before the next spread.
    pub(crate) fn spread(&mut self, failed: &[usize], special: Option<&[bool]>) -> Verdict {
        let is_special = |v: usize| special.is_some_and(|s| s[v]);
        let mut verdict = Verdict::Harmless;
        for &f in failed {
            if is_special(f) {
                return Verdict::Special;
            }
            if !self.down[f] {
                self.down[f] = true;
                self.touched.push(f as u32);
                self.stack.push(f as u32);
            }
            if f == self.service {
                verdict = Verdict::Down;
            }
        }
        while let Some(u) = self.stack.pop() {
            if verdict == Verdict::Down && special.is_none() {
                break;
            }
            for k in self.starts[u as usize]..self.starts[u as usize + 1] {
                let (v, gate) = self.edges[k as usize];
                let (v, gate) = (v as usize, gate as usize);
                if is_special(v) {
                    return Verdict::Special;
                }
                self.count[v][gate] += 1;
                self.touched.push(v as u32);
                if !self.down[v] && self.count[v][gate] > self.slack[v][gate] {
                    self.down[v] = true;
                    self.stack.push(v as u32);
                    if v == self.service {
                        verdict = Verdict::Down;
                    }
                }
            }
        }
        verdict
    }

    /// Back to everything up.
    pub(crate) fn undo(&mut self) {
        for &v in &self.touched {
            self.count[v as usize] = [0; 3];
            self.down[v as usize] = false;
        }
        self.touched.clear();
        self.stack.clear();
    }

    /// Whether failing exactly `failed` takes the service down.
    pub(crate) fn takes_down(&mut self, failed: &[usize]) -> bool {
        let down = self.spread(failed, None) == Verdict::Down;
        self.undo();
        down
    }
}

/// The verdict of failing each component alone, by component id. `special` marks the
/// components whose reaction needs a simulation (`None`: the pure structure function).
pub(crate) fn single_failures(arch: &Architecture, special: Option<&[bool]>) -> Vec<Verdict> {
    let is_special = |v: usize| special.is_some_and(|s| s[v]);
    let mut net = Network::new(arch);
    let order = super::cutsets::topological(arch); // inputs first
    let mut verdict = vec![Verdict::Harmless; arch.components.len()];
    for &u in order.iter().rev() {
        verdict[u] = if is_special(u) {
            Verdict::Special
        } else if u == net.service {
            Verdict::Down
        } else {
            let out = net.out(u);
            let critical = out.iter().filter(|&&(v, g)| net.slack[v as usize][g as usize] == 0).count();
            match (critical, out) {
                // No dependent loses a gate: the failure stays where it is (a special
                // dependent still sees a count move).
                (0, _) if out.iter().all(|&(v, _)| !is_special(v as usize)) => Verdict::Harmless,
                // One dependent, which goes down with it: the same as failing that one.
                (1, [(w, _)]) => verdict[*w as usize],
                _ => {
                    let v = net.spread(&[u], special);
                    net.undo();
                    v
                }
            }
        };
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::cutsets::{service_up, topological};
    use crate::model::compile_str;

    fn arch(components: &str) -> Architecture {
        let text = format!(
            r#"(name: "c", horizon: "1y", architectures: [(name: "a", service: "svc", components: [{components}])])"#
        );
        compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system.architectures.remove(0)
    }

    const M: &str = r#"fail: Exp(mean: "100h"), recover: Repair("1h")"#;

    /// The verdict of every component, against one forward pass of the structure function per
    /// component.
    fn agrees_with_forward_passes(a: &Architecture) {
        let fast = single_failures(a, None);
        let order = topological(a);
        for (i, v) in fast.iter().enumerate() {
            let mut failed = vec![false; a.components.len()];
            failed[i] = true;
            let down = !service_up(a, &order, &failed);
            assert_eq!(*v == Verdict::Down, down, "{}", a.components[i].name);
            assert_ne!(*v, Verdict::Special);
        }
    }

    #[test]
    fn a_common_cause_reaching_a_redundant_gate_twice_takes_it_down() {
        // az feeds x and y, the service needs any of them: az alone is a cut, x alone is not.
        let a = arch(&format!(
            r#"(name: "az", kind: Az, {M}), (name: "x", kind: Instance, {M}, needs: All(["az"])),
               (name: "y", kind: Instance, {M}, needs: All(["az"])), (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
        ));
        let v = single_failures(&a, None);
        let of = |n: &str| v[a.find(n).unwrap().index()];
        assert_eq!(
            (of("az"), of("x"), of("y"), of("svc")),
            (Verdict::Down, Verdict::Harmless, Verdict::Harmless, Verdict::Down)
        );
        agrees_with_forward_passes(&a);
    }

    #[test]
    fn chains_inherit_and_k_of_n_counts() {
        // c3 -> c2 -> c1 in series, then 2 of 3 of (c1, p, q).
        let a = arch(&format!(
            r#"(name: "c3", kind: Instance, {M}), (name: "c2", kind: Instance, {M}, needs: All(["c3"])),
               (name: "c1", kind: Instance, {M}, needs: All(["c2"])), (name: "p", kind: Instance, {M}, needs: All(["c3"])),
               (name: "q", kind: Instance, {M}), (name: "svc", kind: Group, needs: AtLeast(2, ["c1", "p", "q"]))"#
        ));
        let v = single_failures(&a, None);
        let of = |n: &str| v[a.find(n).unwrap().index()];
        // c3 takes c1 and p down: 2 of 3 lost.
        assert_eq!(
            (of("c3"), of("c2"), of("c1"), of("q")),
            (Verdict::Down, Verdict::Harmless, Verdict::Harmless, Verdict::Harmless)
        );
        agrees_with_forward_passes(&a);
    }

    #[test]
    fn standby_groups_and_datasets_follow_the_structure_function() {
        let a = arch(&format!(
            r#"(name: "az", kind: Az, {M}), (name: "p", kind: Database, {M}, needs: All(["az"])),
               (name: "q", kind: Database, {M}, needs: All(["az"])), (name: "r", kind: Database, {M}),
               (name: "db", kind: Group, standby: (members: ["p", "q"], detect: "1m", switch: "1m")),
               (name: "svc", kind: Group, needs: All(["db", "r"]))"#
        ));
        agrees_with_forward_passes(&a);
        let v = single_failures(&a, None);
        assert_eq!(v[a.find("az").unwrap().index()], Verdict::Down);
        assert_eq!(v[a.find("p").unwrap().index()], Verdict::Harmless);
    }

    #[test]
    fn a_special_component_reached_is_reported_even_through_a_tolerant_gate() {
        let a = arch(&format!(
            r#"(name: "x", kind: Instance, {M}), (name: "y", kind: Instance, {M}),
               (name: "g", kind: Group, needs: Any(["x", "y"])), (name: "svc", kind: Group, needs: All(["g"]))"#
        ));
        let mut special = vec![false; a.components.len()];
        special[a.find("g").unwrap().index()] = true;
        let v = single_failures(&a, Some(&special));
        assert_eq!(v[a.find("x").unwrap().index()], Verdict::Special);
        assert_eq!(v[a.find("svc").unwrap().index()], Verdict::Down);
    }

    #[test]
    fn generated_designs_agree_with_forward_passes() {
        for seed in 0..12 {
            for timing in [false, true] {
                let features = crate::analysis::generated::Features { timing, battery: false };
                let text = crate::analysis::generated::scenario(seed, 150, features);
                let system = compile_str(&text).unwrap_or_else(|d| panic!("{text}\n{d:#?}")).system;
                agrees_with_forward_passes(&system.architectures[0]);
            }
        }
    }

    #[test]
    fn spread_and_undo_restore_the_all_up_state() {
        let a = arch(&format!(
            r#"(name: "x", kind: Instance, {M}), (name: "y", kind: Instance, {M}), (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
        ));
        let mut net = Network::new(&a);
        let (x, y) = (a.find("x").unwrap().index(), a.find("y").unwrap().index());
        assert!(net.takes_down(&[x, y]));
        assert!(!net.takes_down(&[x]));
        assert!(!net.takes_down(&[y]));
        assert!(net.takes_down(&[y, x]));
    }
}
