//! Renderers: a [`Report`](crate::metrics::Report) in, bytes out. Nothing here prints.

mod format;
pub mod json;
mod layout;
pub mod table;
pub mod trace;

pub use format::{duration_s, percent};
