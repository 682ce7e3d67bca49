//! `faultline report SCENARIO [--out DIR]`: the design-review bundle.
//!
//! Writes `report.md`, `result.json` (the `run --format json` bytes, also usable as a
//! baseline input of `chart`) and `charts/` (availability, RTO distribution, RPO distribution
//! when some dataset lost data, downtime by problem per architecture in one unit, and a
//! timeline of one incident per architecture, each as SVG and PNG; file names from
//! `chart::names`) into `DIR` (default `reports/<folder>/`, the folder named after the scenario
//! file as `folder.rs` says). The files are written as one bundle (`bundle.rs`): staged, then
//! renamed in, with the folder locked against a second writer. The scenario is simulated once,
//! on every thread: the run's pass gives every number, the RTO and RPO histograms the charts
//! draw, and where the timeline's incident is; then one replication per architecture is
//! traced for its timeline. The timeline's incident is chosen by `report::focus`: the
//! scripted injection's, else the longest of the run;
//! `--timeline-replication K` shows the longest incident of replication K instead. report.md says under each timeline which
//! incident it is and how to list its events with `faultline trace`.
//! `--seed`, `--replications` and `--horizon` replace the scenario's values as in `run`
//! (`options.rs`): report.md's run line and reproduce commands, result.json's header and the
//! trace commands under the timelines say what was run.
//! Everything is deterministic: a rerun, on any number of threads, writes the same bytes.
//! `--shard I/N --emit FILE` writes a shard's partial result instead (`shard.rs`), and
//! `--from PARTIAL...` writes the bundle of every shard's partials merged, from the scenario
//! text they carry: the same files as `report` of the whole run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Error;
use super::bundle::Bundle;
use super::options::RunOptions;
use super::progress::Progress;
use super::run::{header, warn_late_injections};
use super::storm::{self, Work};
use super::{atomic, folder, output};
use crate::chart::{self, Format as ChartFormat, ReportData};
use crate::engine::RunParams;
use crate::metrics::{Incidents, Report};
use crate::report::focus::{self, Pick};
use crate::report::trace::Trace;
use crate::report::{json, markdown, spof};
use crate::runner;
use crate::time::{MS_PER_DAY, SimTime};

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (RON).
    #[arg(value_name = "SCENARIO", required_unless_present = "from")]
    pub file: Option<PathBuf>,
    /// Write the bundle from the partial results of a run's shards (`report --shard I/N
    /// --emit FILE`, or `run`'s) instead of running a scenario.
    #[arg(long, value_name = "PARTIAL", num_args = 1.., conflicts_with = "file")]
    pub from: Vec<PathBuf>,
    /// Output directory (default: reports/<name>/, the scenario file's name without its
    /// extension; `.`, `..` and characters unsafe in a folder name become `_`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub options: RunOptions,
    /// Draw the timelines from this replication (its longest incident) instead of the
    /// scripted injection's incident or the longest incident of the run.
    #[arg(long, value_name = "K")]
    pub timeline_replication: Option<u64>,
    #[command(flatten)]
    pub shard: super::shard::ShardArgs,
}

/// A chart written, or a timeline that could not be drawn, for report.md.
pub(super) struct Image {
    /// Heading.
    pub title: String,
    /// The PNG's path relative to the bundle, `None` when nothing was drawn.
    pub path: Option<String>,
    /// Words under the heading.
    pub caption: Option<String>,
}

/// Runs the scenario and writes the bundle (or, with `--shard`, a shard's partial result).
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    if let Some(file) = &args.file
        && args.shard.shard.is_some() | args.shard.emit.is_some()
    {
        let system = compile_report(file, &args.options, None)?.system;
        let origin = file.display().to_string();
        if let Some((shard, emit)) = args.shard.shard(&args.options, &system, &origin)? {
            let every: Vec<usize> = (0..system.architectures.len()).collect();
            return super::shard::emit(file, &system, &args.options, (&[], &every), shard, emit, false);
        }
    }
    let dir = write_report(args)?;
    output::print(&format!("report written to {}\n", dir.display()))
}

/// A compiled scenario with the run options applied, and the options it replaced (for the
/// JSON header).
pub(super) struct Compiled {
    /// The scenario as it runs.
    pub system: crate::model::System,
    /// The options given, by name.
    pub overrides: std::collections::BTreeMap<&'static str, serde_json::Value>,
}

/// Compiles `file` and applies `options`. A `timeline_replication` beyond the replications is
/// an error, found before anything runs.
pub(super) fn compile_report(
    file: &Path,
    options: &RunOptions,
    timeline_replication: Option<u64>,
) -> Result<Compiled, Error> {
    // As `run`: with --horizon, the "injection after the horizon" warnings are checked again.
    let mut system = output::compile_file_with(file, options.horizon.is_none())?.system;
    let overrides = options.apply(&mut system);
    if options.horizon.is_some() {
        warn_late_injections(&system, &file.display().to_string());
    }
    check_timeline_replication(file, options, &system, timeline_replication)?;
    Ok(Compiled { system, overrides })
}

/// A `timeline_replication` beyond the replications of `system` is an error.
fn check_timeline_replication(
    file: &Path,
    options: &RunOptions,
    system: &crate::model::System,
    timeline_replication: Option<u64>,
) -> Result<(), Error> {
    if let Some(k) = timeline_replication.filter(|&k| k >= system.replications) {
        return Err(Error::at(
            file,
            format!(
                "--timeline-replication {k} is beyond the {} replications\n  = hint: {} runs {} replication{}, numbered 0 to {}",
                if options.replications.is_some() { "--replications" } else { "scenario's" },
                if options.replications.is_some() {
                    "this run".to_string()
                } else {
                    file.display().to_string()
                },
                system.replications,
                if system.replications == 1 { "" } else { "s" },
                system.replications.saturating_sub(1)
            ),
        ));
    }
    Ok(())
}

/// A simulated scenario: its report, run parameters, and per architecture where the incidents
/// a timeline may show are.
pub(super) struct Simulated {
    /// The report.
    pub report: Report,
    /// Its run parameters.
    pub params: RunParams,
    /// Per architecture, in file order.
    pub incidents: Vec<Incidents>,
    /// The worker threads it ran on, for the charts.
    pub pool: rayon::ThreadPool,
}

/// Runs a compiled scenario like `run`.
pub(super) fn simulate_report(
    compiled: &Compiled,
    file: &Path,
    threads: Option<usize>,
) -> Result<Simulated, Error> {
    let system = &compiled.system;
    let pool = output::pool(threads)?;
    let archs: Vec<usize> = (0..system.architectures.len()).collect();
    let replications = system.replications;
    let work = Work { system, archs: &archs, replications, threads: pool.current_num_threads() };
    storm::announce(&work, &file.display().to_string());
    let params = RunParams::of(system);
    // With a precision the bar runs to the most replications a design may take.
    let most = runner::Plan::of(system).most();
    let progress = Progress::new(most * archs.len() as u64, false);
    let mut incidents = Vec::new();
    let architectures = system
        .architectures
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let tick = |done| progress.update(most * k as u64 + done, &a.name);
            let run = runner::estimate(a, system, &pool, &tick, &mut |_, _| {});
            incidents.push(run.aggregate.incidents());
            runner::report_estimated(a, &run, system)
        })
        .collect();
    progress.finish();
    let header = header(system, file, compiled.overrides.clone());
    Ok(Simulated { report: Report { header, architectures }, params, incidents, pool })
}

/// What to draw from a simulated scenario.
pub(super) struct Scenario<'a> {
    /// The compiled scenario.
    pub system: &'a crate::model::System,
    /// Its run parameters.
    pub params: RunParams,
    /// Per architecture, where the run's incidents are.
    pub incidents: &'a [Incidents],
    /// Its file, as given (for the `faultline trace` command under each timeline).
    pub file: &'a Path,
    /// The `--seed` and `--horizon` it ran with, as arguments of that command.
    pub trace_args: String,
    /// Which incident the timelines show.
    pub pick: Pick,
    /// The worker threads that trace the timelines and draw the charts.
    pub pool: &'a rayon::ThreadPool,
}

/// What a bundle is written from: a scenario run here, or the merged partials of its shards.
struct Source {
    system: crate::model::System,
    file: PathBuf,
    options: RunOptions,
    simulated: Simulated,
}

impl Source {
    fn of(args: &Args) -> Result<Source, Error> {
        let Some(file) = &args.file else {
            if args.options.any() {
                return Err(Error::new(
                    "error: --from takes no run options (--seed, --replications, --horizon, --precision, --max-replications, --method)\n  = hint: the partials were run with theirs, which the bundle records\n",
                ));
            }
            let merged = super::shard::from_partials(&args.from)?;
            if !merged.archs.is_empty() {
                return Err(Error::new(format!(
                    "error: the partials ran only --arch {}; a report covers every design\n  = hint: run the shards without --arch\n",
                    merged.archs.join(", ")
                )));
            }
            check_timeline_replication(
                &merged.file,
                &merged.options,
                &merged.system,
                args.timeline_replication,
            )?;
            let pool = output::pool(args.options.threads)?;
            let params = RunParams::of(&merged.system);
            let simulated = Simulated { report: merged.report, params, incidents: merged.incidents, pool };
            return Ok(Source {
                system: merged.system,
                file: merged.file,
                options: merged.options,
                simulated,
            });
        };
        let compiled = compile_report(file, &args.options, args.timeline_replication)?;
        let simulated = simulate_report(&compiled, file, args.options.threads)?;
        Ok(Source { system: compiled.system, file: file.clone(), options: args.options.clone(), simulated })
    }
}

fn write_report(args: &Args) -> Result<PathBuf, Error> {
    let Source { system, file, options, simulated } = Source::of(args)?;
    let system = &system;
    let at = |message: String| Error::at(&file, message);
    let dir = match &args.out {
        Some(dir) => dir.clone(),
        None => {
            let dir = Path::new("reports").join(folder::of(&file));
            atomic::refuse_link(&dir).map_err(at)?;
            dir
        }
    };
    let mut bundle = Bundle::open(&dir, &["result.json", "report.md", "charts"]).map_err(at)?;
    let Simulated { report, params, incidents, pool } = simulated;
    let result = json::render(&report).map_err(|e| at(e.to_string()))?;
    bundle.write("result.json", result.as_bytes()).map_err(at)?;
    let pick = args.timeline_replication.map_or(Pick::Default, Pick::Replication);
    let trace_args = options.trace_args();
    let scenario =
        Scenario { system, params, incidents: &incidents, file: &file, trace_args, pick, pool: &pool };
    let images = write_charts(&mut bundle, &report, &scenario).map_err(at)?;
    let mut md = markdown::render(&report);
    let progress = Progress::counting(0, false, "injections");
    let mut spofs = Vec::new();
    for arch in &system.architectures {
        let s = pool.install(|| {
            crate::analysis::sweep::sweep_with(arch, 1, SimTime(30 * MS_PER_DAY), &|done, total| {
                progress.set_total(total);
                progress.update(done, &arch.name);
            })
        });
        spofs.push((arch.name.clone(), s.spofs));
    }
    progress.finish();
    md.push_str(&spof::markdown(&spofs));
    md.push_str("\n## Charts\n");
    for image in &images {
        let _ = write!(md, "\n### {}\n", image.title);
        if let Some(caption) = &image.caption {
            let _ = write!(md, "\n{caption}\n");
        }
        if let Some(path) = &image.path {
            let _ = write!(md, "\n![{}]({path})\n", image.title);
        }
    }
    let _ = write!(
        md,
        "\n## Reproduce\n\n```sh\nfaultline report {file}{options}\nfaultline run {file}{options} --format json   # the numbers above, as result.json\n```\n",
        file = file.display(),
        options = options.args()
    );
    bundle.write("report.md", md.as_bytes()).map_err(at)?;
    bundle.commit().map_err(at)?;
    Ok(dir)
}

/// Stages the charts of `report` as `charts/` of `bundle` (SVG and PNG): availability, the RTO
/// and RPO distributions (the RPO one only when a data-loss event happened), cost against
/// downtime (only when a design has a cost), and per
/// architecture downtime by problem and the timeline of the incident `scenario.pick` chooses.
/// Returns what report.md shows, in order.
///
/// The timelines' replications are traced, and the charts drawn, on `scenario.pool`, a few
/// architectures at a time (two per thread), so memory does not grow with the number of
/// architectures; the files are staged, and the first error reported, in the order above, so
/// the bundle is the same bytes on any number of threads.
pub(super) fn write_charts(
    bundle: &mut Bundle,
    report: &Report,
    scenario: &Scenario<'_>,
) -> Result<Vec<Image>, String> {
    use rayon::prelude::*;
    let Scenario { system, params, pool, .. } = *scenario;
    let data = ReportData::from_report(report);
    let mut images = Vec::new();
    let overview = vec![
        Plan::new("availability".into(), "Availability per architecture".into(), None, |f| {
            chart::availability(&data, f)
        }),
        Plan::new("rto".into(), "Realised RTO".into(), None, |f| chart::rto_cdf(&data, f)),
        Plan::new("rpo".into(), "Realised RPO".into(), None, |f| chart::rpo_cdf(&data, f)),
        Plan::new("cost".into(), "Cost against downtime".into(), None, |f| chart::cost_vs_downtime(&data, f)),
    ];
    stage(bundle, &mut images, overview, pool)?;
    let designs: Vec<&str> = report.architectures.iter().map(|a| a.name.as_str()).collect();
    let named: Vec<_> = report.architectures.iter().zip(chart::names::design_names(&designs)).collect();
    for batch in named.chunks(2 * pool.current_num_threads().max(1)) {
        // Each architecture's timeline: none when it is not in the system, else its incident
        // with the trace, if it had one.
        let timelines: Vec<_> = pool.install(|| {
            batch
                .par_iter()
                .map(|(a, _)| {
                    let k = system.architectures.iter().position(|x| x.name == a.name)?;
                    let id = report.header.scenario.clone();
                    let arch = &system.architectures[k];
                    Some(focus::choose(id, arch, params, scenario.pick, &scenario.incidents[k]))
                })
                .collect()
        });
        let mut plans = Vec::new();
        for ((a, file_name), timeline) in batch.iter().zip(&timelines) {
            let data = &data;
            plans.push(Plan::new(
                format!("problems-{file_name}"),
                format!("Downtime by problem: {}", a.name),
                None,
                |f| chart::downtime_by_problem(data, &a.name, 8, f),
            ));
            match timeline {
                None => {}
                Some(None) => {
                    let none = match scenario.pick {
                        Pick::Replication(r) => format!("Replication {r} had no incident: no timeline."),
                        Pick::Default => {
                            format!("No incident in {} replications: no timeline.", system.replications)
                        }
                    };
                    plans.push(Plan::new(String::new(), format!("Timeline: {}", a.name), Some(none), |_| {
                        Err(chart::ChartError::NoData(String::new()))
                    }));
                }
                Some(Some((focus, trace))) => {
                    let caption = timeline_caption(focus, trace, scenario);
                    let title = format!("Timeline: {}, replication {}", a.name, focus.replication);
                    plans.push(Plan::new(format!("timeline-{file_name}"), title, Some(caption), |f| {
                        chart::timeline(trace, Some(focus), f)
                    }));
                }
            }
        }
        stage(bundle, &mut images, plans, pool)?;
    }
    Ok(images)
}

/// Draws `plans` on `pool` (SVG and PNG each), then stages their files in order and adds what
/// report.md shows of them to `images`. A chart with nothing to draw is left out, or shows
/// only its caption when it has one.
pub(super) fn stage(
    bundle: &mut Bundle,
    images: &mut Vec<Image>,
    plans: Vec<Plan<'_>>,
    pool: &rayon::ThreadPool,
) -> Result<(), String> {
    use rayon::prelude::*;
    const FORMATS: [ChartFormat; 2] = [ChartFormat::Svg, ChartFormat::Png];
    let drawn: Vec<Vec<_>> = pool
        .install(|| plans.par_iter().map(|p| FORMATS.par_iter().map(|&f| (p.render)(f)).collect()).collect());
    'plans: for (plan, drawn) in plans.into_iter().zip(drawn) {
        let Plan { name, title, caption, .. } = plan;
        for (format, bytes) in FORMATS.into_iter().zip(drawn) {
            match bytes {
                Ok(bytes) => bundle.write(&format!("charts/{name}.{}", format.extension()), &bytes)?,
                Err(chart::ChartError::NoData(_)) => {
                    if caption.is_some() {
                        images.push(Image { title, path: None, caption });
                    }
                    continue 'plans;
                }
                Err(e) => return Err(format!("chart {name}: {e}")),
            }
        }
        images.push(Image { title, path: Some(format!("charts/{name}.png")), caption });
    }
    Ok(())
}

/// One chart to draw: its file name (without extension), its title and caption in report.md,
/// and how to draw it in a format.
pub(super) struct Plan<'r> {
    name: String,
    title: String,
    caption: Option<String>,
    #[allow(clippy::type_complexity)]
    render: Box<dyn Fn(ChartFormat) -> Result<Vec<u8>, chart::ChartError> + Sync + 'r>,
}

impl<'r> Plan<'r> {
    pub(super) fn new(
        name: String,
        title: String,
        caption: Option<String>,
        render: impl Fn(ChartFormat) -> Result<Vec<u8>, chart::ChartError> + Sync + 'r,
    ) -> Self {
        Plan { name, title, caption, render: Box::new(render) }
    }
}

/// What report.md says under a timeline: the incident, why it was chosen, and the `trace`
/// command that lists its events.
fn timeline_caption(focus: &focus::Focus, trace: &Trace<'_>, scenario: &Scenario<'_>) -> String {
    use focus::{clock, duration_arg};
    let (from, to) = (trace.window.0.0, trace.window.1.0);
    format!(
        "Replication {}, seed {}: {} {}, cause `{}`, {}. Shown from {} to {}; its events: \
         `faultline trace {}{} --arch {} --replication {} --from {} --to {}`.",
        focus.replication,
        trace.seed,
        focus.reason_text(),
        focus.when().replacen("down", "Down", 1),
        focus.cause(trace.arch),
        focus.ended(),
        clock(from),
        clock(to),
        scenario.file.display(),
        scenario.trace_args,
        trace.arch.name,
        focus.replication,
        duration_arg(from),
        duration_arg(to)
    )
}
