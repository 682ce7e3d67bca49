//! Compiling components: profiles, per-component fields, name tables, `needs`.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::scenario::{ComponentSpec, Kind, NeedsSpec, Profiles, RecoverSpec, Spanned};

use super::super::{ComponentId, Needs, NeedsRule, Recovery};
use super::Context;
use super::ha::{CrewTable, Extras, extras, probability, resolve_crew};
use super::values::{FailLaw, Role};
use crate::dist::Dist;

/// A field that may be absent, given but invalid (already reported), or valid.
type Given<T> = Option<Option<T>>;

/// A profile with its fields compiled once.
pub(super) struct CompiledProfile {
    fail: Given<FailLaw>,
    recover: Given<Recovery>,
    pub alert: Option<Dist>,
    pub crew: Option<Spanned<String>>,
    pub start_failure: Option<Spanned<f64>>,
}

impl CompiledProfile {
    /// Whether the profile gives a `recover`.
    pub fn has_recover(&self) -> bool {
        self.recover.is_some()
    }
}

/// Profiles by name (the first definition wins; later ones are reported).
pub(super) type CompiledProfiles = BTreeMap<String, CompiledProfile>;

/// Compiles every profile once and reports duplicate names.
pub(super) fn compile_profiles(cx: &mut Context, profiles: &Profiles, crews: &CrewTable) -> CompiledProfiles {
    let mut compiled = CompiledProfiles::new();
    let mut first: BTreeMap<&str, Span> = BTreeMap::new();
    for (name, spec) in &profiles.0 {
        let fail = spec.fail.as_ref().map(|f| cx.fail_law(f));
        let recover = spec.recover.as_ref().map(|r| cx.recovery(r));
        let alert = spec.detect.as_ref().and_then(|d| cx.dist(d, Role::Delay));
        if let Some(crew) = &spec.crew {
            resolve_crew(cx, crew, crews);
        }
        if let Some(p) = &spec.start_failure {
            probability(cx, p);
        }
        if let Some(&at) = first.get(name.as_str()) {
            cx.report(
                Diagnostic::error(name.span, format!("profile `{}` is defined twice", name.value))
                    .with_hint("rename or remove one of them")
                    .with_note(at, format!("first definition of `{}`", name.value)),
            );
            continue;
        }
        first.insert(name.as_str(), name.span);
        compiled.insert(
            name.value.clone(),
            CompiledProfile {
                fail,
                recover,
                alert,
                crew: spec.crew.clone(),
                start_failure: spec.start_failure.clone(),
            },
        );
    }
    compiled
}

impl Context {
    /// A `recover` field.
    pub fn recovery(&mut self, spec: &RecoverSpec) -> Option<Recovery> {
        match spec {
            RecoverSpec::Repair(d) => self.dist(d, Role::Delay).map(Recovery::Repair),
            RecoverSpec::Replace { detect, launch } => {
                let detect = self.dist(detect, Role::Delay);
                let launch = self.dist(launch, Role::Delay);
                Some(Recovery::Replace { detect: detect?, launch: launch? })
            }
        }
    }
}

/// A component with its own fields compiled and its profile applied; `needs` come later,
/// once every name is known.
pub(super) struct Draft<'s> {
    pub spec: &'s ComponentSpec,
    pub shared: bool,
    pub fail: Option<Dist>,
    pub recover: Option<Recovery>,
    pub extras: Extras,
}

/// The drafts of one list of components (`shared`, or one architecture's), in file order.
pub(super) struct Drafts<'s>(pub Vec<Draft<'s>>);

impl<'s> Drafts<'s> {
    /// Compiles the fields of `specs`, applying profiles.
    pub fn new(
        cx: &mut Context,
        specs: &'s [ComponentSpec],
        profiles: &CompiledProfiles,
        crews: &CrewTable,
        shared: bool,
    ) -> Drafts<'s> {
        Drafts(specs.iter().map(|spec| draft(cx, spec, profiles, crews, shared)).collect())
    }
}

fn draft<'s>(
    cx: &mut Context,
    spec: &'s ComponentSpec,
    profiles: &CompiledProfiles,
    crews: &CrewTable,
    shared: bool,
) -> Draft<'s> {
    let profile = spec.profile.as_ref().and_then(|p| {
        let found = profiles.get(&p.value);
        if found.is_none() {
            let hint = did_you_mean(&p.value, profiles.keys().map(String::as_str))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| known_list("profiles", profiles.keys().map(String::as_str)));
            cx.report(Diagnostic::error(p.span, format!("unknown profile `{}`", p.value)).with_hint(hint));
        }
        found
    });
    // A named profile that does not exist has been reported; what it would have supplied is
    // unknown, so "missing `fail`/`recover`" would only send the user the wrong way.
    let profile_unknown = spec.profile.is_some() && profile.is_none();
    let fail: Given<FailLaw> = match &spec.fail {
        Some(f) => Some(cx.fail_law(f)),
        None => profile.and_then(|p| p.fail),
    };
    let recover: Given<Recovery> = match &spec.recover {
        Some(r) => Some(cx.recovery(r)),
        None => profile.and_then(|p| p.recover),
    };
    let extras = extras(cx, spec, profile, crews);
    let name = &spec.name;
    let none = Draft { spec, shared, fail: None, recover: None, extras };
    if spec.kind == Kind::Group {
        if fail.is_some() || recover.is_some() {
            let span = spec
                .fail
                .as_ref()
                .map(|f| f.span)
                .or(spec.profile.as_ref().map(|p| p.span))
                .unwrap_or(name.span);
            cx.error(span, format!("group `{}` cannot fail on its own", name.value)).hint = Some(
                "a Group is up iff its `needs` hold: remove `fail`, `recover` and `profile` from it".into(),
            );
        }
        if spec.needs.is_none() && spec.standby.is_none() {
            cx.error(name.span, format!("group `{}` has no `needs`", name.value)).hint =
                Some("list its members, e.g. `needs: Any([\"web-1\", \"web-2\"])`".into());
        }
        return none;
    }
    let fail = match fail {
        // `standby` on another kind is reported as such; a missing `fail` would mislead.
        None if profile_unknown || spec.standby.is_some() => return none,
        None => {
            cx.error(name.span, format!("component `{}` has no `fail`", name.value)).hint = Some(
                "add `fail: Exp(mean: \"2000h\")` (or `fail: Never`), or a `profile` that has one".into(),
            );
            return none;
        }
        Some(None) => return none,
        Some(Some(FailLaw::Never)) => None,
        Some(Some(FailLaw::After(d))) => Some(d),
    };
    let recover = match recover {
        None if fail.is_some() && !profile_unknown => {
            cx.error(name.span, format!("component `{}` can fail but has no `recover`", name.value)).hint = Some(
                "add `recover: Repair(Exp(mean: \"4h\"))` or `recover: Replace(detect: \"1m\", launch: \"4m\")`".into(),
            );
            None
        }
        Some(r) => r,
        None => None,
    };
    Draft { spec, shared, fail, recover, extras }
}

/// A name table: names to ids, optionally on top of a parent table (the shared components).
pub(super) struct Names<'s> {
    parent: Option<&'s Names<'s>>,
    first_id: u32,
    count: u32,
    map: BTreeMap<&'s str, (ComponentId, Span)>,
}

impl<'s> Names<'s> {
    /// Numbers `drafts` after the parent's names and reports names already taken.
    pub fn new(cx: &mut Context, drafts: &Drafts<'s>, parent: Option<&'s Names<'s>>) -> Names<'s> {
        let first_id = parent.map_or(0, |p| p.first_id + p.count);
        let count = drafts.0.len() as u32;
        let mut names = Names { parent, first_id, count, map: BTreeMap::new() };
        for (i, d) in drafts.0.iter().enumerate() {
            let name = &d.spec.name;
            if name.value.trim().is_empty() {
                cx.error(name.span, "a component name cannot be empty").hint =
                    Some("give it a name such as \"web-1\"".into());
                continue;
            }
            if let Some((_, at)) = names.get(name.as_str()) {
                let scope =
                    if parent.is_some_and(|p| p.get(name.as_str()).is_some()) { " in `shared`" } else { "" };
                cx.report(
                    Diagnostic::error(name.span, format!("`{}` is already defined{scope}", name.value))
                        .with_hint("names are unique within an architecture, its shared components included")
                        .with_note(at, format!("first definition of `{}`", name.value)),
                );
                continue;
            }
            names.map.insert(name.as_str(), (ComponentId(first_id + i as u32), name.span));
        }
        names
    }

    /// The id and definition span of `name`, here or in the parent.
    pub fn get(&self, name: &str) -> Option<(ComponentId, Span)> {
        self.map.get(name).copied().or_else(|| self.parent.and_then(|p| p.get(name)))
    }

    /// Every visible name, the parent's first.
    pub fn all(&self) -> Vec<&'s str> {
        let mut all = self.parent.map(|p| p.all()).unwrap_or_default();
        all.extend(self.map.keys().copied());
        all
    }

    /// Resolves a reference, reporting unknown names with a suggestion (never `owner`, the
    /// component making the reference: it cannot depend on itself). `outside` is a wider table
    /// the name is not allowed to come from (an architecture's, for a shared component).
    pub fn resolve(
        &self,
        cx: &mut Context,
        name: &Spanned<String>,
        outside: Option<&Names<'_>>,
        owner: Option<&str>,
    ) -> Option<ComponentId> {
        if let Some((id, _)) = self.get(name.as_str()) {
            return Some(id);
        }
        if outside.is_some_and(|o| o.get(name.as_str()).is_some()) {
            cx.error(name.span, format!("shared component needs `{}`, which is not shared", name.value))
                .hint = Some("shared components may only need shared components: move it to `shared`".into());
            return None;
        }
        let all: Vec<&str> = self.all().into_iter().filter(|n| Some(*n) != owner).collect();
        let hint = did_you_mean(name.as_str(), all.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| known_list("components", all.iter().copied()));
        cx.report(
            Diagnostic::error(name.span, format!("unknown component `{}`", name.value)).with_hint(hint),
        );
        None
    }
}

/// "known X: a, b, c" for a short list; a shorter hint for long ones.
pub(super) fn known_list<'a>(what: &str, names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.len() {
        0 => format!("there are no {what} to refer to here"),
        1..=8 => format!("known {what}: {}", names.join(", ")),
        n => format!("none of the {n} {what} here is close; check the spelling"),
    }
}

/// Compiled `needs` and the span of each reference (parallel to `of`).
pub(super) struct ResolvedNeeds {
    pub needs: Needs,
    pub spans: Vec<Span>,
}

/// Resolves and checks a `needs` field.
pub(super) fn resolve_needs(
    cx: &mut Context,
    owner: &Spanned<String>,
    spec: Option<&NeedsSpec>,
    names: &Names<'_>,
    outside: Option<&Names<'_>>,
) -> ResolvedNeeds {
    let (rule, k, list) = match spec {
        None => {
            return ResolvedNeeds { needs: Needs { rule: NeedsRule::None, k: 0, of: vec![] }, spans: vec![] };
        }
        Some(NeedsSpec::All(list)) => (NeedsRule::All, None, list),
        Some(NeedsSpec::Any(list)) => (NeedsRule::Any, None, list),
        Some(NeedsSpec::AtLeast(k, list)) => (NeedsRule::AtLeast, Some(k), list),
    };
    let mut of = Vec::with_capacity(list.len());
    let mut spans = Vec::with_capacity(list.len());
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for name in list {
        if let Some(&at) = seen.get(name.as_str()) {
            cx.report(
                Diagnostic::error(name.span, format!("`{}` is listed twice", name.value))
                    .with_hint("each dependency counts once; remove the repeat")
                    .with_note(at, "first listed here"),
            );
            continue;
        }
        seen.insert(name.as_str(), name.span);
        if let Some(id) = names.resolve(cx, name, outside, Some(owner.as_str())) {
            of.push(id);
            spans.push(name.span);
        }
    }
    let n = list.len() as u64;
    let k = match (rule, k) {
        (NeedsRule::All, _) => n,
        (NeedsRule::Any, _) => {
            if list.is_empty() {
                cx.error(owner.span, format!("`{}` needs `Any([])`, which can never hold", owner.value))
                    .hint = Some("list at least one component, or remove `needs`".into());
            }
            1
        }
        (_, Some(k)) => {
            if k.value == 0 {
                cx.error(k.span, "`AtLeast` needs k >= 1").hint =
                    Some("with k = 0 the dependency always holds: remove `needs` instead".into());
            } else if k.value > n {
                cx.error(
                    k.span,
                    format!("`AtLeast({}, ..)` lists only {n} component{}", k.value, plural(n)),
                )
                .hint = Some(format!("k must be between 1 and {n}"));
            }
            k.value.clamp(1, n.max(1))
        }
        _ => unreachable!("AtLeast always has k"),
    };
    ResolvedNeeds { needs: Needs { rule, k: k.min(of.len() as u64) as u32, of }, spans }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}
