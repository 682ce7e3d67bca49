//! Command-line interface: clap wiring, one small module per subcommand.
//!
//! The only module that prints, reads files or chooses exit codes. Exit codes are a contract:
//! 0 ok, 1 objective missed or regression (`check`), 2 bad input or I/O. Every command returns
//! `Result<ExitCode, Error>` (`error`): [`main`] prints the error and maps it to 2. A closed stdout pipe
//! (`faultline graph ... | head`) ends the command quietly with 0: it is not a crash. Any other
//! failure to write stdout (`> /dev/full`) is an I/O error, exit 2, in every command (help and
//! version included): the output was lost.
//! Output files are replaced whole and never through a link (`atomic`), bundles are staged and
//! renamed in under a lock (`bundle`, `lock`), in folders named after the scenario file
//! (`folder`); a path that cannot be made is named with the part at fault (`paths`).

mod atomic;
mod baseline;
mod bundle;
mod chart;
mod check;
mod compare;
mod cutsets;
mod error;
mod folder;
mod graph;
mod lock;
mod options;
mod output;
mod paths;
mod progress;
mod report;
mod run;
mod shard;
mod storm;
mod sweep;
mod trace;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use error::Error;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: an objective was missed or a metric regressed (`check` only).
pub const EXIT_FAILED_CHECK: u8 = 1;
/// Exit code: bad input or I/O error.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Deterministic fault-injection simulator for high-availability and disaster-recovery designs.
#[derive(Debug, Parser)]
#[command(
    name = "faultline",
    version,
    about,
    long_about = None,
    after_help = "Examples:\n  faultline run scenarios/web-single-vs-multi-az.ron\n  faultline validate scenarios/*.ron\n  faultline graph scenarios/web-single-vs-multi-az.ron --arch multi-az | dot -Tsvg > multi-az.svg\n\nExit codes: 0 ok, 1 objective missed or regression (check), 2 bad input or I/O."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate every architecture of a scenario and report availability and RTO side by side.
    #[command(
        after_help = "Examples:\n  faultline run scenarios/web-single-vs-multi-az.ron\n  faultline run scenarios/three-tier.ron --replications 200 --format json > result.json\n  faultline run scenarios/three-tier.ron --arch three-az --seed 7 --horizon 5y\n\nThe same scenario and seed give the same bytes, whatever --threads is."
    )]
    Run(run::Args),
    /// For cron and CI: fail (exit 1) when a gated design misses an objective or regressed.
    #[command(
        after_help = "Examples:\n  faultline check scenarios/*.ron\n  faultline check scenarios/database-multi-az.ron --update-baseline\n  faultline check scenarios/*.ron --baseline baselines/\n\nFirst what was run: FILE: N replications x HORIZON, seed S, stream vV (--seed, --replications, --horizon as in run);\nthen one line per finding: FILE: FAIL|note: ARCHITECTURE: METRIC KIND: expected ..., got ...\n(or ARCHITECTURE: baseline: ... for a design missing from the baseline, or gone from the file)\nExit codes: 0 all passed, 1 a gated design missed an objective, regressed or has no baseline entry, 2 bad input\n(including a baseline made with another stream version or other run parameters, or one that cannot be read or\ntrusted: only a missing baseline file means \"no baseline\")."
    )]
    Check(check::Args),
    /// Compare each architecture's downtime with a baseline, paired by replication.
    #[command(
        after_help = "Examples:\n  faultline compare scenarios/web-single-vs-multi-az.ron\n  faultline compare scenarios/three-tier.ron --baseline three-az --replications 2000\n\nThe same component names draw the same random numbers in every architecture, so the paired\nCI (per-replication differences) is much narrower than the unpaired one beside it."
    )]
    Compare(compare::Args),
    /// Write the design-review bundle: report.md, result.json and charts/.
    #[command(
        after_help = "Examples:\n  faultline report scenarios/database-multi-az.ron            # into reports/database-multi-az/\n  faultline report scenarios/three-tier.ron --out /tmp/review\n  faultline report scenarios/three-tier.ron --timeline-replication 7   # timelines from replication 7\n\nEach timeline shows one incident: the scripted injection's, else the longest of the run.\nThe same scenario writes the same bytes, whatever --threads is."
    )]
    Report(report::Args),
    /// Merge the partial results of a run's shards (`run --shard I/N --emit FILE`) into its output.
    #[command(
        after_help = "Examples:\n  faultline run scenarios/three-tier.ron --shard 0/2 --emit part-0.json\n  faultline run scenarios/three-tier.ron --shard 1/2 --emit part-1.json\n  faultline merge part-*.json --format json > result.json\n\nThe merged output is the same bytes as `faultline run` on one machine with the same options;\npartials of another scenario, seed, option set or faultline version, or a missing or repeated\nshard, are refused (exit 2)."
    )]
    Merge(shard::MergeArgs),
    /// Draw the charts of a result (RESULT.json) or of a scenario (run first).
    #[command(
        after_help = "Examples:\n  faultline chart reports/three-tier/result.json --out /tmp/three-tier\n  faultline chart scenarios/power-generator.ron --out /tmp/power\n\nFrom a result: availability and downtime by problem; from a scenario also the RTO\ndistribution and a timeline per architecture. SVG and PNG, fonts built in."
    )]
    Chart(chart::Args),
    /// Fail every component on purpose (alone, or in pairs) and report what takes the service down.
    #[command(
        after_help = "Examples:\n  faultline sweep scenarios/database-multi-az.ron\n  faultline sweep scenarios/three-tier.ron --arch three-az --order 2 --format json\n\nRandom failures are off; each failure starts 1 h after start-up and lasts --duration (30d by\ndefault, so only automatic mechanisms end the outage sooner). A single failure that takes the\nservice down is a single point of failure, if only for a failover's switch time."
    )]
    Sweep(sweep::Args),
    /// List the minimal cut sets of an architecture (from the dependency graph alone).
    #[command(
        after_help = "Examples:\n  faultline cutsets scenarios/three-tier.ron --arch three-az\n  faultline cutsets scenarios/three-tier.ron --arch single-az --order 1   # single points of failure\n\nA cut set is a set of components whose failure takes the service down; it is minimal if no\nsmaller one inside it does. Failover delays are timing, not failures: a standby group is up\nwhile one member is."
    )]
    Cutsets(cutsets::Args),
    /// Print one replication's timeline: failures, detections, switches, recoveries, incidents.
    #[command(
        after_help = "Examples:\n  faultline trace scenarios/database-multi-az.ron --arch multi-az --replication 3\n  faultline trace scenarios/three-tier.ron --arch three-az --from 90d --to 120d\n  faultline trace scenarios/power-generator.ron --arch generator --format json\n\nThe same arguments always print the same bytes; the replication numbering is `run`'s."
    )]
    Trace(trace::Args),
    /// Check scenario files and report every mistake with file:line:col.
    #[command(
        after_help = "Examples:\n  faultline validate scenarios/three-tier.ron\n  faultline validate --deny-warnings scenarios/*.ron   # in CI\n\nExit code 2 if any file has an error; warnings alone exit 0, or 2 with --deny-warnings."
    )]
    Validate(validate::Args),
    /// Print an architecture's dependency graph as Graphviz DOT.
    #[command(
        after_help = "Examples:\n  faultline graph scenarios/three-tier.ron --arch three-az\n  faultline graph scenarios/three-tier.ron --arch three-az | dot -Tpng > three-az.png\n\nEdges point from a component to what it needs; dashed edges and double octagons mark\nredundancy (Any / AtLeast); grey nodes are shared components; the service is bold."
    )]
    Graph(graph::Args),
}

/// Parses the command line, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(usage(&e)),
    };
    let result = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Chart(args) => chart::run(&args),
        Command::Merge(args) => shard::merge(&args),
        Command::Cutsets(args) => cutsets::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Trace(args) => trace::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Graph(args) => graph::run(&args),
    };
    result.unwrap_or_else(|e| {
        error::print(&e);
        ExitCode::from(EXIT_BAD_INPUT)
    })
}

/// Prints clap's help, version or usage error and returns its exit code (0 for help and
/// version, 2 for a usage error), or 2 when the help or version cannot be written to stdout.
fn usage(e: &clap::Error) -> u8 {
    let code = if e.use_stderr() { EXIT_BAD_INPUT } else { EXIT_OK };
    let printed = e.print().and_then(|()| std::io::Write::flush(&mut std::io::stdout()));
    match printed {
        Err(io) if !e.use_stderr() && io.kind() != std::io::ErrorKind::BrokenPipe => {
            output::stderr(&format!("error: cannot write to stdout: {io}\n"));
            EXIT_BAD_INPUT
        }
        _ => code,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
