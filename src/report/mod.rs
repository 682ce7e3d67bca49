//! Renderers: a [`Report`](crate::metrics::Report) in, bytes out. Nothing here prints.
//!
//! Also what a timeline shows: [`focus`] chooses the incident and traces its replication (the
//! one replication simulated after the run), [`spans`] rebuilds its intervals from the trace.

pub mod csv;
#[cfg(test)]
pub(crate) mod fixture;
pub mod focus;
pub mod format;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod spans;
pub mod table;
pub mod trace;

pub use format::{duration_s, percent};
