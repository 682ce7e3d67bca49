//! `faultline trace FILE --arch NAME --replication K`: one replication's timeline.
//!
//! `--from` and `--to` choose the window `[from, to)` of events shown; the totals are the whole
//! replication's. A window that would show nothing is bad input (exit 2, with a hint): `--from`
//! at or after `--to`, `--to 0s`, or `--from` at or after the horizon. A `--to` beyond the
//! horizon is clipped to it: the window then runs to the end of the replication. `--seed` and
//! `--horizon` are `run`'s (`options.rs`), so that a replication of a run made with them can
//! be traced.
//!
//! The simulator keeps only the window's events as it runs and the incidents are counted, not
//! kept, so a day of a 10,000,000-year horizon takes the memory of that day's events.

use std::path::PathBuf;
use std::process::ExitCode;

use super::run::{scenario_id, select_one};
use super::storm::{self, Work};
use super::{Error, output};
use crate::engine::RunParams;
use crate::report::trace::Trace;
use crate::time::{SimTime, parse_duration};

/// Output formats of `trace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text.
    Text,
    /// JSON.
    Json,
}
output::format_flag!(Format { Text, Json });

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
    /// Simulated time of the replication, e.g. 10y (default: the scenario's).
    #[arg(long, value_name = "DUR", value_parser = super::options::positive_duration)]
    pub horizon: Option<SimTime>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn duration(text: &str) -> Result<SimTime, String> {
    parse_duration(text).map_err(|e| format!("{e}; {}", e.hint()))
}

/// The window `[from, to)` to show, `to` clipped to the horizon; the error to print when it
/// would show nothing: `--from` not before `--to`, or at or after the horizon.
fn window(
    from: Option<SimTime>,
    to: Option<SimTime>,
    horizon: SimTime,
) -> Result<(SimTime, SimTime), String> {
    let start = from.unwrap_or(SimTime::ZERO);
    if let Some(to) = to
        && start >= to
    {
        return Err(match from {
            Some(from) if from > to => format!(
                "error: --from {from} is after --to {to}: the window would be empty\n  = hint: --from is where the window starts and --to where it ends: --from {to} --to {from}\n"
            ),
            Some(from) => format!(
                "error: --from {from} is not before --to {to}: the window would be empty\n  = hint: the window is [--from, --to); give --to a later time\n"
            ),
            None => format!(
                "error: --to {to} ends the window where it starts (0s): it would be empty\n  = hint: give --to a time after 0s\n"
            ),
        });
    }
    if start >= horizon {
        return Err(format!(
            "error: --from {start} is not before the horizon ({horizon}): the window would be empty\n  = hint: a replication runs from 0s to {horizon}; choose --from below that\n"
        ));
    }
    Ok((start, to.unwrap_or(horizon).min(horizon)))
}

/// Prints the timeline.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let compiled = output::compile_file(&args.file)?;
    let mut system = compiled.system;
    if let Some(seed) = args.seed {
        system.seed = seed;
    }
    if let Some(horizon) = args.horizon {
        system.horizon = horizon;
    }
    let origin = args.file.display().to_string();
    let window = window(args.from, args.to, system.horizon).map_err(Error::Message)?;
    let arch = select_one(&system, args.arch.as_deref(), &origin)?;
    let index = system.architectures.iter().position(|a| a.name == arch.name).expect("selected");
    storm::announce(&Work { system: &system, archs: &[index], replications: 1, threads: 1 }, &origin);
    let scenario = scenario_id(&system, &args.file);
    let trace = Trace::of(scenario, arch, RunParams::of(&system), args.replication, window);
    output::render(&trace, args.format)
}
