//! faultline: a deterministic fault-injection simulator for high-availability and
//! disaster-recovery designs.
//!
//! ```text
//! scenario file (RON) --scenario::parse_str--> scenario::Scenario  (serde types + spans, no semantics)
//!   --model::compile--> model::System        (ids not strings, petgraph, compact arrays)
//!   --engine::Simulator::run(replication, observer)--> engine::Summary + events to the observer
//!                                              (one replication, pure, no I/O)
//!   --metrics::simulate--> metrics::Outcome   (what one replication contributes)
//!   --runner::run_architecture--> metrics::Aggregate   (outcomes folded in replication order)
//!   --runner::report--> metrics::ArchitectureReport    (Aggregate::report's statistics and
//!                                              analysis::importance::ranking's importance)
//! model::Architecture --rare::estimate--> rare::RareEstimate  (regenerative cycles under
//!                                              importance sampling, for designs that fail rarely;
//!                                              runner::estimate chooses, runner::report_estimated
//!                                              puts it into the report)
//!   --report::{table,markdown,csv,json}::render, chart::*--> bytes --cli--> stdout / files
//! ```
//!
//! Each stage uses only the stages listed beside it below, all of them earlier ones: no module
//! reaches back up the pipeline. `analysis` holds what is computed from a model's structure
//! (cut sets, importance, sweeps, the work a run will be); `compare` and `check` judge reports
//! against each other and against objectives. Only [`cli`] prints, writes files or chooses exit
//! codes; everything else returns values or bytes, so that every output can be tested for exact
//! bytes without the filesystem. A test (`module_edges`, in `src/layers.rs`) reads this table
//! and fails on any `crate::` path in `src/<module>` that it does not allow; `cargo test --lib
//! module_edges -- --nocapture` prints the edges found.
//!
//! ```text
//! module      may use
//! diagnostic  -
//! time        -
//! rng         -
//! dist        time
//! scenario    diagnostic
//! model       scenario diagnostic dist time
//! engine      model dist rng time
//! metrics     engine model dist rng time
//! analysis    metrics engine model dist rng time
//! rare        metrics model dist rng time
//! shard       analysis metrics time
//! runner      analysis metrics engine model rare time
//! compare     metrics
//! check       compare metrics
//! report      check compare runner analysis metrics engine model rng time
//! chart       report metrics time
//! testing     engine model scenario diagnostic time
//! cli         analysis chart check compare diagnostic engine metrics model report rng runner scenario shard time
//! ```
#![warn(missing_docs)]

pub mod analysis;
pub mod chart;
pub mod check;
pub mod cli;
pub mod compare;
pub mod diagnostic;
pub mod dist;
pub mod engine;
#[cfg(test)]
mod layers;
pub mod metrics;
pub mod model;
pub mod rare;
pub mod report;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod shard;
#[cfg(feature = "testing")]
pub mod testing;
pub mod time;
