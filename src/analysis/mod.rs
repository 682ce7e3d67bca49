//! Analyses of a compiled architecture: minimal cut sets (graph only), injection sweeps,
//! component importance, and the work a run of it will be.

pub mod cutsets;
#[cfg(test)]
mod generated;
pub mod importance;
mod single;
pub mod sweep;
pub mod workload;
