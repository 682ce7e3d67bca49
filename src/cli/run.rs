//! `faultline run FILE`: simulate every architecture (or the chosen ones) and report them side
//! by side.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use sha2::{Digest, Sha256};

use super::options::RunOptions;
use super::progress::Progress;
use super::storm::{self, Work};
use super::{Error, output};
use crate::diagnostic::did_you_mean;
use crate::metrics::{Header, MIN_REPLICATIONS_WITH_DOWNTIME, Report, ScenarioId};
use crate::model::System;
use crate::runner;

/// Output formats of `run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// The stable machine format.
    Json,
    /// One row per architecture, RFC 4180.
    Csv,
    /// A document for design reviews.
    Markdown,
}
output::format_flag!(Format { Table, Json, Csv, Markdown });

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (RON).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub options: RunOptions,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Simulate only these architectures (repeatable).
    #[arg(long = "arch", value_name = "NAME")]
    pub archs: Vec<String>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub shard: super::shard::ShardArgs,
}

/// Runs the simulation and prints the report.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    // With --horizon, the file's "injection after the horizon" warnings are checked again below.
    let compiled = output::compile_file_with(&args.file, args.options.horizon.is_none())?;
    let mut system = compiled.system;
    let overrides = apply_overrides(&mut system, &args.options, &args.archs);
    if args.options.horizon.is_some() {
        warn_late_injections(&system, &args.file.display().to_string());
    }
    let selected = select(&system, &args.archs, &args.file.display().to_string())?;
    let origin = args.file.display().to_string();
    if let Some((shard, emit)) = args.shard.shard(&args.options, &system, &origin)? {
        return super::shard::emit(
            &args.file,
            &system,
            &args.options,
            (&args.archs, &selected),
            shard,
            emit,
            args.quiet,
        );
    }
    let pool = output::pool(args.options.threads)?;
    let work = Work {
        system: &system,
        archs: &selected,
        replications: system.replications,

        threads: pool.current_num_threads(),
    };
    storm::announce(&work, &args.file.display().to_string());
    // With a precision the bar runs to the most replications a design may take.
    let most = runner::Plan::of(&system).most();
    let progress = Progress::new(most * selected.len() as u64, args.quiet);
    let mut architectures = Vec::new();
    for (k, &i) in selected.iter().enumerate() {
        let arch = &system.architectures[i];
        let done_before = most * k as u64;
        let run = runner::estimate(
            arch,
            &system,
            &pool,
            &|done| progress.update(done_before + done, &arch.name),
            &mut |_, _| {},
        );
        architectures.push(runner::report_estimated(arch, &run, &system));
    }
    progress.finish();
    warn_too_few(&architectures, &system);
    let header = header(&system, &args.file, overrides);
    let report = Report { header, architectures };
    output::render(&report, args.format)
}

/// Warns on stderr about each design whose CI rests on too few replications (or cycles) that
/// saw downtime.
pub(super) fn warn_too_few(architectures: &[crate::metrics::ArchitectureReport], system: &System) {
    for a in architectures {
        // The warning counts the replications that saw downtime (`ci_reliable` is also false
        // for a degenerate CI, which may come from hundreds of them all alike). A scripted run
        // repeats one history: how many replications saw it says nothing of the CI.
        if let Some(rare) = a.rare() {
            if !a.availability.ci_reliable {
                output::stderr(&format!(
                    "warning: {}: only {} regenerative cycle(s) saw downtime (fewer than {MIN_REPLICATIONS_WITH_DOWNTIME}); the availability CI is not reliable\n  = hint: allow more cycles (--max-replications)\n",
                    a.name, rare.cycles_with_downtime
                ));
            }
            continue;
        }
        let too_few = a.replications_with_downtime < MIN_REPLICATIONS_WITH_DOWNTIME;
        if too_few && (a.availability.ci_method != "degenerate" || system.random) {
            output::stderr(&format!(
                "warning: {}: only {} replication(s) saw downtime (fewer than {MIN_REPLICATIONS_WITH_DOWNTIME}); the availability CI is not reliable\n  = hint: run more replications (--replications) or a longer --horizon\n",
                a.name, a.replications_with_downtime
            ));
        }
    }
}

/// Warns once per (target, start) of an injection that starts at or after the horizon.
pub(super) fn warn_late_injections(system: &System, origin: &str) {
    let mut seen = std::collections::BTreeSet::new();
    for arch in &system.architectures {
        for inj in arch.injections.iter().filter(|i| i.at >= system.horizon) {
            let target = &arch.components[inj.target.index()].name;
            if seen.insert((target.clone(), inj.at)) {
                output::stderr(&format!(
                    "{origin}: warning: injection of `{target}` at {} starts at or after the horizon ({}) given by --horizon\n  = hint: it will never happen; move it earlier or lengthen the horizon\n",
                    inj.at, system.horizon
                ));
            }
        }
    }
}

/// Applies the run `options` to `system`; returns them, and `--arch` (`archs`), for the JSON
/// header.
pub(super) fn apply_overrides(
    system: &mut System,
    options: &RunOptions,
    archs: &[String],
) -> BTreeMap<&'static str, serde_json::Value> {
    let mut overrides = options.apply(system);
    if !archs.is_empty() {
        overrides.insert("arch", archs.to_vec().into());
    }
    overrides
}

/// The JSON header of a run of `system` read from `file`.
pub(super) fn header(
    system: &System,
    file: &std::path::Path,
    overrides: BTreeMap<&'static str, serde_json::Value>,
) -> Header {
    Header::new(system, scenario_id(system, file), overrides)
}

/// The one architecture named by `--arch`, which may be left out when there is only one.
pub(super) fn select_one<'s>(
    system: &'s System,
    arch: Option<&str>,
    origin: &str,
) -> Result<&'s crate::model::Architecture, Error> {
    let wanted: Vec<String> = arch.iter().map(|a| a.to_string()).collect();
    let selected = select(system, &wanted, origin)?;
    if let [one] = selected[..] {
        return Ok(&system.architectures[one]);
    }
    let names: Vec<&str> = system.architectures.iter().map(|a| a.name.as_str()).collect();
    Err(Error::new(format!(
        "{origin}: error: the file has {} architectures; choose one with --arch\n  = hint: architectures here: {}\n",
        names.len(),
        names.join(", ")
    )))
}

/// The scenario's name and the SHA-256 of its file.
pub(super) fn scenario_id(system: &System, path: &std::path::Path) -> ScenarioId {
    ScenarioId { name: system.name.clone(), sha256: sha256_hex(path) }
}

/// Indices of the chosen architectures, in file order; an error naming every unknown name.
pub(super) fn select(system: &System, wanted: &[String], origin: &str) -> Result<Vec<usize>, Error> {
    let names: Vec<&str> = system.architectures.iter().map(|a| a.name.as_str()).collect();
    let mut unknown = String::new();
    for w in wanted {
        if !names.contains(&w.as_str()) {
            let hint = did_you_mean(w, names.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| format!("architectures here: {}", names.join(", ")));
            unknown.push_str(&format!("{origin}: error: no architecture named `{w}`\n  = hint: {hint}\n"));
        }
    }
    if !unknown.is_empty() {
        return Err(Error::Message(unknown));
    }
    Ok((0..names.len()).filter(|&i| wanted.is_empty() || wanted.iter().any(|w| w == names[i])).collect())
}

fn sha256_hex(path: &std::path::Path) -> String {
    sha256_hex_of(&std::fs::read(path).unwrap_or_default())
}

/// The SHA-256 of `bytes`, in lowercase hex (what outputs name a scenario by).
pub(super) fn sha256_hex_of(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
