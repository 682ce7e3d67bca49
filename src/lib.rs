//! faultline: a deterministic fault-injection simulator for high-availability and
//! disaster-recovery designs.
//!
//! ```text
//! scenario file (RON) --parse--> scenario::Scenario   (serde types + source spans, no semantics)
//!   --compile+validate--> model::System                (ids not strings, petgraph, compact arrays)
//!   --engine::simulate(arch, replication)--> Outcome   (one replication, pure, no I/O)
//!   --metrics: fold outcomes in replication order--> Report
//!   --report::{table,json,csv,markdown} / chart::{svg,png}--> bytes --cli--> stdout / files
//! ```
//!
//! Each stage depends only on the stages before it. Only [`cli`] prints, writes files or
//! chooses exit codes; everything else returns values or bytes, so that every output can be
//! tested for exact bytes without the filesystem.
#![warn(missing_docs)]

pub mod analysis;
pub mod chart;
pub mod check;
pub mod cli;
pub mod compare;
pub mod diagnostic;
pub mod dist;
pub mod engine;
pub mod metrics;
pub mod model;
pub mod report;
pub mod rng;
pub mod runner;
pub mod scenario;
#[cfg(feature = "testing")]
pub mod testing;
pub mod time;
