//! `faultline chart RESULT.json|SCENARIO --out DIR`: the charts alone.
//!
//! From a `run --format json` result: availability, the RTO distribution, the RPO distribution
//! (when a data-loss event happened) and downtime by problem, from the result's numbers and
//! histograms, the same bytes as from the scenario (a result without histograms, made by an
//! older faultline, gives no RTO or RPO chart; one whose histograms cannot be is refused). From
//! a scenario: it is run first, and the timelines come too, exactly as `report` draws them
//! (`--timeline-replication K` as there; with a result it is an error, since a result holds no
//! histories). The charts are written as
//! one bundle into `DIR` (`bundle.rs`): staged, renamed in, the folder locked against a second
//! writer; their file names come from `chart::names`. The run options (`options.rs`) apply to
//! a scenario; with a result `--seed`, `--replications` and `--horizon` are an error, as
//! `--timeline-replication` is (`--threads` changes nothing there).

use std::path::PathBuf;
use std::process::ExitCode;

use super::Error;
use super::bundle::Bundle;
use super::options::RunOptions;
use super::output;
use super::report::{Plan, Scenario, Simulated, compile_report, simulate_report, stage, write_charts};
use crate::chart::{self, ReportData};
use crate::report::focus::Pick;

/// Arguments of `chart`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `run --format json` result, or a scenario file (RON).
    #[arg(value_name = "RESULT.json|SCENARIO")]
    pub file: PathBuf,
    /// Directory to write `charts/` into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// From a scenario: how to run it (a result ran already: only --threads is taken).
    #[command(flatten)]
    pub options: RunOptions,
    /// From a scenario: draw the timelines from this replication (its longest incident)
    /// instead of the scripted injection's incident or the longest incident of the run.
    #[arg(long, value_name = "K")]
    pub timeline_replication: Option<u64>,
}

/// Draws the charts.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let n = if args.file.extension().is_some_and(|e| e == "json") {
        from_json(args).map_err(|message| Error::at(&args.file, message))?
    } else {
        from_scenario(args)?
    };
    output::print(&format!("{n} charts written to {}\n", args.out.join("charts").display()))
}

/// The charts of a result; every error is a message about `args.file`.
fn from_json(args: &Args) -> Result<usize, String> {
    if args.timeline_replication.is_some() {
        return Err("--timeline-replication needs a scenario\n  = hint: a result holds no replication histories and draws no timeline; pass the scenario file (RON) instead".into());
    }
    if args.options.any() {
        return Err("--seed, --replications, --horizon, --precision, --max-replications and --method need a scenario\n  = hint: a result was run already, with the values in its header; pass the scenario file (RON) to run it again".into());
    }
    let text = crate::scenario::read_capped(&args.file)
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8")
            })
        })
        .map_err(|e| format!("cannot read the file: {e}"))?;
    let data = ReportData::from_json(&text).map_err(|e| format!("not a faultline result: {e}"))?;
    // As the report stages them, without the timelines (a result holds no histories).
    let pool = output::pool(args.options.threads).map_err(|e| e.to_string().replacen("error: ", "", 1))?;
    let mut bundle = Bundle::open(&args.out, &["charts"])?;
    let overview = vec![
        Plan::new("availability".into(), String::new(), None, |f| chart::availability(&data, f)),
        Plan::new("rto".into(), String::new(), None, |f| chart::rto_cdf(&data, f)),
        Plan::new("rpo".into(), String::new(), None, |f| chart::rpo_cdf(&data, f)),
        Plan::new("cost".into(), String::new(), None, |f| chart::cost_vs_downtime(&data, f)),
    ];
    let mut images = Vec::new();
    stage(&mut bundle, &mut images, overview, &pool)?;
    let designs: Vec<&str> = data.architectures.iter().map(|a| a.name.as_str()).collect();
    let named: Vec<_> = data.architectures.iter().zip(chart::names::design_names(&designs)).collect();
    // A few at a time, as the report: memory does not grow with the number of architectures.
    for batch in named.chunks(2 * pool.current_num_threads().max(1)) {
        let data = &data;
        let plans = batch
            .iter()
            .map(|(a, file_name)| {
                Plan::new(format!("problems-{file_name}"), String::new(), None, |f| {
                    chart::downtime_by_problem(data, &a.name, 8, f)
                })
            })
            .collect();
        stage(&mut bundle, &mut images, plans, &pool)?;
    }
    let written = images.iter().filter(|i| i.path.is_some()).count();
    bundle.commit()?;
    Ok(written)
}

fn from_scenario(args: &Args) -> Result<usize, Error> {
    let at = |message: String| Error::at(&args.file, message);
    let compiled = compile_report(&args.file, &args.options, args.timeline_replication)?;
    let mut bundle = Bundle::open(&args.out, &["charts"]).map_err(at)?;
    let Simulated { report, params, incidents, pool } =
        simulate_report(&compiled, &args.file, args.options.threads)?;
    let pick = args.timeline_replication.map_or(Pick::Default, Pick::Replication);
    let trace_args = args.options.trace_args();
    let scenario = Scenario {
        system: &compiled.system,
        params,
        incidents: &incidents,
        file: &args.file,
        trace_args,
        pick,
        pool: &pool,
    };
    let images = write_charts(&mut bundle, &report, &scenario).map_err(at)?;
    bundle.commit().map_err(at)?;
    Ok(images.iter().filter(|i| i.path.is_some()).count())
}
