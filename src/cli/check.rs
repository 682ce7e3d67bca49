//! `faultline check FILE... [--baseline DIR] [--update-baseline]`: for cron and CI.
//!
//! Exit 0 when every gated design meets its objectives and none regressed; 1 when one did
//! not, or when a stored baseline has no entry for a gated design (one line per failure); 2
//! for bad input, including a baseline made with another stream version or other run
//! parameters (update it). Baselines live in `DIR/<scenario file stem>/baseline.json`
//! (default `DIR`: `reports`); with none there, only the objectives are checked and a line
//! says so.

use std::path::{Path, PathBuf};

use super::output;
use super::{EXIT_BAD_INPUT, EXIT_FAILED_CHECK, EXIT_OK};
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
    if output::stdout(out.as_bytes()).is_err() {
        return EXIT_BAD_INPUT;
    }
    code
}

/// Ok(passed) or Err(bad input, already reported).
fn check_file(file: &Path, args: &Args, pool: &rayon::ThreadPool, out: &mut String) -> Result<bool, ()> {
    let origin = file.display().to_string();
    let compiled = output::compile_file(file).ok_or(())?;
    let system = compiled.system;
    let params = RunParams::of(&system);
    let mut reports = Vec::new();
    let mut values = Vec::new();
    for arch in &system.architectures {
        let mut downtime = Vec::new();
        let aggregate =
            runner::run_architecture_with(arch, params, system.replications, pool, &|_| {}, &mut |_, o| {
                downtime.push(o.downtime_min_per_year(system.horizon));
            });
        reports.push(aggregate.report(arch, system.horizon));
        values.push(BaselineArchitecture { name: arch.name.clone(), downtime_min_per_year: downtime });
    }
    let now = Baseline {
        stream_version: STREAM_VERSION,
        seed: system.seed,
        replications: system.replications,
        horizon_h: system.horizon.0 as f64 / MS_PER_HOUR as f64,
        architectures: values,
    };
    let stem = file.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
    let path = args.baseline.join(stem).join("baseline.json");
    let mut findings: Vec<Finding> = reports.iter().flat_map(objectives).collect();
    let mut unmatched_designs: Vec<Unmatched> = Vec::new();
    if args.update_baseline {
        let text = serde_json::to_string_pretty(&now).expect("serialises") + "\n";
        let written =
            path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            output::stderr(&format!("{origin}: error: cannot write the baseline {}: {e}\n", path.display()));
            return Err(());
        }
        out.push_str(&format!("{origin}: baseline written to {}\n", path.display()));
    } else {
        match std::fs::read_to_string(&path) {
            Err(_) => out.push_str(&format!(
                "{origin}: no baseline at {} (objectives only; `--update-baseline` stores one)\n",
                path.display()
            )),
            Ok(text) => {
                let before: Baseline = serde_json::from_str(&text).map_err(|e| {
                    output::stderr(&format!("{}: error: not a faultline baseline: {e}\n", path.display()));
                })?;
                if before.stream_version != now.stream_version {
                    output::stderr(&format!(
                        "{}: error: made with random streams v{}, this faultline uses v{}\n  = hint: run `faultline check {origin} --update-baseline` to store a new one\n",
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
                        "{}: error: made with seed {}, {} replications of {} h; the scenario now has seed {}, {} of {} h\n  = hint: run `faultline check {origin} --update-baseline` to store a new one\n",
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
            format!(
                "no entry for this design (renamed or new?); run faultline check {origin} --update-baseline"
            )
        } else {
            format!(
                "entry for a design not in the scenario (renamed or removed?); run faultline check {origin} --update-baseline to drop it"
            )
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
