//! The model: what a scenario file may say, how it compiles, the diagnostics for what it may
//! not, and the property-testing API over a compiled model (`faultline::testing`).

#[path = "../harness/mod.rs"]
mod harness;

mod contract;
mod diagnostics;
mod mutations;
mod testing_api;
