//! Assembling architectures: components, service, graph, cycles, injections.

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::diagnostic::{Diagnostic, Span};
use crate::scenario::{ArchitectureSpec, InjectionSpec, MaintenanceSpec, Scenario};
use crate::time::SimTime;

use super::super::cycles::find_cycles;
use super::super::{
    Architecture, Component, ComponentId, Cost, Crew, Injection, Kind, Maintenance, Objectives, QueueLink,
};
use super::Context;
use super::components::{CompiledProfiles, Drafts, Names, ResolvedNeeds, resolve_needs};
use super::data::{compile_dataset, dataset_node};
use super::ha::{CrewTable, ResolvedStandby, resolve_standby};
use super::targets::{Expanded, describe, expand};

/// What every architecture is compiled against.
pub(super) struct Inputs<'a, 's> {
    pub shared: &'a Drafts<'s>,
    pub shared_names: &'a Names<'s>,
    pub objectives: Objectives,
    pub profiles: &'a CompiledProfiles,
    pub crews: &'a CrewTable,
    pub crew_list: &'a [Crew],
}

/// An injection with its values checked once.
struct CheckedInjection<'s> {
    spec: &'s InjectionSpec,
    times: Option<(SimTime, SimTime)>,
}

/// A maintenance schedule with its values checked once: `(at, every, duration)` if valid.
struct CheckedMaintenance<'s> {
    spec: &'s MaintenanceSpec,
    times: Option<(SimTime, SimTime, SimTime)>,
}

/// Compiles every architecture, then checks that each injection and maintenance schedule
/// targets at least one.
pub(super) fn compile_all(
    cx: &mut Context,
    scenario: &Scenario,
    inputs: &Inputs<'_, '_>,
    horizon: Option<SimTime>,
) -> Vec<Architecture> {
    let injections: Vec<CheckedInjection<'_>> =
        scenario.injections.iter().map(|spec| check_injection(cx, spec, horizon)).collect();
    let maintenance: Vec<CheckedMaintenance<'_>> =
        scenario.maintenance.iter().map(|spec| check_maintenance(cx, spec, horizon)).collect();
    let mut first: BTreeMap<&str, Span> = BTreeMap::new();
    let mut architectures = Vec::new();
    let mut found_anywhere = vec![false; injections.len()];
    let mut maintained_anywhere = vec![false; maintenance.len()];
    if scenario.architectures.is_empty() {
        cx.error(scenario.name.span, "the scenario has no architectures").hint =
            Some("add `architectures: [(name: ..., components: [...], service: ...)]`".into());
    }
    let designs = super::derived::expand(cx, &scenario.architectures, &scenario.shared);
    for spec in &designs {
        let printable = cx.printable_name(&spec.name, "architecture");
        if printable && spec.name.value.trim().is_empty() {
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
        let (arch, found, maintained) = compile_one(cx, spec, inputs, &injections, &maintenance);
        for (any, f) in found_anywhere.iter_mut().zip(found) {
            *any |= f;
        }
        for (any, f) in maintained_anywhere.iter_mut().zip(maintained) {
            *any |= f;
        }
        architectures.push(arch);
    }
    let targets = injections
        .iter()
        .map(|i| (&i.spec.target, "injection"))
        .zip(found_anywhere)
        .chain(maintenance.iter().map(|m| (&m.spec.target, "maintenance")).zip(maintained_anywhere));
    for ((target, what), found) in targets {
        if architectures.is_empty() {
            break;
        }
        super::targets::check_each(cx, &architectures, target, what);
        if !found {
            super::targets::report_missing(cx, &architectures, target, what);
        }
    }
    architectures
}

/// Checks a maintenance schedule's times: `every` and `duration` positive, `duration` shorter
/// than `every` (windows would overlap or never end), the first window before the horizon
/// (else a warning: it never happens).
fn check_maintenance<'s>(
    cx: &mut Context,
    spec: &'s MaintenanceSpec,
    horizon: Option<SimTime>,
) -> CheckedMaintenance<'s> {
    let every = cx.positive_duration(&spec.every, "a maintenance `every`");
    let duration = cx.positive_duration(&spec.duration, "a maintenance window's duration");
    let at = match &spec.at {
        Some(at) => cx.duration(at),
        None => Some(SimTime::ZERO),
    };
    if let (Some(every), Some(duration)) = (every, duration)
        && duration >= every
    {
        cx.error(
            spec.duration.span,
            format!(
                "a maintenance window of `{}` every `{}` never ends",
                spec.duration.value, spec.every.value
            ),
        )
        .hint = Some("`duration` must be shorter than `every`".into());
        return CheckedMaintenance { spec, times: None };
    }
    if let (Some(at), Some(horizon), Some(span)) = (at, horizon, spec.at.as_ref())
        && at >= horizon
    {
        cx.report(
            Diagnostic::warning(
                span.span,
                format!("maintenance at `{}` starts at or after the horizon ({horizon})", span.value),
            )
            .with_hint("it will never happen; move it earlier or lengthen the horizon")
            .about_horizon(),
        );
    }
    let times = match (at, every, duration) {
        (Some(at), Some(every), Some(duration)) => Some((at, every, duration)),
        _ => None,
    };
    CheckedMaintenance { spec, times }
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
            .with_hint("it will never happen; move it earlier or lengthen the horizon")
            .about_horizon(),
        );
    }
    CheckedInjection { spec, times: at.zip(duration) }
}

fn compile_one(
    cx: &mut Context,
    spec: &ArchitectureSpec,
    inputs: &Inputs<'_, '_>,
    injections: &[CheckedInjection<'_>],
    maintenance: &[CheckedMaintenance<'_>],
) -> (Architecture, Vec<bool>, Vec<bool>) {
    let own = Drafts::new(cx, &spec.components, inputs.profiles, inputs.crews, false);
    let mut names = Names::new(cx, &own, Some(inputs.shared_names));
    let data = spec.data.as_deref().unwrap_or_default();
    let dataset_ids: Vec<ComponentId> = data.iter().map(|d| names.push(cx, &d.name)).collect();
    let mut components = Vec::new();
    let mut reference_spans = Vec::new();
    // Components whose `modes` were given but did not compile (reported already).
    let mut modes_invalid = Vec::new();
    // Producers with `needs: Async(..)`: (producer, consumers, queue reference span).
    let mut producers = Vec::new();
    // Whether each component has a `retention` written (valid or not).
    let mut retention_written = Vec::new();
    // Each component's passive cost per hour, if given (settled once groups are known).
    let mut passive_rates = Vec::new();
    for draft in inputs.shared.0.iter().chain(&own.0) {
        let (scope, outside) =
            if draft.shared { (inputs.shared_names, Some(&names)) } else { (&names, None) };
        let ResolvedNeeds { needs, mut spans, consumers } =
            resolve_needs(cx, &draft.spec.name, draft.spec.needs.as_ref(), scope, outside);
        if let (Some((c, _)), Some(&queue_span)) = (consumers, spans.first()) {
            producers.push((ComponentId(components.len() as u32), c, queue_span));
        }
        let retention = retention(cx, draft.spec);
        retention_written.push(draft.spec.retention.is_some());
        let standby = draft.spec.standby.as_ref().and_then(|s| {
            let ResolvedStandby { standby, spans: member_spans } =
                resolve_standby(cx, draft.spec, s, scope, outside)?;
            spans.extend(member_spans);
            Some(standby)
        });
        reference_spans.push(spans);
        let extras = draft.extras;
        components.push(Component {
            name: draft.spec.name.value.clone(),
            kind: draft.spec.kind.into(),
            shared: draft.shared,
            fail: draft.fail,
            recover: draft.recover,
            needs,
            full: full_capacity(cx, draft.spec, scope, outside),
            alert: extras.alert,
            crew: extras.crew,
            priority: extras.priority,
            start_failure: extras.start_failure,
            battery: extras.battery,
            charges_from: charges_from(cx, draft.spec, extras.battery.is_some(), scope, outside),
            standby,
            modes: draft.modes.clone(),
            dataset: None,
            retention,
            cost: Cost { per_hour: extras.cost_per_hour, passive_per_hour: extras.cost_per_hour },
        });
        passive_rates.push(extras.passive_cost_per_hour);
        modes_invalid.push(draft.modes_given && draft.modes.is_empty());
    }
    let mut datasets = Vec::new();
    for (d, &node) in data.iter().zip(&dataset_ids) {
        match compile_dataset(cx, d, datasets.len() as u32, node, &names, &components) {
            Some((dataset, component)) => {
                reference_spans.push(component.needs.of.iter().map(|_| d.holder.span).collect());
                components.push(component);
                datasets.push(dataset);
            }
            // Invalid (reported; the file is rejected): a stand-in keeps one node per name.
            None => {
                components.push(dataset_node(&d.name.value, Vec::new(), None));
                reference_spans.push(Vec::new());
            }
        }
    }
    let queues = queue_links(cx, &components, &producers, &retention_written);
    // A design without a service was reported when designs were expanded.
    let service =
        spec.service.as_ref().and_then(|s| names.resolve(cx, s, None, None)).unwrap_or(ComponentId(0));
    check_batteries(cx, &components, inputs.shared.0.iter().chain(&own.0));
    check_single_membership(cx, &components, inputs.shared.0.iter().chain(&own.0));
    passive_costs(cx, &mut components, &passive_rates, inputs.shared.0.iter().chain(&own.0));
    report_cycles(cx, &components, &reference_spans);
    let (graph, dependents, dependent_starts) = dependency_graph(&components);
    let mut placed = Vec::new();
    let mut skipped = Vec::new();
    let mut found = Vec::new();
    for injection in injections {
        let expanded = expand(&components, &dependents, &dependent_starts, &names, &injection.spec.target);
        found.push(matches!(expanded, Expanded::Targets(_)));
        match expanded {
            Expanded::Targets(targets) => {
                let mut modes = Vec::with_capacity(targets.len());
                for &target in &targets {
                    let invalid = modes_invalid.get(target.index()).copied().unwrap_or(false);
                    modes.push(if invalid {
                        None
                    } else {
                        injection_mode(cx, &components[target.index()], injection.spec)
                    });
                }
                if let Some((at, duration)) = injection.times {
                    placed.extend(targets.into_iter().zip(modes).map(|(target, mode)| Injection {
                        target,
                        at,
                        duration,
                        mode,
                    }));
                }
            }
            Expanded::Missing => skipped.push(describe(&injection.spec.target)),
        }
    }
    let mut windows = Vec::new();
    let mut maintained = Vec::new();
    for m in maintenance {
        let expanded = expand(&components, &dependents, &dependent_starts, &names, &m.spec.target);
        maintained.push(matches!(expanded, Expanded::Targets(_)));
        let Expanded::Targets(targets) = expanded else { continue };
        if let Some(dataset) = targets.iter().find(|t| components[t.index()].kind == Kind::Dataset) {
            let name = &components[dataset.index()].name;
            cx.error(m.spec.target.span, format!("`{name}` is a dataset and cannot be maintained")).hint =
                Some("put the window on the component that holds it".into());
            continue;
        }
        if let Some((at, every, duration)) = m.times {
            windows.extend(targets.into_iter().map(|target| Maintenance { target, at, every, duration }));
        }
    }
    let arch = Architecture {
        name: spec.name.value.clone(),
        objectives: cx.objectives(spec.objectives.as_ref(), inputs.objectives),
        components,
        service,
        injections: placed,
        injections_skipped: skipped,
        maintenance: windows,
        crews: inputs.crew_list.to_vec(),
        graph,
        dependents,
        dependent_starts,
        datasets,
        queues,
    };
    // Slips are only looked for in a model without errors (they would be noise, and the
    // checks assume every name resolved).
    if !cx.has_errors() {
        let drafts: Vec<&super::components::Draft<'_>> = inputs.shared.0.iter().chain(&own.0).collect();
        super::slips::check(cx, &arch, &drafts);
    }
    (arch, found, maintained)
}

/// A `retention`, which only a `Queue` has.
fn retention(cx: &mut Context, spec: &crate::scenario::ComponentSpec) -> Option<SimTime> {
    let text = spec.retention.as_ref()?;
    if spec.kind != crate::scenario::Kind::Queue {
        cx.error(text.span, format!("`{}` has a `retention` but is not a Queue", spec.name.value)).hint =
            Some("`retention` is how long a `kind: Queue` keeps an unconsumed message".into());
        return None;
    }
    cx.positive_duration(text, "a queue's `retention`")
}

/// The queue links of `needs: Async(queue, consumers)`: the queue must be a `Queue` with a
/// `retention`.
fn queue_links(
    cx: &mut Context,
    components: &[Component],
    producers: &[(ComponentId, ComponentId, Span)],
    retention_written: &[bool],
) -> Vec<QueueLink> {
    let mut links = Vec::new();
    for &(producer, consumers, span) in producers {
        let queue = components[producer.index()].needs.of[0];
        let q = &components[queue.index()];
        if consumers == producer {
            cx.error(span, format!("`{}` would consume its own queue", q.name)).hint =
                Some("`consumers` is what reads the queue, not the producer".into());
            continue;
        }
        if q.kind != Kind::Queue {
            cx.error(span, format!("`{}` is not a Queue (kind: {})", q.name, q.kind.name())).hint =
                Some("`Async(queue: ..)` names a component of `kind: Queue`".into());
            continue;
        }
        let Some(retention) = q.retention else {
            if retention_written.get(queue.index()).copied().unwrap_or(false) {
                continue; // written but invalid: reported already
            }
            cx.error(span, format!("queue `{}` has no `retention`", q.name)).hint = Some(
                "say how long it keeps unconsumed messages, e.g. `retention: \"4d\"` (the SQS default)"
                    .into(),
            );
            continue;
        };
        links.push(QueueLink { producer, queue, consumers, retention });
    }
    links
}

/// A group's `full` capacity: `All`, `Any` or `AtLeast` over names of the same scope as its
/// `needs`. It only observes (no edge of the graph), so it may name anything of the design.
fn full_capacity(
    cx: &mut Context,
    spec: &crate::scenario::ComponentSpec,
    scope: &Names<'_>,
    outside: Option<&Names<'_>>,
) -> Option<super::super::Needs> {
    let full = spec.full.as_ref()?;
    if Kind::from(spec.kind) != Kind::Group {
        cx.error(spec.name.span, format!("`full` on `{}`, which is no Group", spec.name.value)).hint =
            Some("declare the full capacity on the group of the redundant components".into());
        return None;
    }
    if let crate::scenario::NeedsSpec::Async { queue, .. } = full {
        cx.error(queue.span, "`full` is `All`, `Any` or `AtLeast`, not `Async`").hint =
            Some("e.g. `full: AtLeast(2, [\"web-1\", \"web-2\", \"web-3\"])`".into());
        return None;
    }
    Some(resolve_needs(cx, &spec.name, Some(full), scope, outside).needs)
}

/// The failure mode an injection names on `target`, if any; reports a missing mode and a
/// dataset target.
fn injection_mode(cx: &mut Context, target: &Component, spec: &InjectionSpec) -> Option<u16> {
    if target.kind == Kind::Dataset {
        cx.error(spec.target.span, format!("`{}` is a dataset and cannot be injected", target.name)).hint =
            Some("inject a data-losing failure mode on its holder: `mode: \"volume-loss\"`".into());
        return None;
    }
    let mode = spec.mode.as_ref()?;
    if let Some(k) = target.modes.iter().position(|m| m.name == mode.value) {
        return Some(k as u16);
    }
    let hint = if target.modes.is_empty() {
        format!(
            "give `{}` (or its profile) `modes: [(name: \"{}\", fail: Never, loses_data: true)]` to define it",
            target.name, mode.value
        )
    } else {
        let known: Vec<&str> = target.modes.iter().map(|m| m.name.as_str()).collect();
        format!("modes of `{}`: {}", target.name, known.join(", "))
    };
    cx.error(mode.span, format!("`{}` has no failure mode `{}`", target.name, mode.value)).hint = Some(hint);
    None
}

/// A battery (`runtime`) only makes sense on a standby member.
fn check_batteries<'s>(
    cx: &mut Context,
    components: &[Component],
    drafts: impl Iterator<Item = &'s super::components::Draft<'s>>,
) {
    let members: std::collections::BTreeSet<ComponentId> = components
        .iter()
        .filter_map(|c| c.standby.as_ref())
        .flat_map(|s| s.members.iter().copied())
        .collect();
    for (i, draft) in drafts.enumerate() {
        if let Some(runtime) = &draft.spec.runtime
            && !members.contains(&ComponentId(i as u32))
        {
            cx.error(
                runtime.span,
                format!("`{}` has a `runtime` but is in no standby group", draft.spec.name.value),
            )
            .hint = Some("a battery's runtime counts from when a standby group activates the member".into());
        }
    }
}

/// A component may be a member of one standby group only: which group's decisions would
/// pause its clock or drain its battery is otherwise ambiguous.
fn check_single_membership<'s>(
    cx: &mut Context,
    components: &[Component],
    drafts: impl Iterator<Item = &'s super::components::Draft<'s>>,
) {
    let mut first: std::collections::BTreeMap<ComponentId, &str> = std::collections::BTreeMap::new();
    for (c, draft) in components.iter().zip(drafts) {
        let (Some(standby), Some(spec)) = (&c.standby, &draft.spec.standby) else { continue };
        for (m, name) in standby.members.iter().zip(&spec.members) {
            if let Some(other) = first.insert(*m, &c.name) {
                cx.error(
                    name.span,
                    format!("`{}` is already a member of standby group `{other}`", name.value),
                )
                .hint = Some("a component can be a member of one standby group only".into());
            }
        }
    }
}

fn report_cycles(cx: &mut Context, components: &[Component], reference_spans: &[Vec<Span>]) {
    for cycle in find_cycles(components) {
        let names: Vec<&str> =
            cycle.iter().chain(cycle.first()).map(|id| components[id.index()].name.as_str()).collect();
        let (from, to) = (cycle[0], cycle[1 % cycle.len()]);
        let position = components[from.index()].inputs().position(|d| d == to).expect("cycle edge exists");
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

/// The petgraph graph (edge dependency -> dependent, standby members included) and the `needs`
/// adjacency as compact arrays, for the engine's counters.
fn dependency_graph(components: &[Component]) -> (DiGraph<ComponentId, ()>, Vec<ComponentId>, Vec<u32>) {
    let mut graph = DiGraph::with_capacity(components.len(), 0);
    for i in 0..components.len() {
        graph.add_node(ComponentId(i as u32));
    }
    let mut lists: Vec<Vec<ComponentId>> = vec![Vec::new(); components.len()];
    for (i, c) in components.iter().enumerate() {
        for &d in &c.needs.of {
            lists[d.index()].push(ComponentId(i as u32));
        }
        for d in c.inputs() {
            graph.add_edge(NodeIndex::new(d.index()), NodeIndex::new(i), ());
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

/// Settles each standby member's passive cost per hour: its own or its profile's, else its
/// full rate, or 0 in a `Cold` group (a cold member is not running). A `passive_cost_per_hour`
/// written on a component that is no standby member is an error.
fn passive_costs<'s>(
    cx: &mut Context,
    components: &mut [Component],
    given: &[Option<f64>],
    drafts: impl Iterator<Item = &'s super::components::Draft<'s>>,
) {
    let mut cold_member = vec![None; components.len()];
    for c in components.iter() {
        for m in c.standby.iter().flat_map(|s| s.members.iter().map(move |m| (m, s.cold))) {
            cold_member[m.0.index()] = Some(m.1);
        }
    }
    for ((c, draft), (&rate, cold)) in components.iter_mut().zip(drafts).zip(given.iter().zip(&cold_member)) {
        c.cost.passive_per_hour = match (rate, cold) {
            (Some(rate), Some(_)) => rate,
            (None, Some(true)) => 0.0,
            (None, Some(false)) => c.cost.per_hour,
            (_, None) => {
                if let Some(written) = &draft.spec.passive_cost_per_hour {
                    cx.error(written.span, format!("`passive_cost_per_hour` on `{}`, which is no standby member", c.name))
                        .hint = Some("a passive rate applies to a standby group's members while another one is active; use `cost_per_hour`".into());
                }
                c.cost.per_hour
            }
        };
    }
}

/// The components a battery recharges from, resolved in `scope`; `charges_from` on a component
/// without a battery is an error.
fn charges_from(
    cx: &mut Context,
    spec: &crate::scenario::ComponentSpec,
    battery: bool,
    scope: &Names<'_>,
    outside: Option<&Names<'_>>,
) -> Vec<ComponentId> {
    let Some(sources) = &spec.charges_from else { return Vec::new() };
    if !battery && spec.runtime.is_none() {
        if let Some(first) = sources.first() {
            cx.error(first.span, format!("`charges_from` on `{}`, which has no battery", spec.name.value))
                .hint =
                Some("`charges_from` says what a battery (`runtime`, `recharge`) recharges from".into());
        }
        return Vec::new();
    }
    sources.iter().filter_map(|s| scope.resolve(cx, s, outside, None)).collect()
}
