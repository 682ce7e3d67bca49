//! `faultline report SCENARIO [--out DIR]`: the design-review bundle.
//!
//! Writes `report.md`, `result.json` (the `run --format json` bytes, also usable as a
//! baseline input of `chart`) and `charts/` (availability, RTO distribution, RPO distribution
//! when some dataset lost data, downtime by problem per architecture, and a timeline of
//! replication 0 around its first incident per architecture, each as SVG and PNG) into `DIR` (default `reports/<scenario file stem>/`).
//! Everything is deterministic: a rerun, on any number of threads, writes the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::output;
use super::run::header;
use super::{EXIT_BAD_INPUT, EXIT_OK};
use crate::chart::{self, Format as ChartFormat, ReportData};
use crate::engine::{Prepared, Recorder, RunParams, Simulator};
use crate::metrics::Report;
use crate::report::trace::Trace;
use crate::report::{json, markdown};
use crate::rng::STREAM_VERSION;
use crate::runner;
use crate::time::{MS_PER_DAY, SimTime};

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (RON).
    #[arg(value_name = "SCENARIO")]
    pub file: PathBuf,
    /// Output directory (default: reports/<scenario file stem>/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads (default: one per core). The files are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// A file name made of the safe characters of `name`.
pub(super) fn slug(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect()
}

/// Runs the scenario and writes the bundle.
pub fn run(args: &Args) -> u8 {
    match write_report(args) {
        Ok(dir) => {
            let _ = output::stdout(format!("report written to {}\n", dir.display()).as_bytes());
            EXIT_OK
        }
        Err(message) => {
            if !message.is_empty() {
                output::stderr(&format!("error: {message}\n"));
            }
            EXIT_BAD_INPUT
        }
    }
}

/// Compiles and runs `file` like `run` with no overrides; `Err("")` when the file's errors
/// were already printed.
pub(super) fn simulate_report(
    file: &Path,
    threads: Option<usize>,
) -> Result<(crate::model::System, Report, RunParams), String> {
    let system = output::compile_file(file).ok_or_else(String::new)?.system;
    let pool = output::pool(threads).ok_or_else(String::new)?;
    let architectures = runner::report_all(&system, &pool);
    let header = header(&system, file, Default::default());
    let params = RunParams::of(&system);
    Ok((system, Report { header, architectures }, params))
}

fn write_report(args: &Args) -> Result<PathBuf, String> {
    let (system, report, params) = simulate_report(&args.file, args.threads)?;
    let stem = args.file.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
    let dir = args.out.clone().unwrap_or_else(|| Path::new("reports").join(&stem));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write("result.json", json::render(&report).map_err(|e| e.to_string())?.as_bytes())?;
    let images = write_charts(&dir, &report, Some((&system, params)))?;
    let mut md = markdown::render(&report);
    md.push_str("\n## Single points of failure\n\nEach component failed alone for 30 days, random failures off (`faultline sweep`); a\nfailover that takes a switch time counts.\n\n| architecture | single points of failure |\n|---|---|\n");
    for arch in &system.architectures {
        let s = crate::analysis::sweep::sweep(arch, 1, SimTime(30 * MS_PER_DAY));
        let list = if s.spofs.is_empty() {
            "none".to_string()
        } else {
            s.spofs.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        };
        let _ = writeln!(md, "| {} | {list} |", arch.name.replace('|', "\\|"));
    }
    md.push_str("\n## Charts\n");
    for (title, path) in &images {
        let _ = write!(md, "\n### {title}\n\n![{title}]({path})\n");
    }
    let _ = write!(
        md,
        "\n## Reproduce\n\n```sh\nfaultline report {file}\nfaultline run {file} --format json   # the numbers above, as result.json\n```\n",
        file = args.file.display()
    );
    write("report.md", md.as_bytes())?;
    Ok(dir)
}

/// Writes the charts of `report` into `dir/charts/` (SVG and PNG); with the scenario, also the
/// RTO and RPO distributions and the timelines, which need the simulation (the RPO one only
/// when a data-loss event happened). Returns (title, PNG path
/// relative to `dir`) of each chart written.
pub(super) fn write_charts(
    dir: &Path,
    report: &Report,
    scenario: Option<(&crate::model::System, RunParams)>,
) -> Result<Vec<(String, String)>, String> {
    std::fs::create_dir_all(dir.join("charts"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let mut images = Vec::new();
    let mut chart =
        |name: String, title: String, render: &dyn Fn(ChartFormat) -> Result<Vec<u8>, chart::ChartError>| {
            for format in [ChartFormat::Svg, ChartFormat::Png] {
                match render(format) {
                    Ok(bytes) => write(&format!("charts/{name}.{}", format.extension()), &bytes)?,
                    Err(chart::ChartError::NoData(_)) => return Ok(()),
                    Err(e) => return Err(format!("chart {name}: {e}")),
                }
            }
            images.push((title, format!("charts/{name}.png")));
            Ok::<(), String>(())
        };
    let data = ReportData::from_report(report);
    chart("availability".into(), "Availability per architecture".into(), &|f| chart::availability(&data, f))?;
    if let Some((system, params)) = scenario {
        let samples: Vec<(String, Vec<f64>, Option<f64>)> = system
            .architectures
            .iter()
            .map(|a| {
                let objective = a.objectives.rto.map(|t| t.0 as f64 / 1000.0);
                (a.name.clone(), chart::rto_samples(a, params, system.replications), objective)
            })
            .collect();
        chart("rto".into(), "Realised RTO".into(), &|f| chart::rto_cdf(&system.name, &samples, f))?;
        // Only architectures with datasets or queues, and no chart at all without a data-loss
        // event.
        let losses: Vec<chart::RpoSeries> = system
            .architectures
            .iter()
            .filter(|a| !a.datasets.is_empty() || !a.queues.is_empty())
            .map(|a| chart::RpoSeries {
                name: a.name.clone(),
                sample: chart::rpo_samples(a, params, system.replications),
                objective_s: a.objectives.rpo.map(|t| t.0 as f64 / 1000.0),
            })
            .collect();
        chart("rpo".into(), "Realised RPO".into(), &|f| chart::rpo_cdf(&system.name, &losses, f))?;
    }
    for a in &report.architectures {
        let name = format!("problems-{}", slug(&a.name));
        chart(name, format!("Downtime by problem: {}", a.name), &|f| {
            chart::downtime_by_problem(&data, &a.name, 8, f)
        })?;
        let Some((system, params)) = scenario else { continue };
        let Some(arch) = system.architectures.iter().find(|x| x.name == a.name) else { continue };
        if let Some(trace) = first_incident_trace(report, arch, params) {
            let name = format!("timeline-{}", slug(&a.name));
            chart(name, format!("Timeline of replication 0: {}", a.name), &|f| chart::timeline(&trace, f))?;
        }
    }
    Ok(images)
}

/// Replication 0 of `arch`, traced, with a window from a day before its first incident to two
/// days after its start; `None` without an incident.
fn first_incident_trace<'a>(
    report: &Report,
    arch: &'a crate::model::Architecture,
    params: RunParams,
) -> Option<Trace<'a>> {
    let prepared = Prepared::new(arch, params);
    let mut sim = Simulator::new(&prepared);
    sim.set_tracing(true);
    let mut recorder = Recorder::default();
    let summary = sim.run(0, &mut recorder);
    let first = recorder.incidents.iter().map(|i| i.start).min()?;
    let from = SimTime(first.0.saturating_sub(MS_PER_DAY));
    let to = SimTime((first.0 + 2 * MS_PER_DAY).min(params.horizon.0));
    Some(Trace {
        scenario: report.header.scenario.clone(),
        seed: params.seed,
        stream_version: STREAM_VERSION,
        arch,
        replication: 0,
        horizon: params.horizon,
        window: (from, to),
        events: sim.take_trace(),
        incidents: recorder.incidents.len() as u64,
        up: summary.up,
    })
}
