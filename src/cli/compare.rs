//! `faultline compare FILE [--baseline NAME]`: each architecture's downtime against a
//! baseline, paired by replication.

use std::fmt::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use super::progress::Progress;
use super::run::{self, Format, apply_overrides, header, select};
use super::storm::{self, Work};
use super::{Error, output};
use crate::compare::{Comparison, compare};
use crate::diagnostic::did_you_mean;
use crate::engine::RunParams;
use crate::metrics::Header;
use crate::report::layout::{Align, columns};
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

#[derive(Serialize)]
struct JsonComparison<'a> {
    #[serde(flatten)]
    header: Header,
    metric: &'static str,
    baseline: &'a str,
    comparisons: &'a [Comparison],
}

/// Runs every selected architecture and prints the comparison.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let r = &args.run;
    let origin = r.file.display().to_string();
    // As `run`: with --horizon, the file's "injection after the horizon" warnings are checked
    // again against it.
    let compiled = output::compile_file_with(&r.file, r.horizon.is_none())?;
    let mut system = compiled.system;
    let overrides = apply_overrides(&mut system, r);
    if r.horizon.is_some() {
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
    let pool = output::pool(r.threads)?;
    let threads = pool.current_num_threads();
    let work =
        Work { system: &system, archs: &selected, replications: system.replications, passes: 1, threads };
    storm::announce(&work, &origin);
    let params = RunParams::of(&system);
    let progress = Progress::new(system.replications * selected.len() as u64, r.quiet);
    let per_replication: Vec<Vec<f64>> = selected
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let mut downtime = Vec::new();
            let name = &system.architectures[i].name;
            runner::run_architecture_with(
                &system.architectures[i],
                params,
                system.replications,
                &pool,
                &|done| progress.update(system.replications * k as u64 + done, name),
                &mut |_, o| {
                    downtime.push(o.downtime_min_per_year(system.horizon));
                },
            );
            downtime
        })
        .collect();
    progress.finish();
    let comparisons: Vec<Comparison> =
        names.iter().zip(&per_replication).map(|(n, v)| compare(n, v, &per_replication[baseline])).collect();
    let text = match r.format {
        Format::Table | Format::Markdown => table(&system.name, names[baseline], &comparisons, baseline),
        Format::Csv => csv_rows(&comparisons, baseline),
        Format::Json => {
            let header = header(&system, &r.file, overrides);
            let json = JsonComparison {
                header,
                metric: "downtime_min_per_year",
                baseline: names[baseline],
                comparisons: &comparisons,
            };
            if comparisons.iter().any(|c| {
                !(c.difference.is_finite()
                    && c.ci95_paired.iter().chain(&c.ci95_unpaired).all(|x| x.is_finite()))
            }) {
                return Err(Error::new("error: internal error: a comparison is not a finite number\n"));
            }
            serde_json::to_string_pretty(&json).expect("serialises") + "\n"
        }
    };
    output::print(&text)
}

fn csv_rows(comparisons: &[Comparison], base: usize) -> String {
    let mut out = String::from(
        "architecture,downtime_min_per_year,difference,ci95_paired_low,ci95_paired_high,ci95_unpaired_low,ci95_unpaired_high,verdict\r\n",
    );
    for (k, c) in comparisons.iter().enumerate() {
        let name = if c.name.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", c.name.replace('"', "\"\""))
        } else {
            c.name.clone()
        };
        let verdict = if k == base { "baseline" } else { c.verdict };
        let _ = write!(
            out,
            "{name},{},{},{},{},{},{},{verdict}\r\n",
            c.downtime_min_per_year,
            c.difference,
            c.ci95_paired[0],
            c.ci95_paired[1],
            c.ci95_unpaired[0],
            c.ci95_unpaired[1]
        );
    }
    out
}

fn table(scenario: &str, baseline: &str, comparisons: &[Comparison], base: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{scenario}: downtime against `{baseline}`, paired by replication (95% CI)\n");
    let mut rows = vec![
        ["architecture", "downtime/yr", "difference", "paired 95% CI", "unpaired 95% CI", "verdict"]
            .map(String::from)
            .to_vec(),
    ];
    let ci = |c: [f64; 2]| format!("[{:+.1}, {:+.1}]", c[0], c[1]);
    for (k, c) in comparisons.iter().enumerate() {
        let mut row = vec![c.name.clone(), format!("{:.1} min", c.downtime_min_per_year)];
        if k == base {
            row.extend(["(baseline)".to_string(), String::new(), String::new(), String::new()]);
        } else {
            row.extend([
                format!("{:+.1} min", c.difference),
                ci(c.ci95_paired),
                ci(c.ci95_unpaired),
                c.verdict.to_string(),
            ]);
        }
        rows.push(row);
    }
    let align = [Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Left];
    out.push_str(&columns(&rows, &align, ""));
    out.push_str("\nnegative differences are less downtime; the verdict follows the paired CI\n");
    out
}
