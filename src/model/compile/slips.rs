//! Warnings for likely modelling slips: a file that compiles, but probably does not say what
//! its author meant. Each warning points at the value or the name to look at and says how to
//! fix it; `faultline validate --deny-warnings` turns them into a failure for CI.
//!
//! - **A zone or power source failing more often than monthly**: a `Region`, `Az` or `Power`
//!   whose mean time to failure (a `fail`, or one mode's) is under 30 days. `"6m"` is six
//!   minutes; months are not a unit. A member of a `passive: Cold` standby group is exempt:
//!   its clock runs only while it carries the load, so a short running time to failure (a
//!   neglected generator's) is a real figure.
//! - **Failing faster than it recovers**: a mean time to failure (a `fail`, or one mode's)
//!   shorter than the mean recovery of that failure, computed as the Birnbaum importance does
//!   ([`super::super::Component::mean_recovery_ms`]). A value that gets the warning above gets
//!   only that one: it is the likelier diagnosis.
//! - **Not part of the service**: a component of an architecture (not a shared one) that is
//!   not the service and that nothing reaches from the service or from a dataset, following
//!   `needs`, standby members, a queue's consumers and a dataset's holder, replica hosts,
//!   backup stores and restore targets. Datasets count as roots because their copies matter
//!   for RPO whether or not the service needs the data.
//! - **No zone**: an `Instance`, `Database` or `LoadBalancer` with no path to any `Az` or
//!   `Region` through its `needs` (transitively, through any rule): no zone outage can reach
//!   it. A standby group counts its members: it reaches a zone when one of them does, since an
//!   outage of the zones of every member takes it down.
//! - **A standby group in one AZ**: every member of a standby group is *in* the same `Az` (it
//!   needs it through `All` edges only, as `InAz` injections decide), while the architecture
//!   has another AZ: one zone outage leaves nothing to fail over to. With a single AZ in the
//!   whole design the author modelled one site on purpose, and nothing is said.
//!
//! The rules look at the compiled architecture; the spans of the values come from the drafts.

use crate::diagnostic::{Diagnostic, Span};
use crate::scenario::{DistExpr, DistForm, DistSpec, RecoverSpec};
use crate::time::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, MS_PER_YEAR};

use super::super::{Architecture, Component, ComponentId, Kind, Recovery};
use super::Context;
use super::components::Draft;
use super::targets::inside;

/// A month, for the first rule: 30 days.
const MONTH_MS: f64 = (30 * MS_PER_DAY) as f64;

/// Where a value was written, and the duration literal when it is one.
#[derive(Clone, Debug)]
pub(super) struct Written {
    /// The duration (a mean, a fixed time) or the whole expression.
    pub span: Span,
    /// The literal as written (`"6m"`), for a form with a single duration.
    pub text: Option<String>,
}

impl Written {
    /// A `fail` value: its mean's literal where there is one.
    pub fn fail(expr: &DistExpr) -> Written {
        match &expr.form {
            DistForm::Bare(text) => Written { span: expr.span, text: Some(text.clone()) },
            DistForm::Spec(
                DistSpec::Exp { mean }
                | DistSpec::Weibull { mean, .. }
                | DistSpec::LogNormal { mean, .. }
                | DistSpec::Fixed(mean),
            ) => Written { span: mean.span, text: Some(mean.value.clone()) },
            _ => Written { span: expr.span, text: None },
        }
    }

    /// A `recover` value: the repair time, or a replacement's `detect` through its `launch`.
    pub fn recovery(spec: &RecoverSpec) -> Written {
        match spec {
            RecoverSpec::Repair(d) => Written::fail(d),
            RecoverSpec::Replace { detect, launch } => {
                Written { span: Span::new(detect.span.start, launch.span.end), text: None }
            }
        }
    }
}

/// Where a component's failure law was written (its own fields or its profile's).
#[derive(Clone, Debug, Default)]
pub(super) struct LawSpans {
    /// Its `fail`.
    pub fail: Option<Written>,
    /// Its `recover`.
    pub recover: Option<Written>,
    /// Per mode (parallel to the compiled modes): its `fail` and the recovery it uses.
    pub modes: Vec<(Written, Option<Written>)>,
}

/// Checks one compiled architecture; `drafts` are its components' (shared first), by id.
pub(super) fn check(cx: &mut Context, arch: &Architecture, drafts: &[&Draft<'_>]) {
    failure_laws(cx, arch, drafts);
    outside_the_service(cx, arch, drafts);
    without_zone(cx, arch, drafts);
    standby_in_one_az(cx, arch, drafts);
}

fn failure_laws(cx: &mut Context, arch: &Architecture, drafts: &[&Draft<'_>]) {
    let mut cold = vec![false; arch.components.len()];
    for s in arch.components.iter().filter_map(|c| c.standby.as_ref()).filter(|s| s.cold) {
        for m in &s.members {
            cold[m.index()] = true;
        }
    }
    for (i, draft) in drafts.iter().enumerate() {
        let c = &arch.components[i];
        let law = Law { component: c, cold: cold[i] };
        if let (Some(fail), Some(recovery), Some(at)) = (c.fail, &c.recover, &draft.at.fail) {
            law.check(cx, fail.mean_ms(), recovery, at, draft.at.recover.as_ref());
        }
        for (m, (at, recover_at)) in c.modes.iter().zip(&draft.at.modes) {
            if let Some(fail) = m.fail {
                law.check(cx, fail.mean_ms(), &m.recover, at, recover_at.as_ref());
            }
        }
    }
}

/// One component's failure law, value by value.
struct Law<'a> {
    component: &'a Component,
    cold: bool,
}

impl Law<'_> {
    fn check(
        &self,
        cx: &mut Context,
        mttf_ms: f64,
        recovery: &Recovery,
        at: &Written,
        recover_at: Option<&Written>,
    ) {
        let kind = self.component.kind;
        if matches!(kind, Kind::Region | Kind::Az | Kind::Power) && !self.cold && mttf_ms < MONTH_MS {
            cx.slip(
                Diagnostic::warning(
                    at.span,
                    format!("mean time to failure {} is less than a month for {}", human(mttf_ms), a(kind)),
                )
                .with_hint(monthly_hint(kind, at.text.as_deref())),
            );
            return;
        }
        let mttr_ms = self.component.mean_recovery_ms(recovery);
        if mttf_ms < mttr_ms {
            let alerting = match recovery {
                Recovery::Repair(_) if self.component.alert.is_some() => ", alerting included",
                _ => "",
            };
            let mut d = Diagnostic::warning(
                at.span,
                format!(
                    "mean time to failure {} is shorter than the mean recovery ({}{alerting})",
                    human(mttf_ms),
                    human(mttr_ms)
                ),
            )
            .with_hint("it would be down more than up; check the number and the unit of both");
            if let Some(r) = recover_at {
                d = d.with_note(r.span, "the recovery is written here");
            }
            cx.slip(d);
        }
    }
}

fn a(kind: Kind) -> &'static str {
    match kind {
        Kind::Region => "a Region",
        Kind::Az => "an Az",
        _ => "a Power source",
    }
}

/// `"6m" is 6 minutes; months are not a unit: write "180d"` for a minutes literal.
fn monthly_hint(kind: Kind, text: Option<&str>) -> String {
    if let Some(number) = text.and_then(|t| t.strip_suffix('m')).filter(|n| is_number(n)) {
        let days = number.parse::<f64>().unwrap_or(0.0) * 30.0;
        let minutes = if number == "1" { "minute" } else { "minutes" };
        return format!(
            "\"{number}m\" is {number} {minutes}; months are not a unit: write \"{}d\"",
            trim_float(days)
        );
    }
    format!(
        "{} usually fails months or years apart (e.g. \"43800h\", \"5y\"); check the number and the unit",
        a(kind)
    )
}

/// A plain decimal number (`6`, `1.5`).
fn is_number(text: &str) -> bool {
    let mut parts = text.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && parts.next().is_none_or(digits)
}

/// `180`, `45`, `4.5`: no trailing zeros.
fn trim_float(x: f64) -> String {
    let text = format!("{x:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A mean in the duration grammar, to the two largest units (`22h18m`, `6m`, `62d12h`).
fn human(ms: f64) -> String {
    const UNITS: [(&str, u64); 6] = [
        ("y", MS_PER_YEAR),
        ("d", MS_PER_DAY),
        ("h", MS_PER_HOUR),
        ("m", MS_PER_MINUTE),
        ("s", MS_PER_SECOND),
        ("ms", 1),
    ];
    let ms = (ms + 0.5) as u64;
    let Some(first) = UNITS.iter().position(|&(_, size)| ms >= size) else { return "0s".to_string() };
    let (unit, size) = UNITS[first];
    let mut text = format!("{}{unit}", ms / size);
    if let Some(&(next, next_size)) = UNITS.get(first + 1) {
        let rest = ms % size / next_size;
        if rest > 0 {
            text.push_str(&format!("{rest}{next}"));
        }
    }
    text
}

/// What the service and the datasets reach, following every input, queue consumers, backup
/// stores and restore targets.
fn reached(arch: &Architecture) -> Vec<bool> {
    let mut reached = vec![false; arch.components.len()];
    let mut stack: Vec<ComponentId> = vec![arch.service];
    stack.extend(arch.datasets.iter().map(|d| d.node));
    while let Some(c) = stack.pop() {
        if std::mem::replace(&mut reached[c.index()], true) {
            continue;
        }
        let comp = &arch.components[c.index()];
        stack.extend(comp.inputs());
        stack.extend(arch.queues.iter().filter(|q| q.producer == c).map(|q| q.consumers));
        if let Some(d) = comp.dataset.and_then(|d| arch.datasets.get(d as usize)) {
            stack.extend(d.backups.iter().flat_map(|b| std::iter::once(b.to).chain(b.into)));
            stack.extend(d.replicas.iter().map(|r| r.on));
        }
    }
    reached
}

fn outside_the_service(cx: &mut Context, arch: &Architecture, drafts: &[&Draft<'_>]) {
    let reached = reached(arch);
    let service = &arch.components[arch.service.index()].name;
    for (i, draft) in drafts.iter().enumerate() {
        if draft.shared || reached[i] {
            continue;
        }
        cx.slip(
            Diagnostic::warning(
                draft.spec.name.span,
                format!("`{}` plays no part in the service `{service}`", draft.spec.name.value),
            )
            .with_hint(
                "nothing the service needs depends on it and no dataset keeps a copy on it, so its failures change nothing: list it in a `needs`, or remove it",
            ),
        );
    }
}

fn without_zone(cx: &mut Context, arch: &Architecture, drafts: &[&Draft<'_>]) {
    // Everything with a path to a zone: forward from the zones along dependency -> dependent.
    let mut zoned = vec![false; arch.components.len()];
    let mut stack: Vec<usize> = (0..arch.components.len())
        .filter(|&i| matches!(arch.components[i].kind, Kind::Az | Kind::Region))
        .collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut zoned[i], true) {
            continue;
        }
        stack.extend(arch.graph.neighbors(petgraph::graph::NodeIndex::new(i)).map(|n| n.index()));
    }
    // The AZ to suggest: the first one, or for a shared component (which may only need shared
    // ones) the first shared one. Found once: a model of 100,000 instances without a zone would
    // otherwise scan every component for each of them.
    let first_az = arch.components.iter().find(|z| z.kind == Kind::Az);
    let first_shared_az = arch.components.iter().find(|z| z.kind == Kind::Az && z.shared);
    for (i, draft) in drafts.iter().enumerate() {
        let c = &arch.components[i];
        if zoned[i] || !matches!(c.kind, Kind::Instance | Kind::Database | Kind::LoadBalancer) {
            continue;
        }
        let az = if c.shared { first_shared_az } else { first_az };
        let hint = match az {
            Some(z) => format!(
                "no zone outage can reach it: add the AZ it runs in to its `needs`, e.g. `needs: All([\"{}\"])`",
                z.name
            ),
            None => "no zone outage can reach it: declare the AZ it runs in (`kind: Az`) and add it to its `needs`"
                .to_string(),
        };
        cx.slip(
            Diagnostic::warning(
                draft.spec.name.span,
                format!("{} `{}` depends on no Az or Region", c.kind.name(), c.name),
            )
            .with_hint(hint),
        );
    }
}

fn standby_in_one_az(cx: &mut Context, arch: &Architecture, drafts: &[&Draft<'_>]) {
    let azs: Vec<ComponentId> = (0..arch.components.len() as u32)
        .map(ComponentId)
        .filter(|&id| arch.components[id.index()].kind == Kind::Az)
        .collect();
    if azs.len() < 2 || !arch.components.iter().any(|c| c.standby.is_some()) {
        return;
    }
    let insides: Vec<(ComponentId, Vec<ComponentId>)> = azs
        .iter()
        .map(|&az| (az, inside(&arch.components, &arch.dependents, &arch.dependent_starts, az, None)))
        .collect();
    for (i, draft) in drafts.iter().enumerate() {
        let Some(standby) = &arch.components[i].standby else { continue };
        let shared_az = insides.iter().find(|(_, inside)| {
            !standby.members.is_empty() && standby.members.iter().all(|m| inside.contains(m))
        });
        let Some((az, _)) = shared_az else { continue };
        let az = &arch.components[az.index()].name;
        cx.slip(
            Diagnostic::warning(
                draft.spec.name.span,
                format!("every member of standby group `{}` is in Az `{az}`", draft.spec.name.value),
            )
            .with_hint(format!(
                "one outage of `{az}` takes every member down, leaving nothing to fail over to: put a member in another AZ"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_print_to_their_two_largest_units() {
        assert_eq!(human(6.0 * MS_PER_MINUTE as f64), "6m");
        assert_eq!(human(22.3 * MS_PER_HOUR as f64), "22h18m");
        assert_eq!(human(1500.0 * MS_PER_HOUR as f64), "62d12h");
        assert_eq!(human(2.0 * MS_PER_YEAR as f64 + 1.0), "2y");
        assert_eq!(human(250.0), "250ms");
        assert_eq!(human(0.2), "0s");
    }

    #[test]
    fn a_minutes_literal_is_read_as_months_in_the_hint() {
        assert_eq!(
            monthly_hint(Kind::Az, Some("6m")),
            "\"6m\" is 6 minutes; months are not a unit: write \"180d\""
        );
        assert_eq!(
            monthly_hint(Kind::Region, Some("1.5m")),
            "\"1.5m\" is 1.5 minutes; months are not a unit: write \"45d\""
        );
        for other in [Some("1h30m"), Some("10d"), Some("m"), None] {
            assert!(
                monthly_hint(Kind::Power, other).starts_with("a Power source usually fails"),
                "{other:?}"
            );
        }
    }
}
