//! Distribution literals, and the fields that take either a distribution or a bare duration.
//!
//! A delay field (`detect`, `launch`, a repair time, ...) accepts a distribution such as
//! `Exp(mean: "4h")` or a bare duration string meaning `Fixed`; `fail` accepts a distribution or
//! `Never`. serde's `untagged` would lose ron's error positions, so [`DistExpr`] reads the raw
//! text and dispatches on its first character: a `"` starts a bare duration, anything else is
//! parsed as a [`DistSpec`]. Which forms a field allows is the compiler's business.

use serde::Deserialize;

use super::spanned::{RawText, Spanned};
use crate::diagnostic::Span;

/// A distribution as written. Durations stay strings until the compiler checks them.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename = "distribution", deny_unknown_fields)]
pub enum DistSpec {
    /// Exponential with the given mean.
    Exp {
        /// Mean, a duration.
        mean: Spanned<String>,
    },
    /// Weibull with the given shape and mean (the scale is derived).
    Weibull {
        /// Shape k > 0 (k < 1 infant mortality, k > 1 wear-out).
        shape: Spanned<f64>,
        /// Mean, a duration.
        mean: Spanned<String>,
    },
    /// Log-normal with the given mean and the sigma of the underlying normal.
    LogNormal {
        /// Mean, a duration.
        mean: Spanned<String>,
        /// Standard deviation of ln(X), > 0.
        sigma: Spanned<f64>,
    },
    /// Always the same duration.
    Fixed(Spanned<String>),
    /// Uniform between two durations.
    Uniform {
        /// Lower bound, a duration.
        lo: Spanned<String>,
        /// Upper bound, a duration, >= `lo`.
        hi: Spanned<String>,
    },
    /// Detection by a periodic health check: `threshold` consecutive failed checks every
    /// `interval`; the failure lands at a uniformly random phase of the cycle (a delay only).
    HealthCheck {
        /// Time between checks, a positive duration.
        interval: Spanned<String>,
        /// Consecutive failed checks that declare the target unhealthy, >= 1.
        threshold: Spanned<u64>,
    },
    /// No failure ever (only in `fail`).
    Never,
}

/// What a distribution-valued field holds.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum DistForm {
    /// A bare duration string, meaning `Fixed` in delay fields.
    Bare(String),
    /// A distribution literal (or `Never`).
    Spec(DistSpec),
    /// Text that did not parse; the error is already recorded.
    #[default]
    Invalid,
}

/// A distribution-valued field with its span.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DistExpr {
    /// Where the value was written.
    pub span: Span,
    /// What was written.
    pub form: DistForm,
}

impl<'de> Deserialize<'de> for DistExpr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawText::read(deserializer)?;
        let form = if raw.text.starts_with('"') {
            raw.parse::<String>().map(DistForm::Bare)
        } else {
            raw.parse::<DistSpec>().map(DistForm::Spec)
        };
        Ok(DistExpr { span: raw.span, form: form.unwrap_or_default() })
    }
}
