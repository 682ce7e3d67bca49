//! Injection targets: a component name, or a correlated set of components.
//!
//! `target: "use1-az1"` names one component; `InAz(az: "use1-az1", kind: Instance)`,
//! `InRegion(region: "use1", kind: Database)` (kind optional: every component in it) and
//! `Each(["a", "b"])` name sets. As with [`super::DistExpr`], the raw text is read first and a
//! leading `"` decides between the two forms, so ron's error positions survive.

use serde::Deserialize;

use super::schema::Kind;
use super::spanned::{RawText, Spanned};
use crate::diagnostic::Span;

/// A correlated set of injection targets.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename = "target", deny_unknown_fields)]
pub enum TargetSpec {
    /// Every component in an AZ (reaching it through `All` edges only), optionally of one kind.
    InAz {
        /// The AZ.
        az: Spanned<String>,
        /// Only components of this kind.
        kind: Option<Kind>,
    },
    /// Every component in a region (reaching it through `All` edges only), optionally of one kind.
    InRegion {
        /// The region.
        region: Spanned<String>,
        /// Only components of this kind.
        kind: Option<Kind>,
    },
    /// Each listed component.
    Each(Vec<Spanned<String>>),
}

/// What an injection's `target` holds.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum TargetForm {
    /// One component by name.
    Name(String),
    /// A set.
    Set(TargetSpec),
    /// Text that did not parse; the error is already recorded.
    #[default]
    Invalid,
}

/// An injection target with its span.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TargetExpr {
    /// Where it was written.
    pub span: Span,
    /// What was written.
    pub form: TargetForm,
}

impl TargetExpr {
    /// The name, when the target is a single component.
    pub fn name(&self) -> Option<Spanned<String>> {
        match &self.form {
            TargetForm::Name(n) => Some(Spanned::new(self.span, n.clone())),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for TargetExpr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawText::read(deserializer)?;
        let form = if raw.text.starts_with('"') {
            raw.parse::<String>().map(TargetForm::Name)
        } else {
            raw.parse::<TargetSpec>().map(TargetForm::Set)
        };
        Ok(TargetExpr { span: raw.span, form: form.unwrap_or_default() })
    }
}
