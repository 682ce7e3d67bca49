//! Analyses of a compiled architecture: minimal cut sets (graph only) and injection sweeps.

pub mod cutsets;
pub mod sweep;
