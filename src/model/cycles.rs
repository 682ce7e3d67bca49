//! Dependency cycles, found with Tarjan's strongly connected components and printed whole.
//!
//! Each strongly connected component with a cycle is reported once, as the shortest cycle
//! through its smallest id, following `needs` (then standby members) in the order written, so
//! the message is stable
//! and reads as "a -> b -> c -> a" (a needs b, b needs c, c needs a).
//!
//! Decision: the walk is iterative, with an explicit stack of frames, rather than petgraph's
//! `tarjan_scc`, which recurses once per node on the path: a chain of 100,000 components
//! declared service first overflows the thread's stack there. Memory is linear in the
//! components and their inputs, whatever the depth.

use std::collections::VecDeque;

use super::{Component, ComponentId};

/// One cycle per cyclic strongly connected component, ordered by their smallest id. A cycle is
/// listed from its smallest id, each element needing the next, the last needing the first.
pub fn find_cycles(components: &[Component]) -> Vec<Vec<ComponentId>> {
    let inputs = Adjacency::new(components);
    let mut search = CycleSearch::new(components.len());
    let mut cycles: Vec<Vec<ComponentId>> = strongly_connected(&inputs)
        .into_iter()
        .filter_map(|members| {
            let start = *members.iter().min()?;
            let self_loop = inputs.of(start).contains(&start);
            (members.len() > 1 || self_loop).then(|| search.shortest(&inputs, start, &members))
        })
        .collect();
    cycles.sort();
    cycles
}

/// Every component's inputs (`needs`, then standby members) as one compact array.
struct Adjacency {
    starts: Vec<usize>,
    targets: Vec<usize>,
}

impl Adjacency {
    fn new(components: &[Component]) -> Adjacency {
        let mut starts = Vec::with_capacity(components.len() + 1);
        let mut targets = Vec::new();
        for c in components {
            starts.push(targets.len());
            targets.extend(c.inputs().map(|d| d.index()));
        }
        starts.push(targets.len());
        Adjacency { starts, targets }
    }

    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn of(&self, node: usize) -> &[usize] {
        &self.targets[self.starts[node]..self.starts[node + 1]]
    }
}

/// Tarjan's algorithm with an explicit call stack: each frame is a node and the position of
/// the next input to follow. Returns every strongly connected component (acyclic singletons
/// included), in the order Tarjan closes them.
fn strongly_connected(graph: &Adjacency) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = graph.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut frames: Vec<(usize, usize)> = Vec::new();
    let mut next_index = 0;
    let mut components = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        frames.push((root, 0));
        while let Some(&mut (v, ref mut edge)) = frames.last_mut() {
            if *edge == 0 && index[v] == UNSEEN {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = graph.of(v).get(*edge) {
                *edge += 1;
                if index[w] == UNSEEN {
                    frames.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(members);
            }
        }
    }
    components
}

/// Breadth-first search state reused across components, reset only where it was written, so
/// many small cycles in a large model cost their own size, not the model's each.
struct CycleSearch {
    previous: Vec<Option<usize>>,
    member: Vec<bool>,
}

impl CycleSearch {
    fn new(n: usize) -> CycleSearch {
        CycleSearch { previous: vec![None; n], member: vec![false; n] }
    }

    /// The shortest cycle from `start` back to itself, staying inside `members`.
    fn shortest(&mut self, graph: &Adjacency, start: usize, members: &[usize]) -> Vec<ComponentId> {
        for &m in members {
            self.member[m] = true;
        }
        let cycle = self.search(graph, start);
        for &m in members {
            self.member[m] = false;
            self.previous[m] = None;
        }
        cycle
    }

    fn search(&mut self, graph: &Adjacency, start: usize) -> Vec<ComponentId> {
        let mut queue = VecDeque::from([start]);
        while let Some(at) = queue.pop_front() {
            for &next in graph.of(at) {
                if next == start {
                    let mut cycle = vec![ComponentId(at as u32)];
                    let mut cur = at;
                    while cur != start {
                        cur = self.previous[cur].expect("visited nodes have a predecessor");
                        cycle.push(ComponentId(cur as u32));
                    }
                    cycle.reverse();
                    return cycle;
                }
                if self.member[next] && self.previous[next].is_none() {
                    self.previous[next] = Some(at);
                    queue.push_back(next);
                }
            }
        }
        unreachable!("a strongly connected component with a cycle has a cycle through each member")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(usize, usize)]) -> Adjacency {
        let mut lists = vec![Vec::new(); n];
        for &(from, to) in edges {
            lists[from].push(to);
        }
        let mut starts = vec![0];
        let mut targets = Vec::new();
        for list in lists {
            targets.extend(list);
            starts.push(targets.len());
        }
        Adjacency { starts, targets }
    }

    /// Components as sorted member lists, sorted: a partition to compare.
    fn partition(components: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
        let mut p: Vec<Vec<usize>> = components
            .into_iter()
            .map(|mut c| {
                c.sort();
                c
            })
            .collect();
        p.sort();
        p
    }

    /// The same partition as petgraph's Kosaraju (another algorithm) on 300 random graphs
    /// from a fixed seed, sparse to dense.
    #[test]
    fn components_match_kosaraju_on_random_graphs() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |bound: usize| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % bound as u64) as usize
        };
        for case in 0..300 {
            let n = 1 + next(30);
            let m = next(n * (1 + case % 4));
            let edges: Vec<(usize, usize)> = (0..m).map(|_| (next(n), next(n))).collect();
            let mut reference: petgraph::graph::DiGraph<(), ()> = petgraph::graph::DiGraph::new();
            let nodes: Vec<_> = (0..n).map(|_| reference.add_node(())).collect();
            for &(a, b) in &edges {
                reference.add_edge(nodes[a], nodes[b], ());
            }
            let expected = petgraph::algo::kosaraju_scc(&reference)
                .into_iter()
                .map(|c| c.into_iter().map(|x| x.index()).collect())
                .collect();
            assert_eq!(
                partition(strongly_connected(&graph(n, &edges))),
                partition(expected),
                "case {case}: {edges:?}"
            );
        }
    }

    #[test]
    fn a_chain_of_a_million_is_walked_without_recursion() {
        // 0 -> 1 -> ... -> n-1 -> 0: one component of every node, on the test thread's stack.
        let n = 1_000_000;
        let edges: Vec<(usize, usize)> = (0..n).map(|i| (i, (i + 1) % n)).collect();
        let components = strongly_connected(&graph(n, &edges));
        assert_eq!(components.len(), 1);
        assert_eq!(components[0].len(), n);
        let mut search = CycleSearch::new(n);
        let cycle = search.shortest(&graph(n, &edges), 0, &components[0]);
        assert_eq!(cycle.len(), n);
        assert!(cycle.iter().enumerate().all(|(i, c)| c.index() == i));
    }
}
