//! Compiling the high-availability forms: crews, alerting, start failures, batteries and
//! standby groups.
//!
//! Decisions where the contract is silent: a crew or an alerting `detect` only affects
//! `Repair` (a `Replace` brings its own detection and needs no crew); `recharge` defaults to
//! "0s" when a `runtime` is given, and is an error without one; a standby group needs at least
//! two members, each listed once and never also in its `needs`.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::dist::Dist;
use crate::scenario::{ComponentSpec, Crews, Kind, Passive, Spanned, StandbySpec};

use super::super::{Battery, Crew, CrewId, Standby};
use super::Context;
use super::components::{CompiledProfile, Names, known_list};
use super::values::Role;

/// Crews by name.
pub(super) type CrewTable = BTreeMap<String, CrewId>;

/// Compiles the `crews` map.
pub(super) fn compile_crews(cx: &mut Context, crews: &Crews) -> (Vec<Crew>, CrewTable) {
    let mut list = Vec::new();
    let mut table = CrewTable::new();
    let mut first: BTreeMap<&str, Span> = BTreeMap::new();
    for (name, size) in &crews.0 {
        cx.printable_name(name, "crew");
        if let Some(&at) = first.get(name.as_str()) {
            cx.report(
                Diagnostic::error(name.span, format!("crew `{}` is defined twice", name.value))
                    .with_hint("rename or remove one of them")
                    .with_note(at, format!("first definition of `{}`", name.value)),
            );
            continue;
        }
        first.insert(name.as_str(), name.span);
        if size.value == 0 || size.value > u64::from(u32::MAX) {
            let message = if size.value == 0 {
                format!("crew `{}` must have at least one member", name.value)
            } else {
                format!("crew `{}` of {} members is too large (at most {})", name.value, size.value, u32::MAX)
            };
            cx.error(size.span, message).hint =
                Some("a crew's size is how many repairs it works on at once, e.g. 1".into());
        }
        table.insert(name.value.clone(), CrewId(list.len() as u32));
        list.push(Crew { name: name.value.clone(), size: size.value.clamp(1, u64::from(u32::MAX)) as u32 });
    }
    (list, table)
}

/// The HA fields of one component, its profile applied.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Extras {
    pub alert: Option<Dist>,
    pub crew: Option<CrewId>,
    pub start_failure: f64,
    pub battery: Option<Battery>,
    /// Cost per hour provisioned, and the passive rate if given (its own, else its profile's).
    pub cost_per_hour: f64,
    pub passive_cost_per_hour: Option<f64>,
    /// Repair priority with the crew (its own, else its profile's; default 0).
    pub priority: i64,
}

/// Compiles the HA fields of `spec` (its own, else its profile's).
pub(super) fn extras(
    cx: &mut Context,
    spec: &ComponentSpec,
    profile: Option<&CompiledProfile>,
    crews: &CrewTable,
) -> Extras {
    let alert = match &spec.detect {
        Some(d) => cx.dist(d, Role::Delay),
        None => profile.and_then(|p| p.alert),
    };
    let crew_name = spec.crew.as_ref().or(profile.and_then(|p| p.crew.as_ref()));
    let crew = crew_name.and_then(|c| resolve_crew(cx, c, crews));
    let start_failure = match spec.start_failure.as_ref().or(profile.and_then(|p| p.start_failure.as_ref())) {
        Some(p) => probability(cx, p),
        None => 0.0,
    };
    let battery = match (&spec.runtime, &spec.recharge) {
        (Some(runtime), Some(recharge)) => {
            let runtime = cx.dist(runtime, Role::Delay);
            let recharge_dist = cx.dist(recharge, Role::Delay);
            if recharge_dist.is_some_and(|d| d.mean_ms() <= 0.0) {
                cx.error(recharge.span, "a battery's `recharge` must take time").hint =
                    Some("with no recharge time the battery would never run out; give e.g. \"4h\"".into());
            }
            runtime.zip(recharge_dist).map(|(runtime, recharge)| Battery { runtime, recharge })
        }
        (Some(runtime), None) => {
            cx.error(runtime.span, format!("`{}` has a `runtime` but no `recharge`", spec.name.value)).hint =
                Some("say how long the battery takes to refill, e.g. `recharge: \"4h\"`".into());
            None
        }
        (None, Some(r)) => {
            cx.error(r.span, "`recharge` without `runtime`").hint =
                Some("`recharge` is how long a battery takes to refill after its `runtime` ran out".into());
            None
        }
        (None, None) => None,
    };
    if start_failure > 0.0
        && spec.kind != Kind::Group
        && spec.recover.is_none()
        && profile.is_none_or(|p| !p.has_recover())
    {
        let at = spec.start_failure.as_ref().map_or(spec.name.span, |p| p.span);
        cx.error(at, format!("`{}` can fail to start but has no `recover`", spec.name.value)).hint =
            Some("a failed start is an own failure: add `recover: Repair(..)` to say how it ends".into());
    }
    let rate = |cx: &mut Context, own: &Option<Spanned<f64>>, of_profile: Option<&Option<Spanned<f64>>>| {
        match own {
            Some(r) => Some(cost_rate(cx, r)),
            // Checked once, with the profile.
            None => of_profile.and_then(|p| p.as_ref()).map(|r| r.value.max(0.0)).filter(|r| r.is_finite()),
        }
    };
    let cost_per_hour = rate(cx, &spec.cost_per_hour, profile.map(|p| &p.cost_per_hour)).unwrap_or(0.0);
    let passive_cost_per_hour =
        rate(cx, &spec.passive_cost_per_hour, profile.map(|p| &p.passive_cost_per_hour));
    let priority =
        spec.priority.as_ref().or(profile.and_then(|p| p.priority.as_ref())).map_or(0, |p| p.value);
    Extras { alert, crew, start_failure, battery, cost_per_hour, passive_cost_per_hour, priority }
}

/// A cost per hour: a finite number, at least 0 (0 when it is not, after reporting it).
pub(super) fn cost_rate(cx: &mut Context, rate: &Spanned<f64>) -> f64 {
    if rate.value.is_finite() && rate.value >= 0.0 {
        rate.value
    } else {
        cx.error(rate.span, format!("a cost per hour is a number of at least 0, got {}", rate.value)).hint =
            Some("write what the component costs per hour in your currency, e.g. 0.096".into());
        0.0
    }
}

/// A probability in [0, 1].
pub(super) fn probability(cx: &mut Context, p: &Spanned<f64>) -> f64 {
    if (0.0..=1.0).contains(&p.value) {
        p.value
    } else {
        cx.error(p.span, format!("a probability is in [0, 1], got {}", p.value)).hint =
            Some("write 2% as 0.02".into());
        0.0
    }
}

pub(super) fn resolve_crew(cx: &mut Context, name: &Spanned<String>, crews: &CrewTable) -> Option<CrewId> {
    if let Some(&id) = crews.get(&name.value) {
        return Some(id);
    }
    let hint = did_you_mean(&name.value, crews.keys().map(String::as_str))
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| {
            if crews.is_empty() {
                "declare crews at the top level: `crews: {\"oncall\": 1}`".to_string()
            } else {
                known_list("crews", crews.keys().map(String::as_str))
            }
        });
    cx.report(Diagnostic::error(name.span, format!("unknown crew `{}`", name.value)).with_hint(hint));
    None
}

/// A resolved standby group and the span of each member reference.
pub(super) struct ResolvedStandby {
    pub standby: Standby,
    pub spans: Vec<Span>,
}

/// Resolves and checks a `standby` field of `spec`.
pub(super) fn resolve_standby(
    cx: &mut Context,
    spec: &ComponentSpec,
    standby: &StandbySpec,
    names: &Names<'_>,
    outside: Option<&Names<'_>>,
) -> Option<ResolvedStandby> {
    let owner = &spec.name;
    if spec.kind != Kind::Group {
        cx.error(owner.span, format!("`{}` has `standby` but is not a Group", owner.value)).hint =
            Some("write `kind: Group` for a standby group".into());
    }
    let in_needs: Vec<&str> = match &spec.needs {
        Some(crate::scenario::NeedsSpec::All(l) | crate::scenario::NeedsSpec::Any(l)) => {
            l.iter().map(|n| n.as_str()).collect()
        }
        Some(crate::scenario::NeedsSpec::AtLeast(_, l)) => l.iter().map(|n| n.as_str()).collect(),
        Some(crate::scenario::NeedsSpec::Async { queue, .. }) => vec![queue.as_str()],
        None => Vec::new(),
    };
    let mut members = Vec::new();
    let mut spans = Vec::new();
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for m in &standby.members {
        if let Some(&at) = seen.get(m.as_str()) {
            cx.report(
                Diagnostic::error(m.span, format!("standby member `{}` is listed twice", m.value))
                    .with_hint("list each member once, in priority order")
                    .with_note(at, "first listed here"),
            );
            continue;
        }
        seen.insert(m.as_str(), m.span);
        if in_needs.contains(&m.as_str()) {
            cx.error(m.span, format!("`{}` is both a standby member and in `needs`", m.value)).hint = Some(
                "members are not dependencies: `needs` on a standby group are extra conditions (e.g. its AZ)"
                    .into(),
            );
            continue;
        }
        if let Some(id) = names.resolve(cx, m, outside, Some(owner.as_str())) {
            members.push(id);
            spans.push(m.span);
        }
    }
    if standby.members.len() < 2 {
        cx.error(owner.span, format!("standby group `{}` needs at least two members", owner.value)).hint =
            Some("with one member there is nothing to fail over to: use `needs: All([..])`".into());
    }
    let detect = cx.dist(&standby.detect, Role::Delay);
    let switch = cx.dist(&standby.switch, Role::Delay);
    let passive = standby.passive.clone().unwrap_or_default();
    let warm = match &passive {
        Passive::Warm { factor } if factor.value > 0.0 && factor.value <= 1.0 => Some(factor.value),
        Passive::Warm { factor } => {
            cx.error(factor.span, format!("a warm standby's `factor` is in (0, 1], got {}", factor.value)).hint =
                Some("the fraction of real time a passive member ages at: 1 is `Hot`, and a member that does not age is `Cold`".into());
            None
        }
        Passive::Hot | Passive::Cold => None,
    };
    Some(ResolvedStandby {
        standby: Standby {
            members,
            detect: detect?,
            switch: switch?,
            failback: standby.failback.unwrap_or(false),
            cold: passive == Passive::Cold,
            warm,
        },
        spans,
    })
}
