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
//! baseline is the exact command, with `--baseline DIR` when it is not the default.

use std::path::{Path, PathBuf};

use super::progress::Progress;
use super::storm::{self, Work};
use super::{EXIT_BAD_INPUT, EXIT_FAILED_CHECK, EXIT_OK};
use super::{atomic, baseline, folder, output};
use crate::check::{Baseline, BaselineArchitecture, Finding, Unmatched, drift, objectives, unmatched};
use crate::engine::RunParams;
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
    /// Worker threads (default: one per core). Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Checks every file; the worst outcome decides the exit code.
pub fn run(args: &Args) -> u8 {
    let hint = "rename one of the files, or check them in two commands with different --baseline folders";
    if let Err(e) = folder::distinct(&args.files, &args.baseline, hint) {
        output::stderr(&format!("error: {e}\n"));
        return EXIT_BAD_INPUT;
    }
    let Some(pool) = output::pool(args.threads) else { return EXIT_BAD_INPUT };
    let mut code = EXIT_OK;
    let mut out = String::new();
    for file in &args.files {
        match check_file(file, args, &pool, &mut out) {
            Ok(true) => {}
            Ok(false) => code = code.max(EXIT_FAILED_CHECK),
            Err(()) => code = EXIT_BAD_INPUT,
        }
    }
    code.max(output::print(&out))
}

/// The command that stores a new baseline for `origin`, with `--baseline` unless it is the
/// default.
fn update_command(origin: &str, args: &Args) -> String {
    let dir = if args.baseline == Path::new("reports") {
        String::new()
    } else {
        format!(" --baseline {}", args.baseline.display())
    };
    format!("faultline check {origin}{dir} --update-baseline")
}

/// Ok(passed) or Err(bad input, already reported).
fn check_file(file: &Path, args: &Args, pool: &rayon::ThreadPool, out: &mut String) -> Result<bool, ()> {
    let origin = file.display().to_string();
    let compiled = output::compile_file(file).ok_or(())?;
    let system = compiled.system;
    let params = RunParams::of(&system);
    let archs: Vec<usize> = (0..system.architectures.len()).collect();
    let threads = pool.current_num_threads();
    storm::announce(
        &Work { system: &system, archs: &archs, replications: system.replications, passes: 1, threads },
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
    let mut findings: Vec<Finding> = reports.iter().flat_map(objectives).collect();
    let mut unmatched_designs: Vec<Unmatched> = Vec::new();
    if args.update_baseline {
        let text = serde_json::to_string_pretty(&now).expect("serialises") + "\n";
        if let Err(e) = write_baseline(&path, &text) {
            output::stderr(&format!("{origin}: error: {e}\n"));
            return Err(());
        }
        out.push_str(&format!("{origin}: baseline written to {}\n", path.display()));
    } else {
        match baseline::read(&path, &update)? {
            None => out.push_str(&format!(
                "{origin}: no baseline at {} (objectives only; `--update-baseline` stores one)\n",
                path.display()
            )),
            Some(before) => {
                if before.stream_version != now.stream_version {
                    output::stderr(&format!(
                        "{}: error: made with random streams v{}, this faultline uses v{}\n  = hint: run `{update}` to store a new one\n",
                        path.display(),
                        before.stream_version,
                        now.stream_version
                    ));
                    return Err(());
                }
                if (before.seed, before.replications, before.horizon_h)
                    != (now.seed, now.replications, now.horizon_h)
                {
                    output::stderr(&format!(
                        "{}: error: made with seed {}, {} replications of {} h; the scenario now has seed {}, {} of {} h\n  = hint: run `{update}` to store a new one\n",
                        path.display(),
                        before.seed,
                        before.replications,
                        before.horizon_h,
                        now.seed,
                        now.replications,
                        now.horizon_h
                    ));
                    return Err(());
                }
                for (arch, report) in now.architectures.iter().zip(&reports) {
                    if let Some(b) = before.architectures.iter().find(|b| b.name == arch.name)
                        && let Some(f) = drift(
                            &arch.name,
                            report.objectives.gate,
                            &arch.downtime_min_per_year,
                            &b.downtime_min_per_year,
                        )
                    {
                        findings.push(f);
                    }
                }
                if now.replications < 2 {
                    out.push_str(&format!(
                        "{origin}: note: baseline: 1 replication cannot show a regression (the paired test needs 2 or more)\n"
                    ));
                }
                let designs = reports.iter().map(|r| (r.name.as_str(), r.objectives.gate));
                unmatched_designs = unmatched(designs, &before);
            }
        }
    }
    let mut passed = true;
    for f in &findings {
        passed &= !f.fails;
        let status = if f.fails { "FAIL" } else { "note" };
        out.push_str(&format!(
            "{origin}: {status}: {}: {} {}: expected {}, got {}{}\n",
            f.architecture,
            f.metric,
            f.kind,
            f.expected,
            f.got,
            if f.fails || f.kind == "baseline stale" { "" } else { " (gate off)" }
        ));
    }
    for u in &unmatched_designs {
        passed &= !u.fails;
        let (status, gate_off) = match (u.fails, u.in_scenario) {
            (true, _) => ("FAIL", ""),
            (false, true) => ("note", " (gate off)"),
            (false, false) => ("note", ""),
        };
        let what = if u.in_scenario {
            format!("no entry for this design (renamed or new?); run {update}")
        } else {
            format!("entry for a design not in the scenario (renamed or removed?); run {update} to drop it")
        };
        out.push_str(&format!("{origin}: {status}: {}: baseline: {what}{gate_off}\n", u.architecture));
    }
    if passed {
        out.push_str(&format!(
            "{origin}: ok ({} architecture{})\n",
            reports.len(),
            if reports.len() == 1 { "" } else { "s" }
        ));
    }
    Ok(passed)
}

/// Replaces the baseline at `path` whole; its folder, created if missing, must not be a link.
fn write_baseline(path: &Path, text: &str) -> Result<(), String> {
    let dir = path.parent().expect("DIR/<folder>/baseline.json");
    atomic::refuse_link(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    atomic::write(path, text.as_bytes()).map_err(|e| format!("cannot write the baseline: {e}"))
}
