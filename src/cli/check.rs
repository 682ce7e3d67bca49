//! `faultline check FILE... [--baseline DIR] [--update-baseline]`: for cron and CI.
//!
//! Exit 0 when every gated design meets its objectives and none regressed; 1 when one did
//! not, or when a stored baseline has no entry for a gated design (one line per failure); 2
//! for bad input, including a baseline made with another stream version or other run
//! parameters (update it), or one that cannot be read or trusted (`baseline::read`).
//! Baselines live in `DIR/<folder>/baseline.json` (default `DIR`: `reports`; the folder is named
//! after the scenario file as `folder.rs` says, and two files with one folder are refused
//! before anything runs); with no file there, only the objectives are checked and a line says
//! so. `--update-baseline` replaces the file whole (`atomic.rs`). Every hint to update a
//! baseline is the exact command, with `--baseline DIR` when it is not the default and the
//! run options given. Each file's lines start with what was run (`FILE: 300 replications x 2y,
//! seed 5, stream v2`): `--seed`, `--replications` and `--horizon` replace the scenario's
//! values as in `run` (`options.rs`), and a baseline is compared only with a run made alike.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::options::RunOptions;
use super::progress::Progress;
use super::run::{header, warn_late_injections};
use super::storm::{self, Work};
use super::{Error, atomic, baseline, error, folder, output};
use crate::check::{Baseline, BaselineArchitecture, evaluate};
use crate::engine::RunParams;
use crate::report;
use crate::report::check::Findings;
use crate::report::format::run_line;
use crate::rng::STREAM_VERSION;
use crate::runner;
use crate::time::MS_PER_HOUR;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files (RON).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Directory of the baselines, one sub-directory per scenario file.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub baseline: PathBuf,
    /// Store this run as the new baseline instead of comparing with the old one.
    #[arg(long)]
    pub update_baseline: bool,
    #[command(flatten)]
    pub options: RunOptions,
}

/// Checks every file; the worst outcome decides the exit code. A file that cannot be checked
/// is reported at once and the others are still checked.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let hint = "rename one of the files, or check them in two commands with different --baseline folders";
    folder::distinct(&args.files, &args.baseline, hint).map_err(|e| Error::new(format!("error: {e}")))?;
    let pool = output::pool(args.options.threads)?;
    let (mut failed, mut bad) = (false, false);
    let mut out = String::new();
    for file in &args.files {
        match check_file(file, args, &pool, &mut out) {
            Ok(passed) => failed |= !passed,
            Err(e) => {
                error::print(&e);
                bad = true;
            }
        }
    }
    output::print(&out)?;
    match (bad, failed) {
        (true, _) => Err(Error::Reported),
        (false, true) => Ok(error::failed_check()),
        (false, false) => Ok(ExitCode::SUCCESS),
    }
}

/// The command that stores a new baseline for `origin`, with `--baseline` unless it is the
/// default, and the run options given.
fn update_command(origin: &str, args: &Args) -> String {
    let dir = if args.baseline == Path::new("reports") {
        String::new()
    } else {
        format!(" --baseline {}", args.baseline.display())
    };
    format!("faultline check {origin}{dir}{} --update-baseline", args.options.args())
}

/// Runs `file`, checks it and appends its lines to `out`: whether it passed.
fn check_file(file: &Path, args: &Args, pool: &rayon::ThreadPool, out: &mut String) -> Result<bool, Error> {
    let origin = file.display().to_string();
    // As `run`: with --horizon, the "injection after the horizon" warnings are checked again.
    let mut system = output::compile_file_with(file, args.options.horizon.is_none())?.system;
    if args.options.precision.is_some()
        || args.options.max_replications.is_some()
        || args.options.method.is_some()
    {
        return Err(Error::new(
            "error: check does not take --precision, --max-replications or --method
  = hint: a baseline pairs the same replications run after run, so check runs a fixed count of crude replications: use --replications
",
        ));
    }
    // The same reason: a scenario's `precision` is for `run`, `report` and `compare`; check
    // runs its `replications`.
    system.precision = None;
    let overrides = args.options.apply(&mut system);
    if args.options.horizon.is_some() {
        warn_late_injections(&system, &origin);
    }
    out.push_str(&format!("{origin}: {}\n", run_line(&header(&system, file, overrides))));
    let params = RunParams::of(&system);
    let archs: Vec<usize> = (0..system.architectures.len()).collect();
    let threads = pool.current_num_threads();
    storm::announce(
        &Work { system: &system, archs: &archs, replications: system.replications, threads },
        &origin,
    );
    let progress = Progress::new(system.replications * archs.len() as u64, false);
    let mut reports = Vec::new();
    let mut values = Vec::new();
    for (k, arch) in system.architectures.iter().enumerate() {
        let mut downtime = Vec::new();
        let before = system.replications * k as u64;
        let tick = |done| progress.update(before + done, &arch.name);
        let aggregate =
            runner::run_architecture_with(arch, params, system.replications, pool, &tick, &mut |_, o| {
                downtime.push(o.downtime_min_per_year(system.horizon));
            });
        reports.push(runner::report(arch, &aggregate, system.horizon));
        values.push(BaselineArchitecture { name: arch.name.clone(), downtime_min_per_year: downtime });
    }
    progress.finish();
    let now = Baseline {
        stream_version: STREAM_VERSION,
        seed: system.seed,
        replications: system.replications,
        horizon_h: system.horizon.0 as f64 / MS_PER_HOUR as f64,
        architectures: values,
    };
    let path = args.baseline.join(folder::of(file)).join("baseline.json");
    let update = update_command(&origin, args);
    let before = if args.update_baseline {
        let text = serde_json::to_string_pretty(&now).expect("serialises") + "\n";
        write_baseline(&path, &text).map_err(|e| Error::at(file, e))?;
        out.push_str(&format!("{origin}: baseline written to {}\n", path.display()));
        None
    } else {
        let before = baseline::read(&path, &update)?;
        if before.is_none() {
            out.push_str(&format!(
                "{origin}: no baseline at {} (objectives only; `--update-baseline` stores one)\n",
                path.display()
            ));
        }
        before
    };
    let outcome = evaluate(&reports, &now, before.as_ref()).map_err(|e| {
        let given = args.options.any();
        let e = e.given(given);
        // Options that changed the run: comparing without them is usually what was meant.
        let without = if given && matches!(e, crate::check::Incompatible::Params { .. }) {
            "leave out --seed, --replications and --horizon to compare with it, or "
        } else {
            ""
        };
        Error::at(&path, format!("{e}\n  = hint: {without}run `{update}` to store a new one"))
    })?;
    let found =
        Findings { origin: &origin, update: &update, outcome: &outcome, architectures: reports.len() };
    out.push_str(&report::check::lines(&found));
    Ok(outcome.passed())
}

/// Replaces the baseline at `path` whole; its folder, created if missing, must not be a link.
fn write_baseline(path: &Path, text: &str) -> Result<(), String> {
    let dir = path.parent().expect("DIR/<folder>/baseline.json");
    atomic::refuse_link(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    atomic::write(path, text.as_bytes()).map_err(|e| format!("cannot write the baseline: {e}"))
}
