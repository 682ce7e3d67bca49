//! Renderers: a [`Report`](crate::metrics::Report) in, bytes out. Nothing here prints.

pub mod csv;
#[cfg(test)]
pub(crate) mod fixture;
pub mod format;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod table;
pub mod trace;

pub use format::{duration_s, percent};
