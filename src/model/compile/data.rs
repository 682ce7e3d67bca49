//! Compiling datasets (`data: [..]` of an architecture) into [`Dataset`]s and their nodes.
//!
//! Decisions where the contract is silent:
//! - A dataset's name shares the component name space; its node comes after the design's own
//!   components, lists its holder and its replicas' hosts (and a standby holder's members) as
//!   inputs, and is what components `need`.
//! - A replica on the holder itself, or two replicas on one host, are errors: such a copy dies
//!   with the one it should protect. A backup stored on the holder is allowed (it is a mistake
//!   the report then shows).
//! - `takes` must be shorter than `every`, so at most one backup of a chain is in progress.
//! - A dataset is not an injection target: inject a data-losing mode on its holder instead.

use std::collections::BTreeMap;

use crate::diagnostic::Span;
use crate::dist::Dist;
use crate::scenario::{DatasetSpec, ReplicationSpec};
use crate::time::SimTime;

use super::super::{Backup, Component, ComponentId, Dataset, Kind, Needs, NeedsRule, Replica};
use super::Context;
use super::components::Names;
use super::values::Role;

/// Compiles `spec` as dataset number `index`, whose node is `node`; returns the dataset and
/// its node, or `None` if something was invalid (reported).
pub(super) fn compile_dataset(
    cx: &mut Context,
    spec: &DatasetSpec,
    index: u32,
    node: ComponentId,
    names: &Names<'_>,
    components: &[Component],
) -> Option<(Dataset, Component)> {
    let is_dataset = |id: ComponentId| id.index() >= components.len();
    let mut ok = true;
    let holder = names.resolve(cx, &spec.holder, None, Some(spec.name.as_str()));
    if let Some(h) = holder
        && is_dataset(h)
    {
        cx.error(spec.holder.span, format!("`{}` is a dataset, not a component", spec.holder.value)).hint =
            Some("a dataset is held by a component (an instance, a database, a standby group)".into());
        ok = false;
    }
    let mut replicas = Vec::new();
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for r in &spec.replicas {
        let on = names.resolve(cx, &r.on, None, Some(spec.name.as_str()));
        if r.on.value == spec.holder.value {
            cx.error(r.on.span, format!("replica on `{}`, the dataset's holder", r.on.value)).hint = Some(
                "a replica must live elsewhere to survive the primary: put it on another component".into(),
            );
            ok = false;
        }
        if let Some(&at) = seen.get(r.on.as_str()) {
            cx.report(
                crate::diagnostic::Diagnostic::error(r.on.span, format!("two replicas on `{}`", r.on.value))
                    .with_hint("each replica lives on its own component")
                    .with_note(at, "first replica here"),
            );
            ok = false;
        }
        seen.insert(r.on.as_str(), r.on.span);
        if let Some(id) = on
            && is_dataset(id)
        {
            cx.error(r.on.span, format!("`{}` is a dataset, not a component", r.on.value)).hint =
                Some("a replica lives on a component".into());
            ok = false;
        }
        let lag = match &r.mode {
            ReplicationSpec::Sync => Some(None),
            ReplicationSpec::Async { lag } => cx.dist(lag, Role::Delay).map(Some),
        };
        match (on, lag) {
            (Some(on), Some(lag)) => replicas.push(Replica { on, lag }),
            _ => ok = false,
        }
    }
    let mut backups = Vec::new();
    for b in &spec.backups {
        let every = cx.positive_duration(&b.every, "a backup interval `every`");
        let to = names.resolve(cx, &b.to, None, Some(spec.name.as_str()));
        if let Some(id) = to
            && is_dataset(id)
        {
            cx.error(b.to.span, format!("`{}` is a dataset, not a component", b.to.value)).hint =
                Some("backups are stored on a component, e.g. an object store".into());
            ok = false;
        }
        if b.to.value == spec.holder.value {
            cx.report(
                crate::diagnostic::Diagnostic::warning(
                    b.to.span,
                    format!("backups of `{}` are kept on its holder `{}`", spec.name.value, b.to.value),
                )
                .with_hint(
                    "a loss of the holder's data takes these backups with it: keep them on another store",
                ),
            );
        }
        let restore = cx.dist(&b.restore, Role::Delay);
        let into = match &b.into {
            Some(name) => match names.resolve(cx, name, None, Some(spec.name.as_str())) {
                Some(id) if is_dataset(id) => {
                    cx.error(name.span, format!("`{}` is a dataset, not a component", name.value)).hint =
                        Some(
                            "a backup is restored into a component, e.g. a database in another region".into(),
                        );
                    ok = false;
                    None
                }
                Some(id) => Some(Some(id)),
                None => {
                    ok = false;
                    None
                }
            },
            None => Some(None),
        };
        let takes = b.takes.as_ref().map_or(Some(SimTime::ZERO), |t| cx.duration(t));
        let offset = b.offset.as_ref().map_or(Some(SimTime::ZERO), |t| cx.duration(t));
        if let (Some(every), Some(takes), Some(t)) = (every, takes, &b.takes)
            && takes >= every
        {
            cx.error(
                t.span,
                format!("a backup that takes `{}` cannot start every `{}`", t.value, b.every.value),
            )
            .hint = Some("`takes` must be shorter than `every`".into());
            ok = false;
        }
        match (every, to, restore, takes, offset, into) {
            (Some(every), Some(to), Some(restore), Some(takes), Some(offset), Some(into)) => {
                backups.push(Backup { every, to, restore, takes, offset, into })
            }
            _ => ok = false,
        }
    }
    let mut delay = |field: &Option<crate::scenario::DistExpr>, what: &str| -> Option<Dist> {
        match (field, spec.replicas.is_empty()) {
            (Some(d), false) => cx.dist(d, Role::Delay),
            (None, false) => {
                cx.error(
                    spec.name.span,
                    format!("dataset `{}` has replicas but no `{what}`", spec.name.value),
                )
                .hint = Some(format!("add `{what}: \"5m\"` (how long it takes), or remove the replicas"));
                None
            }
            (Some(d), true) => {
                cx.error(d.span, format!("`{what}` without replicas")).hint =
                    Some(format!("`{what}` is about replicas: add one, or remove `{what}`"));
                None
            }
            (None, true) => Some(Dist::Fixed(SimTime::ZERO)),
        }
    };
    let promote = delay(&spec.promote, "promote");
    let resync = delay(&spec.resync, "resync");
    let holder = holder?;
    let (promote, resync) = (promote?, resync?);
    if !ok || is_dataset(holder) {
        return None;
    }
    let mut of = vec![holder];
    if let Some(standby) = &components[holder.index()].standby {
        of.extend(standby.members.iter().copied());
    }
    for host in replicas.iter().map(|r| r.on).chain(backups.iter().filter_map(|b| b.into)) {
        if !of.contains(&host) {
            of.push(host);
        }
    }
    let dataset = Dataset { name: spec.name.value.clone(), node, holder, replicas, backups, promote, resync };
    Some((dataset, dataset_node(&spec.name.value, of, Some(index))))
}

/// A dataset's node: it lists the hosts whose changes concern the dataset; `dataset: None` for
/// the stand-in of an invalid dataset (the file is rejected; later checks still need one node
/// per name).
pub(super) fn dataset_node(name: &str, of: Vec<ComponentId>, dataset: Option<u32>) -> Component {
    Component {
        name: name.to_string(),
        kind: Kind::Dataset,
        shared: false,
        fail: None,
        recover: None,
        needs: Needs { rule: NeedsRule::Data, k: 0, of },
        full: None,
        alert: None,
        crew: None,
        priority: 0,
        start_failure: 0.0,
        battery: None,
        charges_from: Vec::new(),
        standby: None,
        modes: Vec::new(),
        dataset,
        retention: None,
        cost: super::super::Cost::default(),
    }
}
