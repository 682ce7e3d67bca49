//! `faultline sweep FILE [--arch NAME] [--order 1|2] [--duration DUR]`: fail every component on
//! purpose and report which failures take the service down.
//!
//! It takes none of the run options (`options.rs`): each injection is one scripted history with
//! random failures off (no seed, no replications), its horizon follows from `--duration`, and
//! the injections run on one thread.

use std::path::PathBuf;
use std::process::ExitCode;

use super::progress::Progress;
use super::run::select;
use super::{Error, output};
use crate::analysis::sweep::{Sweep, sweep_with};
use crate::report::sweep::{self as swept, Sweeps};
use crate::time::{MS_PER_DAY, SimTime, parse_duration};

/// Output formats of `sweep`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Single points of failure, then the injections by impact.
    Table,
    /// `{"architectures": [{"name", "spofs", "injections": [..]}]}`.
    Json,
}

/// Arguments of `sweep`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (RON).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Sweep only these architectures (repeatable).
    #[arg(long = "arch", value_name = "NAME")]
    pub archs: Vec<String>,
    /// 1: each component alone; 2: also every pair.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=2))]
    pub order: u64,
    /// How long each injected failure lasts (default 30d: only automatic mechanisms end it).
    #[arg(long, value_name = "DUR", value_parser = positive)]
    pub duration: Option<SimTime>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Injections listed per architecture in the table.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

fn positive(text: &str) -> Result<SimTime, String> {
    match parse_duration(text) {
        Ok(SimTime(0)) => Err("the duration must be longer than 0".into()),
        Ok(t) => Ok(t),
        Err(e) => Err(format!("{e}; {}", e.hint())),
    }
}

/// Runs the sweep and prints it.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let origin = args.file.display().to_string();
    let system = output::compile_file(&args.file)?.system;
    let selected = select(&system, &args.archs, &origin)?;
    let duration = args.duration.unwrap_or(SimTime(30 * MS_PER_DAY));
    // Injections the dependency graph settles are not simulated; the bar counts them all.
    let progress = Progress::counting(0, false, "injections");
    let sweeps: Vec<Sweep> = selected
        .iter()
        .map(|&i| {
            let arch = &system.architectures[i];
            sweep_with(arch, args.order as usize, duration, &|done, total| {
                progress.set_total(total);
                progress.update(done, &arch.name);
            })
        })
        .collect();
    progress.finish();
    let report = Sweeps {
        scenario: &system.name,
        architectures: &sweeps,
        duration_s: duration.0 as f64 / 1000.0,
        order: args.order,
    };
    let text = match args.format {
        Format::Json => swept::json(&report).map_err(|e| Error::new(format!("error: {e}")))?,
        Format::Table => swept::table(&report, args.top),
    };
    output::print(&text)
}
