//! The simulation: scripted runs with exact answers, closed-form checks with tolerances from
//! confidence intervals, properties over generated schedules, traces, and determinism (same
//! bytes at any thread count, common random numbers).

#[path = "../harness/mod.rs"]
mod harness;

mod bundled_scenarios;
mod capacity;
mod closed_form;
mod cost;
mod data_closed_form;
mod data_properties;
mod data_scripted;
mod derived;
mod determinism;
mod ha_closed_form;
mod ha_scripted;
mod maintenance;
mod properties;
mod rare_vs_engine;
mod scripted;
mod trace;
