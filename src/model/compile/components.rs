//! Compiling components: profiles, per-component fields, name tables, `needs`.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::scenario::{ComponentSpec, Kind, ModeSpec, NeedsSpec, Profiles, RecoverSpec, Spanned};

use super::super::{ComponentId, FailMode, Needs, NeedsRule, Recovery};
use super::Context;
use super::ha::{CrewTable, Extras, extras, probability, resolve_crew};
use super::slips::{LawSpans, Written};
use super::values::{FailLaw, Role};
use crate::dist::Dist;

/// A field that may be absent, given but invalid (already reported), or valid.
type Given<T> = Option<Option<T>>;

/// A profile with its fields compiled once.
pub(super) struct CompiledProfile {
    fail: Given<FailLaw>,
    modes: Given<Vec<ModeDraft>>,
    recover: Given<Recovery>,
    /// Where its `fail` and `recover` values are written.
    fail_at: Option<Written>,
    recover_at: Option<Written>,
    pub alert: Option<Dist>,
    pub crew: Option<Spanned<String>>,
    pub start_failure: Option<Spanned<f64>>,
    pub cost_per_hour: Option<Spanned<f64>>,
    pub passive_cost_per_hour: Option<Spanned<f64>>,
    pub priority: Option<Spanned<i64>>,
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
        cx.printable_name(name, "profile");
        let fail = spec.fail.as_ref().map(|f| cx.fail_law(f));
        let modes = spec.modes.as_ref().map(|m| compile_modes(cx, m));
        if let (Some(_), Some(m)) = (&spec.fail, &spec.modes) {
            both_fail_and_modes(cx, name, m);
        }
        let recover = spec.recover.as_ref().map(|r| cx.recovery(r));
        let alert = spec.detect.as_ref().and_then(|d| cx.dist(d, Role::Delay));
        if let Some(crew) = &spec.crew {
            resolve_crew(cx, crew, crews);
        }
        if let Some(p) = &spec.start_failure {
            probability(cx, p);
        }
        for rate in spec.cost_per_hour.iter().chain(&spec.passive_cost_per_hour) {
            super::ha::cost_rate(cx, rate);
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
                modes,
                recover,
                fail_at: spec.fail.as_ref().map(Written::fail),
                recover_at: spec.recover.as_ref().map(Written::recovery),
                alert,
                crew: spec.crew.clone(),
                start_failure: spec.start_failure.clone(),
                cost_per_hour: spec.cost_per_hour.clone(),
                passive_cost_per_hour: spec.passive_cost_per_hour.clone(),
                priority: spec.priority.clone(),
            },
        );
    }
    compiled
}

/// A failure mode with its fields compiled; its recovery is settled once the component's is
/// known.
#[derive(Clone)]
pub(super) struct ModeDraft {
    name: Spanned<String>,
    fail: Option<Dist>,
    loses_data: bool,
    recover: Given<Recovery>,
    fail_at: Written,
    recover_at: Option<Written>,
}

/// Mode names the engine gives problems (`<component>/<mode>`) that could meet a user's mode on
/// one component. (`failure` is free: a component with modes has no plain random failure.)
const RESERVED_MODES: [&str; 5] = ["injected", "maintenance", "start-failure", "failback", "battery-empty"];

/// Compiles a `modes` list; `None` if any mode is invalid (already reported).
fn compile_modes(cx: &mut Context, modes: &[ModeSpec]) -> Option<Vec<ModeDraft>> {
    let mut drafts = Vec::with_capacity(modes.len());
    let mut first: BTreeMap<&str, Span> = BTreeMap::new();
    let mut valid = true;
    for m in modes {
        if !cx.printable_name(&m.name, "failure mode") {
            valid = false;
        } else if m.name.value.trim().is_empty() || m.name.value.contains('/') {
            cx.error(m.name.span, format!("`{}` is not a usable mode name", m.name.value)).hint =
                Some("name the mode with a word such as \"crash\" or \"volume-loss\" (no `/`)".into());
            valid = false;
        } else if RESERVED_MODES.contains(&m.name.as_str()) || m.name.value.starts_with("injected-") {
            cx.error(m.name.span, format!("`{}` is a name faultline gives to problems", m.name.value)).hint =
                Some("problems are written `<component>/<mode>`: choose another name, e.g. \"crash\"".into());
            valid = false;
        }
        if let Some(&at) = first.get(m.name.as_str()) {
            cx.report(
                Diagnostic::error(m.name.span, format!("failure mode `{}` is listed twice", m.name.value))
                    .with_hint("each mode of a component has its own name")
                    .with_note(at, "first listed here"),
            );
            valid = false;
        }
        first.insert(m.name.as_str(), m.name.span);
        let fail = match cx.fail_law(&m.fail) {
            Some(FailLaw::Never) => None,
            Some(FailLaw::After(d)) => Some(d),
            None => {
                valid = false;
                None
            }
        };
        let recover = m.recover.as_ref().map(|r| cx.recovery(r));
        valid &= !matches!(recover, Some(None));
        drafts.push(ModeDraft {
            name: m.name.clone(),
            fail,
            loses_data: m.loses_data,
            recover,
            fail_at: Written::fail(&m.fail),
            recover_at: m.recover.as_ref().map(Written::recovery),
        });
    }
    if modes.len() > usize::from(u16::MAX) {
        valid = false;
    }
    valid.then_some(drafts)
}

fn both_fail_and_modes(cx: &mut Context, owner: &Spanned<String>, modes: &[ModeSpec]) {
    let at = modes.first().map_or(owner.span, |m| m.name.span);
    cx.error(at, format!("`{}` gives both `fail` and `modes`", owner.value)).hint = Some(
        "`modes` replaces `fail`: move the time to failure into a mode, e.g. `(name: \"crash\", fail: ..)`"
            .into(),
    );
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
    pub modes: Vec<FailMode>,
    /// A `modes` list applied (its own or its profile's), valid or not: a mode it lacks is
    /// only worth reporting if the list compiled.
    pub modes_given: bool,
    pub extras: Extras,
    /// Where the values of its `fail` (or modes) and `recover` are written.
    pub at: LawSpans,
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
    if let (Some(_), Some(m)) = (&spec.fail, &spec.modes) {
        both_fail_and_modes(cx, &spec.name, m);
    }
    // `fail` and `modes` are one field: either on the component replaces the profile's.
    let own_law = spec.fail.is_some() || spec.modes.is_some();
    let fail: Given<FailLaw> = match &spec.fail {
        Some(f) => Some(cx.fail_law(f)),
        None if own_law => None,
        None => profile.and_then(|p| p.fail),
    };
    let modes: Given<Vec<ModeDraft>> = match &spec.modes {
        Some(m) => Some(compile_modes(cx, m)),
        None if own_law => None,
        None => profile.and_then(|p| p.modes.clone()),
    };
    let recover: Given<Recovery> = match &spec.recover {
        Some(r) => Some(cx.recovery(r)),
        None => profile.and_then(|p| p.recover),
    };
    let fail_at = match &spec.fail {
        Some(f) => Some(Written::fail(f)),
        None if own_law => None,
        None => profile.and_then(|p| p.fail_at.clone()),
    };
    let recover_at = match &spec.recover {
        Some(r) => Some(Written::recovery(r)),
        None => profile.and_then(|p| p.recover_at.clone()),
    };
    let extras = extras(cx, spec, profile, crews);
    let name = &spec.name;
    let modes_given = modes.is_some();
    let none = Draft {
        spec,
        shared,
        fail: None,
        recover: None,
        modes: Vec::new(),
        modes_given,
        extras,
        at: LawSpans::default(),
    };
    if spec.kind == Kind::Group {
        if fail.is_some() || recover.is_some() || modes.is_some() {
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
    if let Some(modes) = modes {
        return with_modes(cx, spec, shared, modes, (recover, recover_at), extras);
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
    let at = LawSpans { fail: fail_at, recover: recover_at, modes: Vec::new() };
    Draft { spec, shared, fail, recover, modes: Vec::new(), modes_given, extras, at }
}

/// A component that fails in `modes`: each mode recovers its own way or the component's.
fn with_modes<'s>(
    cx: &mut Context,
    spec: &'s ComponentSpec,
    shared: bool,
    modes: Option<Vec<ModeDraft>>,
    (recover, recover_at): (Given<Recovery>, Option<Written>),
    extras: Extras,
) -> Draft<'s> {
    let mut draft = Draft {
        spec,
        shared,
        fail: None,
        recover: None,
        modes: Vec::new(),
        modes_given: true,
        extras,
        at: LawSpans::default(),
    };
    let Some(modes) = modes else { return draft };
    if modes.is_empty() {
        cx.error(spec.name.span, format!("`{}` has an empty `modes` list", spec.name.value)).hint =
            Some("list at least one mode, or write `fail: Never` for a component that never fails".into());
        return draft;
    }
    let own = match recover {
        Some(None) => return draft, // invalid, reported
        Some(Some(r)) => Some(r),
        None => None,
    };
    let mut compiled = Vec::with_capacity(modes.len());
    let mut at = Vec::with_capacity(modes.len());
    for m in modes {
        let recover = match m.recover {
            Some(Some(r)) => r,
            Some(None) => return draft,
            None => match own {
                Some(r) => r,
                None => {
                    cx.error(
                        m.name.span,
                        format!("mode `{}` of `{}` has no `recover`", m.name.value, spec.name.value),
                    )
                    .hint = Some(
                        "give the mode its own `recover: ..`, or give the component (or its profile) one"
                            .into(),
                    );
                    return draft;
                }
            },
        };
        at.push((m.fail_at, m.recover_at.or_else(|| recover_at.clone())));
        compiled.push(FailMode { name: m.name.value, fail: m.fail, loses_data: m.loses_data, recover });
    }
    // A failed start recovers the component's way, else the first mode's.
    draft.recover = own.or(compiled.first().map(|m| m.recover));
    draft.modes = compiled;
    draft.at = LawSpans { fail: None, recover: recover_at, modes: at };
    draft
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
            names.insert(cx, &d.spec.name, ComponentId(first_id + i as u32), "component");
        }
        names
    }

    /// Numbers one more name (a dataset's) after the others.
    pub fn push(&mut self, cx: &mut Context, name: &'s Spanned<String>) -> ComponentId {
        let id = ComponentId(self.first_id + self.count);
        self.count += 1;
        self.insert(cx, name, id, "dataset");
        id
    }

    fn insert(&mut self, cx: &mut Context, name: &'s Spanned<String>, id: ComponentId, what: &str) {
        // Kept in the table even with a control character, so its references resolve and the
        // name gets one error, not one per use.
        cx.printable_name(name, what);
        if name.value.trim().is_empty() {
            cx.error(name.span, "a component name cannot be empty").hint =
                Some("give it a name such as \"web-1\"".into());
            return;
        }
        if let Some((_, at)) = self.get(name.as_str()) {
            let scope =
                if self.parent.is_some_and(|p| p.get(name.as_str()).is_some()) { " in `shared`" } else { "" };
            cx.report(
                Diagnostic::error(name.span, format!("`{}` is already defined{scope}", name.value))
                    .with_hint("names are unique within an architecture, its shared components and datasets included")
                    .with_note(at, format!("first definition of `{}`", name.value)),
            );
            return;
        }
        self.map.insert(name.as_str(), (id, name.span));
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
    /// For `Async(queue, consumers)`: the consumers (the queue is the one need).
    pub consumers: Option<(ComponentId, Span)>,
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
            let needs = Needs { rule: NeedsRule::None, k: 0, of: vec![] };
            return ResolvedNeeds { needs, spans: vec![], consumers: None };
        }
        Some(NeedsSpec::Async { queue, consumers }) => {
            let q = names.resolve(cx, queue, outside, Some(owner.as_str()));
            let c = names.resolve(cx, consumers, outside, Some(owner.as_str()));
            if queue.value == consumers.value {
                cx.error(consumers.span, "a queue cannot consume itself").hint =
                    Some("`consumers` is what reads the queue: a worker group, for instance".into());
            }
            let (of, spans) = q.map_or((vec![], vec![]), |q| (vec![q], vec![queue.span]));
            let k = of.len() as u32;
            return ResolvedNeeds {
                needs: Needs { rule: NeedsRule::All, k, of },
                spans,
                consumers: c.map(|c| (c, consumers.span)),
            };
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
    ResolvedNeeds { needs: Needs { rule, k: k.min(of.len() as u64) as u32, of }, spans, consumers: None }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}
