//! Compiling values: durations, distributions, objectives.

use crate::diagnostic::{Diagnostic, Span};
use crate::dist::{Dist, DistError};
use crate::scenario::{DistExpr, DistForm, DistSpec, ObjectivesSpec, Spanned};
use crate::time::{SimTime, parse_duration};

use super::super::Objectives;
use super::Context;

const ZERO_HINT: &str = "a mean, a time to failure, the horizon and an injection's duration must be positive; only a delay written as a duration (\"0s\" or Fixed(\"0s\")) may be zero";

/// Where a distribution is used, which decides the forms it may take.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(in crate::model) enum Role {
    /// `fail`: a distribution of positive durations, or `Never`.
    Fail,
    /// A delay (`Repair`, `detect`, `launch`): a distribution or a bare duration; 0 allowed.
    Delay,
}

/// A compiled `fail` field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::model) enum FailLaw {
    /// `Never`.
    Never,
    /// Time to failure.
    After(Dist),
}

impl Context {
    /// A duration, any length (0 allowed).
    pub fn duration(&mut self, text: &Spanned<String>) -> Option<SimTime> {
        match parse_duration(&text.value) {
            Ok(t) => Some(t),
            Err(e) => {
                self.report(Diagnostic::error(text.span, e.to_string()).with_hint(e.hint()));
                None
            }
        }
    }

    /// A duration that must be longer than zero; `what` names it in the message.
    pub fn positive_duration(&mut self, text: &Spanned<String>, what: &str) -> Option<SimTime> {
        let t = self.duration(text)?;
        if t == SimTime::ZERO {
            self.report(
                Diagnostic::error(text.span, format!("{what} must be longer than 0, got `{}`", text.value))
                    .with_hint(ZERO_HINT),
            );
            return None;
        }
        Some(t)
    }

    /// A `fail` field.
    pub fn fail_law(&mut self, expr: &DistExpr) -> Option<FailLaw> {
        match &expr.form {
            DistForm::Spec(DistSpec::Never) => Some(FailLaw::Never),
            _ => self.dist(expr, Role::Fail).map(FailLaw::After),
        }
    }

    /// A distribution in the given role.
    pub fn dist(&mut self, expr: &DistExpr, role: Role) -> Option<Dist> {
        let spec = match &expr.form {
            DistForm::Invalid => return None,
            DistForm::Bare(text) => {
                if role == Role::Fail {
                    self.error(expr.span, "a time to failure must be a distribution, not a bare duration")
                        .hint = Some(format!("write `Fixed({text:?})`, `Exp(mean: {text:?})`, or `Never`"));
                    return None;
                }
                return self.duration(&Spanned::new(expr.span, text.clone())).map(Dist::Fixed);
            }
            DistForm::Spec(spec) => spec,
        };
        let positive = |cx: &mut Context, d: &Spanned<String>| cx.positive_duration(d, "a mean");
        let result = match spec {
            DistSpec::Never => {
                self.error(expr.span, "`Never` is only allowed in `fail`").hint =
                    Some("a delay is a distribution or a duration such as \"5m\"".into());
                return None;
            }
            DistSpec::Exp { mean } => Dist::exp(positive(self, mean)?),
            DistSpec::Weibull { shape, mean } => {
                let mean = positive(self, mean);
                if !(shape.value.is_finite() && shape.value > 0.0) {
                    self.error(
                        shape.span,
                        format!("the Weibull shape must be positive, got {}", shape.value),
                    )
                    .hint = Some("shape < 1 models infant mortality, 1 is exponential, > 1 wear-out".into());
                    return None;
                }
                Dist::weibull(shape.value, mean?)
            }
            DistSpec::LogNormal { mean, sigma } => {
                let mean = positive(self, mean);
                if !(sigma.value.is_finite() && sigma.value > 0.0) {
                    self.error(sigma.span, format!("sigma must be positive, got {}", sigma.value)).hint =
                        Some("sigma is the standard deviation of ln(duration), e.g. 0.5".into());
                    return None;
                }
                Dist::lognormal(mean?, sigma.value)
            }
            DistSpec::Fixed(d) => Ok(Dist::Fixed(match role {
                Role::Fail => self.positive_duration(d, "a time to failure")?,
                Role::Delay => self.duration(d)?,
            })),
            DistSpec::HealthCheck { interval, threshold } => {
                if role == Role::Fail {
                    self.error(expr.span, "a health check is a detection delay, not a time to failure")
                        .hint = Some("use it in `detect:` of `Replace`, a standby group or a profile".into());
                    return None;
                }
                let interval = self.positive_duration(interval, "a health check's interval");
                if threshold.value == 0 || threshold.value > u64::from(u32::MAX) {
                    let message = if threshold.value == 0 {
                        "`threshold` must be at least 1, got 0".to_string()
                    } else {
                        format!("`threshold` {} is too large (at most {})", threshold.value, u32::MAX)
                    };
                    self.error(threshold.span, message).hint = Some(
                        "it counts the consecutive failed checks that mark a target unhealthy, e.g. 3".into(),
                    );
                    return None;
                }
                Ok(Dist::HealthCheck { interval_ms: interval?.as_ms(), threshold: threshold.value as u32 })
            }
            DistSpec::Uniform { lo, hi } => {
                let (lo_t, hi_t) = (self.duration(lo), self.duration(hi));
                let (lo_t, hi_t) = (lo_t?, hi_t?);
                if role == Role::Fail && hi_t == SimTime::ZERO {
                    self.error(hi.span, "a time to failure must be longer than 0").hint =
                        Some("give `hi` a positive duration".into());
                    return None;
                }
                Dist::uniform(lo_t, hi_t)
            }
        };
        result.map_err(|e| self.dist_error(expr.span, e)).ok()
    }

    fn dist_error(&mut self, span: Span, error: DistError) {
        let hint = match error {
            DistError::LoAboveHi { .. } => Some("swap `lo` and `hi`".to_string()),
            DistError::NotFinite => Some("use a shape of 0.1 or more".to_string()),
            _ => None,
        };
        self.report(Diagnostic::error(span, error.to_string()).with_hint_opt(hint));
    }

    /// Objectives written in `spec`, over `base` field by field.
    pub fn objectives(&mut self, spec: Option<&ObjectivesSpec>, base: Objectives) -> Objectives {
        let Some(spec) = spec else { return base };
        let mut fraction = |target: &Option<crate::scenario::Spanned<f64>>| {
            target.as_ref().and_then(|a| {
                if (0.0..=1.0).contains(&a.value) {
                    Some(a.value)
                } else {
                    self.error(
                        a.span,
                        format!("an availability target is a fraction in [0, 1], got {}", a.value),
                    )
                    .hint = Some("write 99.95% as 0.9995".into());
                    None
                }
            })
        };
        let availability = fraction(&spec.availability);
        let availability_unplanned = fraction(&spec.availability_unplanned);
        Objectives {
            availability: availability.or(base.availability),
            availability_unplanned: availability_unplanned.or(base.availability_unplanned),
            rto: spec.rto.as_ref().and_then(|d| self.duration(d)).or(base.rto),
            rpo: spec.rpo.as_ref().and_then(|d| self.duration(d)).or(base.rpo),
            gate: spec.gate.unwrap_or(base.gate),
        }
    }
}
