//! Analyses of a compiled architecture that need no simulation: minimal cut sets.

pub mod cutsets;
