//! `faultline compare FILE [--baseline NAME]`: each architecture's downtime against a
//! baseline, paired by replication. The outputs are `report::compare`'s.

use std::process::ExitCode;

use super::progress::Progress;
use super::run::{self, apply_overrides, header, select};
use super::storm::{self, Work};
use super::{Error, output};
use crate::compare::compare;
use crate::diagnostic::did_you_mean;
use crate::metrics::ArchitectureReport;
use crate::report::compare::{Comparisons, RareDowntime, Recovery};
use crate::runner;

/// Arguments of `compare`: `run`'s, and the baseline.
#[derive(Debug, clap::Args)]
#[group(id = "compare-args")]
pub struct Args {
    /// The architecture the others are compared with (default: the first).
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
    #[command(flatten)]
    pub run: run::Args,
}

/// Runs every selected architecture and prints the comparison.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let r = &args.run;
    let origin = r.file.display().to_string();
    // As `run`: with --horizon, the file's "injection after the horizon" warnings are checked
    // again against it.
    let compiled = output::compile_file_with(&r.file, r.options.horizon.is_none())?;
    let mut system = compiled.system;
    let overrides = apply_overrides(&mut system, &r.options, &r.archs);
    if r.options.horizon.is_some() {
        run::warn_late_injections(&system, &origin);
    }
    let selected = select(&system, &r.archs, &origin)?;
    let names: Vec<&str> = selected.iter().map(|&i| system.architectures[i].name.as_str()).collect();
    let baseline = match &args.baseline {
        None => 0,
        Some(b) => match names.iter().position(|n| n == b) {
            Some(k) => k,
            None => {
                let hint = did_you_mean(b, names.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("architectures compared: {}", names.join(", ")));
                return Err(Error::new(format!(
                    "{origin}: error: no architecture named `{b}` to compare with\n  = hint: {hint}\n"
                )));
            }
        },
    };
    if names.len() < 2 {
        return Err(Error::new(format!("{origin}: error: comparing needs at least two architectures\n")));
    }
    let pool = output::pool(r.options.threads)?;
    let threads = pool.current_num_threads();
    let work = Work { system: &system, archs: &selected, replications: system.replications, threads };
    storm::announce(&work, &origin);
    // With a precision the bar runs to the most replications a design may take.
    let most = runner::Plan::of(&system).most();
    let progress = Progress::new(most * selected.len() as u64, r.quiet);
    // Per architecture: its report, and per replication its downtime and data-loss events
    // per year (for the paired differences).
    let runs: Vec<(ArchitectureReport, Vec<f64>, Vec<f64>)> = selected
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let (mut downtime, mut data_loss) = (Vec::new(), Vec::new());
            let arch = &system.architectures[i];
            let run = runner::estimate(
                arch,
                &system,
                &pool,
                &|done| progress.update(most * k as u64 + done, &arch.name),
                &mut |_, o| {
                    downtime.push(o.downtime_min_per_year(system.horizon));
                    data_loss.push(o.data_loss_events_per_year(system.horizon));
                },
            );
            (runner::report_estimated(arch, &run, &system), downtime, data_loss)
        })
        .collect();
    progress.finish();
    let (_, base_downtime, base_loss) = &runs[baseline];
    // With a precision, designs may stop at different counts: a difference pairs the
    // replications both ran (replication r is the same in every design).
    let paired = |a: &[f64], b: &[f64]| {
        let n = a.len().min(b.len());
        (a[..n].to_vec(), b[..n].to_vec())
    };
    let report = Comparisons {
        header: header(&system, &r.file, overrides),
        metric: "downtime_min_per_year",
        baseline: names[baseline].to_string(),
        comparisons: runs
            .iter()
            .map(|(a, downtime, _)| {
                let (now, before) = paired(downtime, base_downtime);
                compare(&a.name, &now, &before)
            })
            .collect(),
        recovery: runs
            .iter()
            .map(|(a, _, loss)| {
                let (now, before) = paired(loss, base_loss);
                Recovery::of(a, &now, &before, runs[baseline].0.cost_per_year)
            })
            .collect(),
        rare: runs.iter().filter_map(|(a, _, _)| RareDowntime::of(a)).collect(),
    };
    output::render(&report, r.format)
}
