//! Dependency cycles, found with petgraph's Tarjan SCC and printed whole.
//!
//! Each strongly connected component with a cycle is reported once, as the shortest cycle
//! through its smallest id, following `needs` (then standby members) in the order written, so
//! the message is stable
//! and reads as "a -> b -> c -> a" (a needs b, b needs c, c needs a).

use std::collections::VecDeque;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::{Component, ComponentId};

/// One cycle per cyclic strongly connected component, ordered by their smallest id. A cycle is
/// listed from its smallest id, each element needing the next, the last needing the first.
pub fn find_cycles(components: &[Component]) -> Vec<Vec<ComponentId>> {
    let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(components.len(), 0);
    for _ in components {
        graph.add_node(());
    }
    for (i, c) in components.iter().enumerate() {
        for d in c.inputs() {
            graph.add_edge(NodeIndex::new(i), NodeIndex::new(d.index()), ());
        }
    }
    let mut cycles: Vec<Vec<ComponentId>> = tarjan_scc(&graph)
        .into_iter()
        .filter_map(|scc| {
            let members: Vec<usize> = scc.iter().map(|n| n.index()).collect();
            let start = *members.iter().min()?;
            let self_loop = components[start].inputs().any(|d| d == ComponentId(start as u32));
            (members.len() > 1 || self_loop).then(|| shortest_cycle(components, start, &members))
        })
        .collect();
    cycles.sort();
    cycles
}

/// Breadth-first search from `start` back to itself, staying inside `members`.
fn shortest_cycle(components: &[Component], start: usize, members: &[usize]) -> Vec<ComponentId> {
    let mut previous: Vec<Option<usize>> = vec![None; components.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for next in components[at].inputs().map(|d| d.index()) {
            if next == start {
                let mut cycle = vec![ComponentId(at as u32)];
                let mut cur = at;
                while cur != start {
                    cur = previous[cur].expect("visited nodes have a predecessor");
                    cycle.push(ComponentId(cur as u32));
                }
                cycle.reverse();
                return cycle;
            }
            if members.contains(&next) && previous[next].is_none() {
                previous[next] = Some(at);
                queue.push_back(next);
            }
        }
    }
    unreachable!("a strongly connected component with a cycle has a cycle through each member")
}
