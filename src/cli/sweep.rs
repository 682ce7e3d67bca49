//! `faultline sweep FILE [--arch NAME] [--order 1|2] [--duration DUR]`: fail every component on
//! purpose and report which failures take the service down.
//!
//! Of the run options (`options.rs`) it honours `--threads`: the injections the dependency graph
//! cannot settle are simulated on that many threads, with the same output on any number. Each
//! injection is one scripted history with random failures off, whose horizon follows from
//! `--duration`, so `--seed`, `--replications` and `--horizon` would change nothing: they are
//! refused with a usage error rather than ignored.

use std::path::PathBuf;
use std::process::ExitCode;

use super::options::RunOptions;
use super::progress::Progress;
use super::run::select;
use super::{Error, output};
use crate::analysis::sweep::{Sweep, sweep_with};
use crate::report::sweep::Sweeps;
use crate::time::{MS_PER_DAY, SimTime, parse_duration};

/// Output formats of `sweep`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Single points of failure, then the injections by impact.
    Table,
    /// `{"architectures": [{"name", "spofs", "injections": [..]}]}`.
    Json,
}
output::format_flag!(Format { Table, Json });

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
    /// The run options; only `--threads` applies.
    #[command(flatten)]
    pub options: RunOptions,
    #[command(flatten)]
    pub shard: super::shard::ShardArgs,
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
    if args.options.any() {
        return Err(Error::at(
            &args.file,
            "sweep runs each injection once, random failures off: --seed, --replications, --horizon, --precision, --max-replications and --method do not apply\n  = hint: --duration sets how long each injection lasts; --threads is the one run option sweep takes",
        ));
    }
    let system = output::compile_file(&args.file)?.system;
    let pool = output::pool(args.options.threads)?;
    let selected = select(&system, &args.archs, &origin)?;
    let duration = args.duration.unwrap_or(SimTime(30 * MS_PER_DAY));
    if let Some((shard, emit)) = args.shard.requested(&origin)? {
        let sweep = crate::shard::SweepOptions {
            order: args.order,
            duration_ms: duration.0,
            archs: args.archs.clone(),
        };
        return super::shard::emit_sweep(&args.file, &system, (sweep, &selected), shard, emit, &pool);
    }
    // Injections the dependency graph settles are not simulated; the bar counts them all.
    let progress = Progress::counting(0, false, "injections");
    let sweeps: Vec<Sweep> = selected
        .iter()
        .map(|&i| {
            let arch = &system.architectures[i];
            pool.install(|| {
                sweep_with(arch, args.order as usize, duration, &|done, total| {
                    progress.set_total(total);
                    progress.update(done, &arch.name);
                })
            })
        })
        .collect();
    progress.finish();
    let report = Sweeps {
        scenario: &system.name,
        architectures: &sweeps,
        duration_s: duration.0 as f64 / 1000.0,
        order: args.order,
        top: args.top,
    };
    output::render(&report, args.format)
}
