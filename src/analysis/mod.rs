//! Analyses of a compiled architecture: minimal cut sets (graph only), injection sweeps, and
//! component importance.

pub mod cutsets;
pub mod importance;
pub mod sweep;
