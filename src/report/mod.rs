//! Renderers: what a command found in, the bytes it prints out. Nothing here prints.
//!
//! Every output of every command is rendered here, in one shape ([`render::Render`]): the
//! command's result (a [`Report`](crate::metrics::Report) for `run` and `report`,
//! `compare::Comparisons`, `sweep::Sweeps`, `cutsets::CutSets`, `check::Findings`,
//! `trace::Trace`) and a [`render::Format`] give the bytes to print, or an error: a format the
//! result has not, or a NaN or infinity anywhere in a JSON (`finite`, through `json::pretty`).
//! The report's Markdown sections (the single points of failure among them) are functions of
//! the values they show, returning their text.
//! One module formats numbers (`format`), so that a value reads alike in the table, Markdown,
//! `compare`, `sweep` and `check`. The renderers are tested on values, with snapshots.
//!
//! Also what a timeline shows: [`focus`] chooses the incident and traces its replication (the
//! one replication simulated after the run), [`spans`] rebuilds its intervals from the trace.

pub mod check;
pub mod compare;
pub mod cost;
pub mod csv;
pub mod cutsets;
pub mod degraded;
pub mod finite;
#[cfg(test)]
pub(crate) mod fixture;
pub mod focus;
pub mod format;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod planned;
pub mod render;
pub mod spans;
pub mod spof;
pub mod sweep;
pub mod table;
pub mod trace;

pub use format::{duration_s, percent};
