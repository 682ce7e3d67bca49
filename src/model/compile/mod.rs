//! Compilation: from the scenario as written to a [`System`] the engine can trust.
//!
//! Every check collects its diagnostic and goes on, so one run reports every mistake in a
//! file; the result is rejected iff there is at least one error. Things declared once are
//! checked once: profiles and shared components are compiled before the architectures and
//! reused by each, and identical diagnostics are reported once. Diagnostics come out in file
//! order.
//!
//! Decisions where DESIGN.md is silent:
//! - A shared component may only need shared components, so that it means the same thing in
//!   every architecture.
//! - A `Group` has no failures of its own: `fail` or `recover` on a group (or from its profile)
//!   is an error, and so is a group without `needs`.
//! - A component that can fail must say how it recovers (`recover`, from itself or its profile).
//! - A name listed twice in one `needs` list is an error (it would count twice).
//! - An injection starting at or after the horizon has no effect: a warning, not an error.
//! - Warnings for likely modelling slips ([`slips`]) are given only for a file without errors:
//!   in a half-built model they would be noise.
//! - A name (of the scenario, an architecture, a profile, a crew, a component, a dataset, a
//!   failure mode) may not hold a control character: names reach tables, reports, charts and
//!   terminals, where an escape sequence would retitle or clear the screen rather than print.
//!   Rejecting them here makes every output safe without escaping in each renderer.

mod architecture;
mod components;
mod data;
mod derived;
mod ha;
mod slips;
mod targets;
mod values;

use crate::diagnostic::{Diagnostic, Span, escape_controls};
use crate::scenario::{self, DEFAULT_REPLICATIONS, MAX_REPLICATIONS, Scenario, Spanned};

use super::{Objectives, System};

/// A compiled scenario and the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// The validated model.
    pub system: System,
    /// Findings that did not reject the file.
    pub warnings: Vec<Diagnostic>,
}

/// Parses and compiles a scenario text.
pub fn compile_str(text: &str) -> Result<Compiled, Vec<Diagnostic>> {
    compile(&scenario::parse_str(text)?)
}

/// Compiles a parsed scenario. On failure returns every diagnostic (warnings included), in file
/// order.
pub fn compile(scenario: &Scenario) -> Result<Compiled, Vec<Diagnostic>> {
    let mut cx = Context::default();
    cx.printable_name(&scenario.name, "scenario");
    let horizon = cx.positive_duration(&scenario.horizon, "the horizon");
    let replications = cx.replications(scenario);
    let precision = cx.precision(scenario, replications);
    let objectives = cx.objectives(scenario.objectives.as_ref(), Objectives::DEFAULT);
    let (crews, crew_table) = ha::compile_crews(&mut cx, &scenario.crews);
    let profiles = components::compile_profiles(&mut cx, &scenario.profiles, &crew_table);
    let shared = components::Drafts::new(&mut cx, &scenario.shared, &profiles, &crew_table, true);
    let shared_names = components::Names::new(&mut cx, &shared, None);
    let architectures = architecture::compile_all(
        &mut cx,
        scenario,
        &architecture::Inputs {
            shared: &shared,
            shared_names: &shared_names,
            objectives,
            profiles: &profiles,
            crews: &crew_table,
            crew_list: &crews,
        },
        horizon,
    );
    let system = System {
        name: scenario.name.value.clone(),
        seed: scenario.seed,
        horizon: horizon.unwrap_or_default(),
        replications,
        precision,
        estimator: None,
        max_replications: None,
        random: scenario.random.unwrap_or(true),
        architectures,
        crews,
    };
    cx.finish(system)
}

/// Collected diagnostics of one compilation.
#[derive(Default)]
pub(super) struct Context {
    diagnostics: Vec<Diagnostic>,
    /// Warnings for likely slips, kept apart until the file is known to have no error.
    slips: Vec<Diagnostic>,
}

impl Context {
    /// Records a diagnostic.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records a warning about a likely slip (dropped if the file has an error).
    pub fn slip(&mut self, diagnostic: Diagnostic) {
        self.slips.push(diagnostic);
    }

    /// Whether an error was recorded: likely-slip checks assume a model without one.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Records an error at `span`.
    pub fn error(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::error(span, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Reports a name holding a control character (see the module docs); true if it has none.
    pub fn printable_name(&mut self, name: &Spanned<String>, what: &str) -> bool {
        let Some(c) = name.value.chars().find(|c| c.is_control()) else { return true };
        self.error(
            name.span,
            format!(
                "the {what} name `{}` holds a control character ({})",
                escape_controls(&name.value),
                escape_controls(&c.to_string())
            ),
        )
        .hint = Some(
            "names are printed in tables, reports and terminals, where a control character (an escape sequence, a tab, a newline) acts instead of printing: remove it"
                .into(),
        );
        false
    }

    fn replications(&mut self, scenario: &Scenario) -> u64 {
        let Some(r) = &scenario.replications else { return u64::from(DEFAULT_REPLICATIONS) };
        if r.value == 0 {
            self.error(r.span, "`replications` must be at least 1").hint =
                Some("1000 is a common choice; leave the field out to get it".into());
        } else if r.value > MAX_REPLICATIONS {
            self.error(r.span, format!("`replications` must be at most {MAX_REPLICATIONS}")).hint = Some(
                "compare and check keep one value per replication and architecture; for more precision, lengthen the horizon"
                    .into(),
            );
        }
        r.value
    }

    fn precision(&mut self, scenario: &Scenario, replications: u64) -> Option<super::Precision> {
        let p = scenario.precision.as_ref()?;
        if !(p.value > 0.0 && p.value < 1.0) {
            self.error(p.span, format!("`precision` is a fraction in (0, 1), got {}", p.value)).hint =
                Some("0.05 asks for a 95% CI within ±5% of the unavailability".into());
            return None;
        }
        Some(super::Precision::with_default_max(p.value, replications))
    }

    fn finish(mut self, system: System) -> Result<Compiled, Vec<Diagnostic>> {
        if !self.diagnostics.iter().any(Diagnostic::is_error) {
            // Each architecture checks the shared components again: one warning per place.
            let mut seen = std::collections::BTreeSet::new();
            for d in std::mem::take(&mut self.slips) {
                if seen.insert((d.span, d.message.clone())) {
                    self.diagnostics.push(d);
                }
            }
        }
        self.diagnostics.sort_by_key(|d| d.span.map(|s| s.start));
        self.diagnostics.dedup();
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            Err(self.diagnostics)
        } else {
            Ok(Compiled { system, warnings: self.diagnostics })
        }
    }
}

impl Objectives {
    /// No targets, gating on.
    pub const DEFAULT: Objectives =
        Objectives { availability: None, availability_unplanned: None, rto: None, rpo: None, gate: true };
}
