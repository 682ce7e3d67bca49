//! Derived designs: `extends`.
//!
//! `(name: "pilot-light", extends: "multi-az", components: [...], remove: ["web-2"], data:
//! [...], service: "site")` is everything of the base design, then: each of `components`
//! replaces the base's component of the same name whole, or is added after the base's; each
//! name of `remove` leaves the base's component out; `objectives`, `data` and `service`
//! replace the base's when given. A base may itself derive from another (in any order in the
//! file); a cycle is an error. Designs are expanded here, before anything is compiled, so a
//! derived design is compiled exactly as the same design written out in full: the same names
//! in the same order, hence the same random numbers and the same results.
//!
//! Errors, each at its span: an unknown base (with the nearest name), a cycle (with its path),
//! a removed name the base does not have, that is shared, listed twice or also added, a removed
//! component that something left still refers to (with a note where), `remove` without
//! `extends`, and a design with no `service` of its own or inherited. A design whose base
//! cannot be used is compiled as written, so its other mistakes are reported too.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::scenario::{ArchitectureSpec, ComponentSpec, DatasetSpec, NeedsSpec, Spanned};

use super::Context;

/// Most design names a cycle's error lists.
const CYCLE_NAMES_SHOWN: usize = 8;

/// Every design of `specs`, in file order, with its base's parts merged in: no `extends` and
/// no `remove` left, `data` given.
pub(super) fn expand(
    cx: &mut Context,
    specs: &[ArchitectureSpec],
    shared: &[ComponentSpec],
) -> Vec<ArchitectureSpec> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, spec) in specs.iter().enumerate() {
        index.entry(spec.name.as_str()).or_insert(i);
    }
    let mut done: Vec<Option<ArchitectureSpec>> = vec![None; specs.len()];
    // Whether a design's `extends` cannot be followed (reported): it is compiled as written.
    let mut no_base = vec![false; specs.len()];
    let mut on_chain = vec![false; specs.len()];
    for start in 0..specs.len() {
        if done[start].is_some() {
            continue;
        }
        // Walk the chain of bases until a design already expanded, one without a base, or a
        // broken link; then expand back from there. No recursion: a chain may be long.
        let mut chain = vec![start];
        on_chain[start] = true;
        loop {
            let current = *chain.last().expect("not empty");
            let Some(base) = &specs[current].extends else { break };
            match index.get(base.as_str()) {
                None => {
                    unknown_base(cx, base, specs);
                    no_base[current] = true;
                    break;
                }
                Some(&b) if done[b].is_some() => break,
                Some(&b) if on_chain[b] => {
                    let from = chain.iter().position(|&c| c == b).expect("on the chain");
                    cycle(cx, base.span, &chain[from..], specs);
                    no_base[current] = true;
                    break;
                }
                Some(&b) => {
                    on_chain[b] = true;
                    chain.push(b);
                }
            }
        }
        for &c in chain.iter().rev() {
            on_chain[c] = false;
            let spec = &specs[c];
            let base = match &spec.extends {
                Some(name) if !no_base[c] => done[index[name.as_str()]].as_ref(),
                _ => None,
            };
            let expanded = match base {
                Some(base) => derive(cx, base, spec, shared),
                None => as_written(cx, spec),
            };
            done[c] = Some(expanded);
        }
    }
    done.into_iter().map(|d| d.expect("every design expanded")).collect()
}

fn unknown_base(cx: &mut Context, base: &Spanned<String>, specs: &[ArchitectureSpec]) {
    let names = specs.iter().map(|s| s.name.as_str());
    let hint = match did_you_mean(base.as_str(), names) {
        Some(near) => format!("did you mean `{near}`? `extends` names another design of this file"),
        None => "`extends` names another design of this file".into(),
    };
    cx.error(base.span, format!("no design named `{}` to extend", base.value)).hint = Some(hint);
}

fn cycle(cx: &mut Context, at: Span, designs: &[usize], specs: &[ArchitectureSpec]) {
    let mut path: Vec<String> =
        designs.iter().take(CYCLE_NAMES_SHOWN).map(|&d| format!("`{}`", specs[d].name.value)).collect();
    if designs.len() > CYCLE_NAMES_SHOWN {
        path.push(format!("... ({} more)", designs.len() - CYCLE_NAMES_SHOWN));
    }
    path.push(format!("`{}`", specs[designs[0]].name.value));
    cx.error(at, format!("designs extend each other in a cycle: {}", path.join(" extends "))).hint =
        Some("a design extends one written out (or derived) without coming back to itself".into());
}

/// A design without a usable base, as written.
fn as_written(cx: &mut Context, spec: &ArchitectureSpec) -> ArchitectureSpec {
    if spec.extends.is_none()
        && let Some(first) = spec.remove.first()
    {
        cx.error(first.span, "`remove` without `extends`").hint =
            Some("`remove` leaves out components of the design named by `extends`; list only the components this design has".into());
    }
    if spec.extends.is_none() && spec.service.is_none() {
        cx.error(spec.name.span, format!("design `{}` has no `service`", spec.name.value)).hint =
            Some("add `service: \"NAME\"`, the component whose up-time is the service's availability".into());
    }
    ArchitectureSpec {
        extends: None,
        remove: Vec::new(),
        data: Some(spec.data.clone().unwrap_or_default()),
        ..spec.clone()
    }
}

/// `spec` merged onto its expanded `base`.
fn derive(
    cx: &mut Context,
    base: &ArchitectureSpec,
    spec: &ArchitectureSpec,
    shared: &[ComponentSpec],
) -> ArchitectureSpec {
    let mut components = base.components.clone();
    let mut at: BTreeMap<String, usize> =
        components.iter().enumerate().map(|(k, c)| (c.name.value.clone(), k)).collect();
    let mut added = BTreeSet::new();
    for c in &spec.components {
        match at.get(&c.name.value) {
            // A name given twice in this design stays twice: the compiler reports it.
            Some(&k) if !added.contains(&c.name.value) => components[k] = c.clone(),
            _ => {
                at.insert(c.name.value.clone(), components.len());
                components.push(c.clone());
            }
        }
        added.insert(c.name.value.clone());
    }
    let data = spec.data.clone().or_else(|| base.data.clone()).unwrap_or_default();
    let service = spec.service.clone().or_else(|| base.service.clone());
    let removed = removals(cx, base, spec, &components, &added, shared);
    // Everything removed at once, then what is kept checked against it: the order of `remove`
    // does not matter. A removal something kept refers to is reported and undone, so the
    // compiler does not report the same mistake again as an unknown name.
    let mut kept = vec![true; components.len()];
    for (name, _) in &removed {
        kept[at[name.as_str()]] = false;
    }
    let mut undone = Vec::new();
    for (name, span) in &removed {
        if let Some((who, where_)) = still_needed(name, &components, &kept, &data, service.as_ref()) {
            cx.report(
                Diagnostic::error(*span, format!("`{name}` is removed, but {who} still refers to it"))
                    .with_hint(format!("remove or replace what refers to `{name}` too"))
                    .with_note(where_, format!("{who} refers to `{name}` here")),
            );
            undone.push(at[name.as_str()]);
        }
    }
    for k in undone {
        kept[k] = true;
    }
    let components = components.into_iter().zip(kept).filter_map(|(c, keep)| keep.then_some(c)).collect();
    ArchitectureSpec {
        name: spec.name.clone(),
        extends: None,
        objectives: spec.objectives.clone().or_else(|| base.objectives.clone()),
        components,
        remove: Vec::new(),
        service,
        data: Some(data),
    }
}

/// The names of `remove` that can be removed (the base has them, listed once, not added
/// again), with their spans; the others are reported.
fn removals(
    cx: &mut Context,
    base: &ArchitectureSpec,
    spec: &ArchitectureSpec,
    components: &[ComponentSpec],
    added: &BTreeSet<String>,
    shared: &[ComponentSpec],
) -> Vec<(String, Span)> {
    let mut removed: Vec<(String, Span)> = Vec::new();
    for r in &spec.remove {
        let name = r.as_str();
        if removed.iter().any(|(n, _)| n == name) {
            cx.error(r.span, format!("`{name}` is listed twice in `remove`")).hint =
                Some("list each component once".into());
        } else if added.contains(name) {
            cx.error(r.span, format!("`{name}` is both in `components` and in `remove`")).hint = Some(
                "a component given in `components` replaces the base's; leave it out of `remove`".into(),
            );
        } else if shared.iter().any(|c| c.name.value == name) {
            cx.error(r.span, format!("`{name}` is shared by every design: it cannot be removed")).hint = Some(
                "to leave it out of some designs, move it from `shared` into the designs that have it".into(),
            );
        } else if !components.iter().any(|c| c.name.value == name) {
            let base_name = &base.name.value;
            let hint = match did_you_mean(name, base.components.iter().map(|c| c.name.as_str())) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("`remove` lists components of `{base_name}`"),
            };
            cx.error(r.span, format!("`{base_name}` has no component `{name}` to remove")).hint = Some(hint);
        } else {
            removed.push((name.to_string(), r.span));
        }
    }
    removed
}

/// What still refers to `name` among the kept components, the datasets and the service: its
/// description and where.
fn still_needed(
    name: &str,
    components: &[ComponentSpec],
    kept: &[bool],
    data: &[DatasetSpec],
    service: Option<&Spanned<String>>,
) -> Option<(String, Span)> {
    for (c, _) in components.iter().zip(kept).filter(|(c, keep)| **keep && c.name.value != name) {
        if let Some(span) = references(c).find(|r| r.value == name).map(|r| r.span) {
            return Some((format!("`{}`", c.name.value), span));
        }
    }
    for d in data {
        let refs = std::iter::once(&d.holder)
            .chain(d.replicas.iter().map(|r| &r.on))
            .chain(d.backups.iter().flat_map(|b| std::iter::once(&b.to).chain(&b.into)));
        if let Some(r) = refs.into_iter().find(|r| r.value == name) {
            return Some((format!("dataset `{}`", d.name.value), r.span));
        }
    }
    service.filter(|s| s.value == name).map(|s| ("the design's `service`".to_string(), s.span))
}

/// The component names `c` refers to: its needs and its standby members.
fn references(c: &ComponentSpec) -> impl Iterator<Item = &Spanned<String>> {
    let needs: Vec<&Spanned<String>> = match &c.needs {
        Some(NeedsSpec::All(of) | NeedsSpec::Any(of) | NeedsSpec::AtLeast(_, of)) => of.iter().collect(),
        Some(NeedsSpec::Async { queue, consumers }) => vec![queue, consumers],
        None => Vec::new(),
    };
    needs.into_iter().chain(c.standby.iter().flat_map(|s| &s.members))
}
