//! Assembling architectures: components, service, graph, cycles, injections.

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::scenario::{ArchitectureSpec, InjectionSpec, Scenario};
use crate::time::SimTime;

use super::super::cycles::find_cycles;
use super::super::{Architecture, Component, ComponentId, Injection, Objectives};
use super::Context;
use super::components::{CompiledProfiles, Drafts, Names, ResolvedNeeds, resolve_needs};

/// What every architecture is compiled against.
pub(super) struct Inputs<'a, 's> {
    pub shared: &'a Drafts<'s>,
    pub shared_names: &'a Names<'s>,
    pub objectives: Objectives,
    pub profiles: &'a CompiledProfiles,
}

/// An injection with its values checked once.
struct CheckedInjection<'s> {
    spec: &'s InjectionSpec,
    times: Option<(SimTime, SimTime)>,
}

/// Compiles every architecture, then checks that each injection targets at least one.
pub(super) fn compile_all(
    cx: &mut Context,
    scenario: &Scenario,
    inputs: &Inputs<'_, '_>,
    horizon: Option<SimTime>,
) -> Vec<Architecture> {
    let injections: Vec<CheckedInjection<'_>> =
        scenario.injections.iter().map(|spec| check_injection(cx, spec, horizon)).collect();
    let mut first: BTreeMap<&str, Span> = BTreeMap::new();
    let mut architectures = Vec::new();
    if scenario.architectures.is_empty() {
        cx.error(scenario.name.span, "the scenario has no architectures").hint =
            Some("add `architectures: [(name: ..., components: [...], service: ...)]`".into());
    }
    for spec in &scenario.architectures {
        if spec.name.value.trim().is_empty() {
            cx.error(spec.name.span, "an architecture name cannot be empty").hint =
                Some("name the design, e.g. \"multi-az\"".into());
        }
        if let Some(&at) = first.get(spec.name.as_str()) {
            cx.report(
                Diagnostic::error(
                    spec.name.span,
                    format!("architecture `{}` is defined twice", spec.name.value),
                )
                .with_hint("architecture names are unique")
                .with_note(at, format!("first definition of `{}`", spec.name.value)),
            );
        } else {
            first.insert(spec.name.as_str(), spec.name.span);
        }
        architectures.push(compile_one(cx, spec, inputs, &injections));
    }
    for injection in &injections {
        let target = &injection.spec.target;
        if architectures.iter().all(|a| a.find(target.as_str()).is_none()) {
            let all: Vec<&str> =
                architectures.iter().flat_map(|a| a.components.iter().map(|c| c.name.as_str())).collect();
            let hint = did_you_mean(target.as_str(), all.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    "an injection's target must exist in at least one architecture".to_string()
                });
            cx.report(
                Diagnostic::error(
                    target.span,
                    format!("injection target `{}` is in no architecture", target.value),
                )
                .with_hint(hint),
            );
        }
    }
    architectures
}

fn check_injection<'s>(
    cx: &mut Context,
    spec: &'s InjectionSpec,
    horizon: Option<SimTime>,
) -> CheckedInjection<'s> {
    let at = cx.duration(&spec.at);
    let duration = cx.positive_duration(&spec.duration, "an injection's duration");
    if let (Some(at), Some(horizon)) = (at, horizon)
        && at >= horizon
    {
        cx.report(
            Diagnostic::warning(
                spec.at.span,
                format!("injection at `{}` starts at or after the horizon ({horizon})", spec.at.value),
            )
            .with_hint("it will never happen; move it earlier or lengthen the horizon"),
        );
    }
    CheckedInjection { spec, times: at.zip(duration) }
}

fn compile_one(
    cx: &mut Context,
    spec: &ArchitectureSpec,
    inputs: &Inputs<'_, '_>,
    injections: &[CheckedInjection<'_>],
) -> Architecture {
    let own = Drafts::new(cx, &spec.components, inputs.profiles, false);
    let names = Names::new(cx, &own, Some(inputs.shared_names));
    let mut components = Vec::new();
    let mut reference_spans = Vec::new();
    for draft in inputs.shared.0.iter().chain(&own.0) {
        let (scope, outside) =
            if draft.shared { (inputs.shared_names, Some(&names)) } else { (&names, None) };
        let ResolvedNeeds { needs, spans } =
            resolve_needs(cx, &draft.spec.name, draft.spec.needs.as_ref(), scope, outside);
        reference_spans.push(spans);
        components.push(Component {
            name: draft.spec.name.value.clone(),
            kind: draft.spec.kind,
            shared: draft.shared,
            fail: draft.fail,
            recover: draft.recover,
            needs,
        });
    }
    let service = names.resolve(cx, &spec.service, None).unwrap_or(ComponentId(0));
    report_cycles(cx, &components, &reference_spans);
    let (graph, dependents, dependent_starts) = dependency_graph(&components);
    let mut placed = Vec::new();
    let mut skipped = Vec::new();
    for injection in injections {
        match names.get(injection.spec.target.as_str()) {
            Some((target, _)) => {
                if let Some((at, duration)) = injection.times {
                    placed.push(Injection { target, at, duration });
                }
            }
            None => skipped.push(injection.spec.target.value.clone()),
        }
    }
    Architecture {
        name: spec.name.value.clone(),
        objectives: cx.objectives(spec.objectives.as_ref(), inputs.objectives),
        components,
        service,
        injections: placed,
        injections_skipped: skipped,
        graph,
        dependents,
        dependent_starts,
    }
}

fn report_cycles(cx: &mut Context, components: &[Component], reference_spans: &[Vec<Span>]) {
    for cycle in find_cycles(components) {
        let names: Vec<&str> =
            cycle.iter().chain(cycle.first()).map(|id| components[id.index()].name.as_str()).collect();
        let (from, to) = (cycle[0], cycle[1 % cycle.len()]);
        let position =
            components[from.index()].needs.of.iter().position(|&d| d == to).expect("cycle edge exists");
        cx.error(
            reference_spans[from.index()][position],
            format!("dependency cycle: {}", names.join(" -> ")),
        )
        .hint = Some(
            "a component cannot depend on itself, directly or through others; remove one of these needs"
                .into(),
        );
    }
}

/// The petgraph graph (edge dependency -> dependent) and the same adjacency as compact arrays.
fn dependency_graph(components: &[Component]) -> (DiGraph<ComponentId, ()>, Vec<ComponentId>, Vec<u32>) {
    let mut graph = DiGraph::with_capacity(components.len(), 0);
    for i in 0..components.len() {
        graph.add_node(ComponentId(i as u32));
    }
    let mut lists: Vec<Vec<ComponentId>> = vec![Vec::new(); components.len()];
    for (i, c) in components.iter().enumerate() {
        for &d in &c.needs.of {
            graph.add_edge(NodeIndex::new(d.index()), NodeIndex::new(i), ());
            lists[d.index()].push(ComponentId(i as u32));
        }
    }
    let mut dependents = Vec::new();
    let mut starts = Vec::with_capacity(components.len() + 1);
    for list in &mut lists {
        list.sort_unstable();
        list.dedup();
        starts.push(dependents.len() as u32);
        dependents.extend_from_slice(list);
    }
    starts.push(dependents.len() as u32);
    (graph, dependents, starts)
}
