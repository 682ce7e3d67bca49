//! Expanding injection and maintenance targets: a name, `Each([..])`, or every component in an AZ or region.
//!
//! A component is *in* AZ (or region) Z iff Z is reachable from it through `All` edges only:
//! edges of a `needs` list that requires every entry (`All`, `AtLeast(n, n names)`, `Any` of
//! one). Z itself is not "in" Z. A `kind` keeps only components of that kind. A set that
//! matches nothing in an architecture is skipped there like a missing name; one that matches
//! nothing anywhere is an error.

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::scenario::{Kind, TargetExpr, TargetForm, TargetSpec};

use super::super::{Architecture, Component, ComponentId};
use super::Context;
use super::components::Names;

/// What a target is in one architecture.
pub(super) enum Expanded {
    /// These components, in id order.
    Targets(Vec<ComponentId>),
    /// Nothing here.
    Missing,
}

/// Expands `target` in one architecture.
pub(super) fn expand(
    components: &[Component],
    dependents: &[ComponentId],
    starts: &[u32],
    names: &Names<'_>,
    target: &TargetExpr,
) -> Expanded {
    let found =
        |ids: Vec<ComponentId>| if ids.is_empty() { Expanded::Missing } else { Expanded::Targets(ids) };
    match &target.form {
        TargetForm::Invalid => Expanded::Missing,
        TargetForm::Name(name) => found(names.get(name).map(|(id, _)| id).into_iter().collect()),
        TargetForm::Set(TargetSpec::Each(list)) => {
            let mut ids: Vec<ComponentId> =
                list.iter().filter_map(|n| names.get(n.as_str())).map(|(id, _)| id).collect();
            ids.sort_unstable();
            ids.dedup();
            found(ids)
        }
        TargetForm::Set(
            TargetSpec::InAz { az: zone, kind } | TargetSpec::InRegion { region: zone, kind },
        ) => {
            let Some((root, _)) = names.get(zone.as_str()) else { return Expanded::Missing };
            found(inside(components, dependents, starts, root, *kind))
        }
    }
}

/// The components in `root` (reaching it through `All` edges only), of `kind` if given.
pub(super) fn inside(
    components: &[Component],
    dependents: &[ComponentId],
    starts: &[u32],
    root: ComponentId,
    kind: Option<Kind>,
) -> Vec<ComponentId> {
    let mut inside = vec![false; components.len()];
    let mut stack = vec![root];
    while let Some(c) = stack.pop() {
        let i = c.index();
        for &d in &dependents[starts[i] as usize..starts[i + 1] as usize] {
            let needs = &components[d.index()].needs;
            if needs.k as usize == needs.of.len() && !inside[d.index()] {
                inside[d.index()] = true;
                stack.push(d);
            }
        }
    }
    (0..components.len())
        .filter(|&i| inside[i] && i != root.index() && kind.is_none_or(|k| components[i].kind == k.into()))
        .map(|i| ComponentId(i as u32))
        .collect()
}

/// How a skipped target is listed in the report.
pub(super) fn describe(target: &TargetExpr) -> String {
    match &target.form {
        TargetForm::Name(n) => n.clone(),
        TargetForm::Set(TargetSpec::InAz { az, kind }) => in_zone("InAz", az.as_str(), *kind),
        TargetForm::Set(TargetSpec::InRegion { region, kind }) => in_zone("InRegion", region.as_str(), *kind),
        TargetForm::Set(TargetSpec::Each(list)) => {
            format!("Each({})", list.iter().map(|n| n.value.as_str()).collect::<Vec<_>>().join(", "))
        }
        TargetForm::Invalid => String::new(),
    }
}

fn in_zone(form: &str, zone: &str, kind: Option<Kind>) -> String {
    match kind {
        Some(k) => format!("{form}({zone}, {})", k.name()),
        None => format!("{form}({zone})"),
    }
}

/// Reports every name of an `Each` target that is in no architecture, and an empty `Each`.
/// `what` names the target's owner in messages ("injection", "maintenance").
pub(super) fn check_each(cx: &mut Context, architectures: &[Architecture], target: &TargetExpr, what: &str) {
    let TargetForm::Set(TargetSpec::Each(list)) = &target.form else { return };
    if list.is_empty() {
        cx.error(target.span, "`Each([])` names no component").hint =
            Some("list the targets: `Each([\"a\", \"b\"])`".into());
    }
    let all: Vec<&str> =
        architectures.iter().flat_map(|a| a.components.iter().map(|c| c.name.as_str())).collect();
    for n in list.iter().filter(|n| architectures.iter().all(|a| a.find(n.as_str()).is_none())) {
        let hint = did_you_mean(n.as_str(), all.iter().copied()).map(|s| format!("did you mean `{s}`?"));
        cx.report(
            Diagnostic::error(n.span, format!("{what} target `{}` is in no architecture", n.value))
                .with_hint_opt(hint),
        );
    }
}

/// Reports a target that matched nothing in any architecture (`what` as for [`check_each`]).
pub(super) fn report_missing(
    cx: &mut Context,
    architectures: &[Architecture],
    target: &TargetExpr,
    what: &str,
) {
    let all: Vec<&str> =
        architectures.iter().flat_map(|a| a.components.iter().map(|c| c.name.as_str())).collect();
    let suggest =
        |name: &str| did_you_mean(name, all.iter().copied()).map(|s| format!("did you mean `{s}`?"));
    let exists = |name: &str| architectures.iter().any(|a| a.find(name).is_some());
    match &target.form {
        TargetForm::Invalid => {}
        TargetForm::Name(name) => cx.report(
            Diagnostic::error(target.span, format!("{what} target `{name}` is in no architecture"))
                .with_hint(suggest(name).unwrap_or_else(|| {
                    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
                    format!("{article} {what}'s target must exist in at least one architecture")
                })),
        ),
        TargetForm::Set(TargetSpec::Each(list)) => {
            for n in list.iter().filter(|n| !exists(n.as_str())) {
                cx.report(
                    Diagnostic::error(n.span, format!("{what} target `{}` is in no architecture", n.value))
                        .with_hint_opt(suggest(n.as_str())),
                );
            }
        }
        TargetForm::Set(TargetSpec::InAz { az: zone, .. } | TargetSpec::InRegion { region: zone, .. }) => {
            if exists(zone.as_str()) {
                cx.report(
                    Diagnostic::error(
                        target.span,
                        format!("`{}` matches no component in any architecture", describe(target)),
                    )
                    .with_hint("a component is in a zone when it needs it through `All` edges; check `kind`"),
                );
            } else {
                cx.report(
                    Diagnostic::error(zone.span, format!("`{}` is in no architecture", zone.value))
                        .with_hint_opt(suggest(zone.as_str())),
                );
            }
        }
    }
}
