//! Minimal cut sets from the dependency graph alone (the structure function, no timing).
//!
//! A *basic event* is the failure of a component that can fail on its own (it has a `fail`
//! distribution). Given a set of failed components, every component's state follows from its
//! `needs` (at least `k` of them up) and, for a standby group, from its members (up iff some
//! member is up: failover delays are timing, which the structure function leaves out; a dataset
//! is up while its holder is, since a replica is promoted only when data is lost). A *cut
//! set* is a set of basic events that takes the service down; it is *minimal* if no proper
//! subset does. They are enumerated by size up to the requested order, each size in
//! lexicographic order of the components' names, and a candidate is kept only if no smaller
//! cut set found is inside it. So the output order is stable: by size, then by names. Each
//! candidate is judged by propagating its failure from the all-up state (`single`), which
//! touches only what it takes down; order 1 costs about one pass over the graph in all.

use super::single::{Network, Verdict, single_failures};
use crate::model::{Architecture, ComponentId};

/// The minimal cut sets of `arch` with at most `order` components, as sorted name lists, by
/// size and then lexicographically.
pub fn minimal_cut_sets(arch: &Architecture, order: usize) -> Vec<Vec<String>> {
    if order == 0 {
        return Vec::new();
    }
    let mut events: Vec<ComponentId> = (0..arch.components.len() as u32)
        .map(ComponentId)
        .filter(|c| arch.components[c.index()].can_fail())
        .collect();
    events.sort_by(|a, b| arch.components[a.index()].name.cmp(&arch.components[b.index()].name));
    // Order 1 from the single-failure verdicts (linear for the usual shapes, see `single`);
    // larger sets by propagating each candidate from the all-up state.
    let single = single_failures(arch, None);
    let mut found: Vec<Vec<usize>> =
        (0..events.len()).filter(|&i| single[events[i].index()] == Verdict::Down).map(|i| vec![i]).collect(); // indices into `events`
    let mut alone = vec![false; events.len()];
    for cut in &found {
        alone[cut[0]] = true;
    }
    let mut net = Network::new(arch);
    let mut failed = Vec::new();
    for size in 2..=order.min(events.len()) {
        let mut combo: Vec<usize> = (0..size).collect();
        loop {
            let superset = combo.iter().any(|&i| alone[i])
                || found.iter().any(|cut| cut.len() > 1 && cut.iter().all(|i| combo.contains(i)));
            if !superset {
                failed.clear();
                failed.extend(combo.iter().map(|&i| events[i].index()));
                if net.takes_down(&failed) {
                    found.push(combo.clone());
                }
            }
            if !next_combination(&mut combo, events.len()) {
                break;
            }
        }
    }
    found
        .into_iter()
        .map(|cut| cut.into_iter().map(|i| arch.components[events[i].index()].name.clone()).collect())
        .collect()
}

/// The next k-combination of 0..n in lexicographic order; false after the last.
fn next_combination(combo: &mut [usize], n: usize) -> bool {
    let k = combo.len();
    for i in (0..k).rev() {
        if combo[i] < n - k + i {
            combo[i] += 1;
            for j in i + 1..k {
                combo[j] = combo[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

/// Components in an order where everything a component depends on comes first.
pub(crate) fn topological(arch: &Architecture) -> Vec<usize> {
    let n = arch.components.len();
    let mut order = Vec::with_capacity(n);
    let mut state = vec![0u8; n]; // 0 new, 1 in progress, 2 done
    for start in 0..n {
        let mut stack = vec![(start, false)];
        while let Some((c, expanded)) = stack.pop() {
            if expanded {
                state[c] = 2;
                order.push(c);
                continue;
            }
            if state[c] != 0 {
                continue;
            }
            state[c] = 1;
            stack.push((c, true));
            for d in arch.components[c].inputs() {
                if state[d.index()] == 0 {
                    stack.push((d.index(), false));
                }
            }
        }
    }
    order
}

/// Whether the service is up when exactly the components in `failed` are own-down, by one
/// pass over the whole graph: the reference that `single`'s propagation is tested against.
/// The Birnbaum importance (`importance::structure`) computes this same function's
/// probability: a change here is a change there, and its tests enumerate states through this
/// function.
#[cfg(test)]
pub(crate) fn service_up(arch: &Architecture, order: &[usize], failed: &[bool]) -> bool {
    let mut up = vec![false; arch.components.len()];
    for &c in order {
        let component = &arch.components[c];
        let needs_up = component.needs.of.iter().filter(|d| up[d.index()]).count() as u32;
        let members_ok = component.standby.as_ref().is_none_or(|s| s.members.iter().any(|m| up[m.index()]));
        // A dataset is up while its holder is: a replica is promoted only when data is lost,
        // not when the holder is merely down (a standby group as holder fails over itself).
        let data_ok = component.dataset.is_none_or(|d| up[arch.datasets[d as usize].holder.index()]);
        up[c] = !failed[c] && needs_up >= component.needs.k && members_ok && data_ok;
    }
    up[arch.service.index()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::compile_str;

    fn cuts(components: &str, order: usize) -> Vec<Vec<String>> {
        let text = format!(
            r#"(name: "c", horizon: "1y", architectures: [(name: "a", service: "svc", components: [{components}])])"#
        );
        let system = compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system;
        minimal_cut_sets(&system.architectures[0], order)
    }

    const M: &str = r#"fail: Exp(mean: "100h"), recover: Repair("1h")"#;

    fn names(sets: &[&[&str]]) -> Vec<Vec<String>> {
        sets.iter().map(|s| s.iter().map(|n| n.to_string()).collect()).collect()
    }

    #[test]
    fn series_parallel_and_k_of_n() {
        let series = format!(
            r#"(name: "x", kind: Instance, {M}), (name: "y", kind: Instance, {M}), (name: "svc", kind: Group, needs: All(["x", "y"]))"#
        );
        assert_eq!(cuts(&series, 2), names(&[&["x"], &["y"]]));
        let parallel = format!(
            r#"(name: "x", kind: Instance, {M}), (name: "y", kind: Instance, {M}), (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
        );
        assert_eq!(cuts(&parallel, 1), Vec::<Vec<String>>::new());
        assert_eq!(cuts(&parallel, 2), names(&[&["x", "y"]]));
        let two_of_three = format!(
            r#"(name: "x", kind: Instance, {M}), (name: "y", kind: Instance, {M}), (name: "z", kind: Instance, {M}),
               (name: "svc", kind: Group, needs: AtLeast(2, ["x", "y", "z"]))"#
        );
        assert_eq!(cuts(&two_of_three, 3), names(&[&["x", "y"], &["x", "z"], &["y", "z"]]));
    }

    #[test]
    fn a_shared_az_is_a_single_point_of_failure_and_supersets_are_not_minimal() {
        let shared = format!(
            r#"(name: "az", kind: Az, {M}), (name: "x", kind: Instance, {M}, needs: All(["az"])),
               (name: "y", kind: Instance, {M}, needs: All(["az"])), (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
        );
        assert_eq!(cuts(&shared, 3), names(&[&["az"], &["x", "y"]]));
    }

    #[test]
    fn a_bridge() {
        // svc needs (a or b) and (c or d); c needs a and d needs b. Order 2: {a, b} takes the
        // left side down, {c, d} the right; {a, d} takes c (which needs a) and d down, and
        // {b, c} takes d (which needs b) and c down.
        let bridge = format!(
            r#"(name: "a", kind: Instance, {M}), (name: "b", kind: Instance, {M}),
               (name: "c", kind: Instance, {M}, needs: All(["a"])), (name: "d", kind: Instance, {M}, needs: All(["b"])),
               (name: "left", kind: Group, needs: Any(["a", "b"])), (name: "right", kind: Group, needs: Any(["c", "d"])),
               (name: "svc", kind: Group, needs: All(["left", "right"]))"#
        );
        assert_eq!(cuts(&bridge, 2), names(&[&["a", "b"], &["a", "d"], &["b", "c"], &["c", "d"]]));
    }

    /// The cut sets as first written: every combination judged by a forward pass.
    fn by_forward_passes(arch: &Architecture, order: usize) -> Vec<Vec<String>> {
        let order_topo = topological(arch);
        let mut events: Vec<ComponentId> = (0..arch.components.len() as u32)
            .map(ComponentId)
            .filter(|c| arch.components[c.index()].can_fail())
            .collect();
        events.sort_by(|a, b| arch.components[a.index()].name.cmp(&arch.components[b.index()].name));
        let mut found: Vec<Vec<usize>> = Vec::new();
        let mut failed = vec![false; arch.components.len()];
        for size in 1..=order.min(events.len()) {
            let mut combo: Vec<usize> = (0..size).collect();
            loop {
                if !found.iter().any(|cut| cut.iter().all(|i| combo.contains(i))) {
                    combo.iter().for_each(|&i| failed[events[i].index()] = true);
                    if !service_up(arch, &order_topo, &failed) {
                        found.push(combo.clone());
                    }
                    combo.iter().for_each(|&i| failed[events[i].index()] = false);
                }
                if !next_combination(&mut combo, events.len()) {
                    break;
                }
            }
        }
        found
            .into_iter()
            .map(|c| c.into_iter().map(|i| arch.components[events[i].index()].name.clone()).collect())
            .collect()
    }

    #[test]
    fn propagation_finds_the_cut_sets_forward_passes_find() {
        let dir = format!("{}/scenarios", env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "ron")) {
            let system = compile_str(&std::fs::read_to_string(file).unwrap()).unwrap().system;
            for arch in &system.architectures {
                let order = if arch.components.len() > 100 { 1 } else { 3 };
                assert_eq!(
                    minimal_cut_sets(arch, order),
                    by_forward_passes(arch, order),
                    "{file:?} {}",
                    arch.name
                );
            }
        }
        for seed in 0..8 {
            for timing in [false, true] {
                let features = crate::analysis::generated::Features { timing, battery: false };
                let text = crate::analysis::generated::scenario(seed, 40, features);
                let arch = &compile_str(&text).unwrap().system.architectures[0];
                assert_eq!(
                    minimal_cut_sets(arch, 2),
                    by_forward_passes(arch, 2),
                    "seed {seed}, timing {timing}"
                );
            }
        }
    }

    #[test]
    fn a_standby_group_is_up_while_one_member_is() {
        let standby = format!(
            r#"(name: "p", kind: Database, {M}), (name: "q", kind: Database, {M}),
               (name: "svc", kind: Group, standby: (members: ["p", "q"], detect: "1m", switch: "1m"))"#
        );
        assert_eq!(cuts(&standby, 2), names(&[&["p", "q"]]));
    }
}
