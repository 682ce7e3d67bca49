//! `faultline trace FILE --arch NAME --replication K`: one replication's timeline.

use std::path::PathBuf;

use super::EXIT_BAD_INPUT;
use super::output;
use super::run::{scenario_id, select_one};
use crate::engine::{Prepared, Recorder, RunParams, Simulator};
use crate::report::trace::{Trace, render_json, render_text};
use crate::rng::STREAM_VERSION;
use crate::time::{SimTime, parse_duration};

/// Output formats of `trace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text.
    Text,
    /// JSON.
    Json,
}

/// Arguments of `trace`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (RON).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Architecture to trace; may be left out when the file has only one.
    #[arg(long, value_name = "NAME")]
    pub arch: Option<String>,
    /// Replication to trace (the same numbering as `run`: 0, 1, ...).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub replication: u64,
    /// Show events from this time on, e.g. 100d.
    #[arg(long, value_name = "T", value_parser = duration)]
    pub from: Option<SimTime>,
    /// Show events before this time.
    #[arg(long, value_name = "T", value_parser = duration)]
    pub to: Option<SimTime>,
    /// Master seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn duration(text: &str) -> Result<SimTime, String> {
    parse_duration(text).map_err(|e| format!("{e}; {}", e.hint()))
}

/// Prints the timeline.
pub fn run(args: &Args) -> u8 {
    let Some(compiled) = output::compile_file(&args.file) else { return EXIT_BAD_INPUT };
    let mut system = compiled.system;
    if let Some(seed) = args.seed {
        system.seed = seed;
    }
    let origin = args.file.display().to_string();
    let Some(arch) = select_one(&system, args.arch.as_deref(), &origin) else { return EXIT_BAD_INPUT };
    let params = RunParams::of(&system);
    let prepared = Prepared::new(arch, params);
    let mut sim = Simulator::new(&prepared);
    sim.set_tracing(true);
    let mut recorder = Recorder::default();
    let summary = sim.run(args.replication, &mut recorder);
    let trace = Trace {
        scenario: scenario_id(&system, &args.file),
        seed: system.seed,
        stream_version: STREAM_VERSION,
        arch,
        replication: args.replication,
        horizon: system.horizon,
        window: (args.from.unwrap_or(SimTime::ZERO), args.to.unwrap_or(system.horizon).min(system.horizon)),
        events: sim.take_trace(),
        incidents: recorder.incidents.len() as u64,
        up: summary.up,
    };
    let text = match args.format {
        Format::Text => render_text(&trace),
        Format::Json => render_json(&trace),
    };
    output::print(&text)
}
