//! Graphviz DOT of an architecture's dependency graph (`faultline graph`).
//!
//! Edges point from a component to what it needs, so `dot` draws the service on top and the
//! infrastructure (regions, AZs, power) at the bottom. Redundancy is drawn distinctly: a
//! component whose `needs` are `Any` or `AtLeast` is a double octagon labelled with its rule
//! ("any 1 of 2", "2 of 3"), and its edges are dashed; `All` edges are solid. A standby group
//! is a double octagon too, with dotted edges to its members labelled by priority (1 is the
//! primary). Groups have no
//! failures of their own, which their rounded, dashed outline says. Shared components are
//! grey, the service is bold. Data is drawn apart from dependencies, in blue, with edges that
//! do not shape the layout but the first: a dataset (a note) points to its holder (`primary`), and the
//! holder points to each replica (`sync`, or `async` with the lag's mean) and each backup
//! store (`backup every D`), a backup store to the component a restore goes `into`. Output is
//! deterministic: nodes and edges in id order, a dataset's data edges after its node's.

use std::fmt::Write as _;

use super::Kind;
use super::{Architecture, Dataset, NeedsRule};
use crate::time::SimTime;

/// Renders `arch` as a DOT digraph.
pub fn to_dot(arch: &Architecture) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&arch.name));
    let _ = writeln!(out, "  rankdir=TB;");
    let _ = writeln!(out, "  node [fontname=\"sans-serif\", fontsize=11];");
    let _ = writeln!(out, "  edge [fontname=\"sans-serif\", fontsize=9];");
    for (i, c) in arch.components.iter().enumerate() {
        let redundant = matches!(c.needs.rule, NeedsRule::Any | NeedsRule::AtLeast) || c.standby.is_some();
        let shape = match (c.kind, redundant) {
            (_, true) => "doubleoctagon",
            (Kind::Group, false) => "box",
            (Kind::Region | Kind::Az, _) => "folder",
            (Kind::Power, _) => "house",
            (Kind::Link, _) => "cds",
            (Kind::Database | Kind::Storage, _) => "cylinder",
            (Kind::Queue, _) => "box3d",
            (Kind::Dataset, _) => "note",
            _ => "box",
        };
        let mut label = format!("{}\\n{}", escape(&c.name), c.kind.name());
        if let Some(standby) = &c.standby {
            let _ = write!(
                label,
                "\\nstandby, 1 of {} active{}",
                standby.members.len(),
                if standby.failback { ", failback" } else { "" }
            );
        } else if redundant {
            let n = c.needs.of.len();
            let _ = write!(
                label,
                "\\n{}",
                if c.needs.rule == NeedsRule::Any {
                    format!("any 1 of {n}")
                } else {
                    format!("{} of {n}", c.needs.k)
                }
            );
        }
        let mut style = vec![];
        if c.kind == Kind::Group {
            style.extend(["rounded", "dashed"]);
        }
        if i == arch.service.index() {
            style.push("bold");
        }
        if c.shared {
            style.push("filled");
        }
        let _ = write!(out, "  n{i} [label=\"{label}\", shape={shape}");
        if !style.is_empty() {
            let _ = write!(out, ", style=\"{}\"", style.join(","));
        }
        if c.shared {
            let _ = write!(out, ", fillcolor=\"#e8e8e8\"");
        }
        if i == arch.service.index() {
            let _ = write!(out, ", penwidth=2");
        }
        let _ = writeln!(out, "];");
    }
    for (i, c) in arch.components.iter().enumerate() {
        if let Some(d) = c.dataset {
            data_edges(&mut out, i, &arch.datasets[d as usize]);
            continue;
        }
        let dashed = matches!(c.needs.rule, NeedsRule::Any | NeedsRule::AtLeast);
        for d in &c.needs.of {
            let _ = writeln!(out, "  n{i} -> n{}{};", d.index(), if dashed { " [style=dashed]" } else { "" });
        }
        if let Some(standby) = &c.standby {
            for (priority, m) in standby.members.iter().enumerate() {
                let _ = writeln!(out, "  n{i} -> n{} [style=dotted, label=\"{}\"];", m.index(), priority + 1);
            }
        }
    }
    out.push_str("}\n");
    out
}

/// The edges of dataset `ds`, whose node is `node`: to its holder, from the holder to its
/// copies, from a backup store to where a restore goes.
fn data_edges(out: &mut String, node: usize, ds: &Dataset) {
    const DATA: &str = "color=\"#1f5fbf\", fontcolor=\"#1f5fbf\", constraint=false";
    let holder = ds.holder.index();
    let _ = writeln!(
        out,
        "  n{node} -> n{holder} [label=\"primary\", color=\"#1f5fbf\", fontcolor=\"#1f5fbf\"];"
    );
    for r in &ds.replicas {
        let mode = match r.lag {
            None => "sync".to_string(),
            Some(lag) => format!("async, lag {}", SimTime(libm::round(lag.mean_ms()) as u64)),
        };
        let _ = writeln!(out, "  n{holder} -> n{} [label=\"{mode}\", style=bold, {DATA}];", r.on.index());
    }
    for b in &ds.backups {
        let _ = writeln!(
            out,
            "  n{holder} -> n{} [label=\"backup every {}\", style=dashed, {DATA}];",
            b.to.index(),
            b.every
        );
        if let Some(into) = b.into {
            let _ = writeln!(
                out,
                "  n{} -> n{} [label=\"restore into\", style=dotted, {DATA}];",
                b.to.index(),
                into.index()
            );
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn quote(s: &str) -> String {
    format!("\"{}\"", escape(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_edges_go_from_the_holder_to_its_copies() {
        let text = r#"(name: "g", horizon: "1y", architectures: [(name: "a", components: [
            (name: "db-a", kind: Database, fail: Never), (name: "db-b", kind: Database, fail: Never),
            (name: "s3", kind: Storage, fail: Never), (name: "dr-db", kind: Database, fail: Never),
            (name: "app", kind: Instance, fail: Never, needs: All(["orders"]))],
            data: [(name: "orders", holder: "db-a", replicas: [(on: "db-b", mode: Async(lag: "1s"))],
                    backups: [(every: "1d", to: "s3", restore: "1h", into: "dr-db")], promote: "5m", resync: "1h")],
            service: "app")])"#;
        let system = crate::model::compile_str(text).unwrap().system;
        insta::assert_snapshot!(to_dot(&system.architectures[0]));
    }
}
