//! `--shard I/N --emit FILE` on `run`, `report` and `sweep`, and `faultline merge PARTIAL...`:
//! a run (or a sweep's injections) split into shards on a cluster's job array, merged into the
//! bytes of the run on one machine (the split and the file format are `shard`'s).
//!
//! Decisions: `--shard` needs `--emit` (a shard's own table would be read as the answer);
//! `--emit` alone writes the whole run as shard 0/1. A shard runs crude replications only:
//! `--precision`, `--max-replications` and `--method` are refused with it, as a scenario's
//! `precision` is, since where such a run stops depends on every replication. `merge` and
//! `report --from` compile the scenario text the partials carry, so they need no other file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::options::RunOptions;
use super::progress::Progress;
use super::run::{Format, apply_overrides, select, warn_too_few};
use super::{Error, atomic, output};
use crate::engine::RunParams;
use crate::metrics::{Header, Incidents, Report, ScenarioId};
use crate::model::System;
use crate::runner;
use crate::shard::{self, Design, Options, Partial, ScenarioText, Shard, SweepDesign, SweepPartial};
use crate::time::SimTime;

/// `--shard` and `--emit`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct ShardArgs {
    /// Run only shard I of N (from 0) of the replications, for a cluster's job array; needs
    /// --emit. Shard I runs replications floor(I·R/N) to floor((I+1)·R/N) - 1.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Write the shard's partial result to FILE (JSON), for `faultline merge` or
    /// `faultline report --from`.
    #[arg(long, value_name = "FILE")]
    pub emit: Option<PathBuf>,
}

impl ShardArgs {
    /// The shard asked for (`--emit` alone: 0/1) and the file to emit it to, if any; `--shard`
    /// without `--emit` is an error.
    pub fn requested(&self, origin: &str) -> Result<Option<(Shard, &Path)>, Error> {
        match (&self.shard, &self.emit) {
            (None, None) => Ok(None),
            (Some(_), None) => Err(Error::new(format!(
                "{origin}: error: --shard needs --emit FILE\n  = hint: a shard's partial result is only a part of the answer: write it with --emit and combine the shards with `faultline merge`\n"
            ))),
            (shard, Some(emit)) => Ok(Some((shard.unwrap_or(Shard { index: 0, count: 1 }), emit))),
        }
    }

    /// The shard to run and its file, if one is asked for; an error for the options a shard
    /// refuses.
    pub fn shard(
        &self,
        options: &RunOptions,
        system: &System,
        origin: &str,
    ) -> Result<Option<(Shard, &Path)>, Error> {
        let Some(shard) = self.requested(origin)? else { return Ok(None) };
        if options.precision.is_some() || options.max_replications.is_some() || options.method.is_some() {
            return Err(Error::new(format!(
                "{origin}: error: --shard and --emit do not take --precision, --max-replications or --method\n  = hint: where such a run stops depends on every replication; shard a fixed count (--replications)\n"
            )));
        }
        if system.precision.is_some() {
            return Err(Error::new(format!(
                "{origin}: error: the scenario sets a `precision`, which --shard does not take\n  = hint: where such a run stops depends on every replication; remove `precision` or run without --shard\n"
            )));
        }
        Ok(Some(shard))
    }
}

/// Runs `shard` of the chosen designs of `system` (read from `file`, with `options` given, and
/// `--arch` given as `archs`, which `selected`) and writes its partial result to `emit`.
pub(super) fn emit(
    file: &Path,
    system: &System,
    options: &RunOptions,
    (archs, selected): (&[String], &[usize]),
    shard: Shard,
    emit: &Path,
    quiet: bool,
) -> Result<ExitCode, Error> {
    let origin = file.display().to_string();
    // The text the partial carries is read before the run: the one that ran.
    let scenario = scenario_text(file, system)?;
    let pool = output::pool(options.threads)?;
    let params = RunParams::of(system);
    let (first, end) = shard.range(system.replications);
    let progress = Progress::new((end - first) * selected.len() as u64, quiet);
    let designs = selected
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let arch = &system.architectures[i];
            let done_before = (end - first) * k as u64;
            let plan = runner::Plan::Range { start: first, end };
            let totals = runner::run_architecture(arch, params, plan, &pool, &|done| {
                progress.update(done_before + done, &arch.name)
            });
            Design { name: arch.name.clone(), totals }
        })
        .collect();
    progress.finish();
    let partial = Partial {
        faultline_partial: shard::FORMAT,
        faultline: env!("CARGO_PKG_VERSION").to_string(),
        stream_version: crate::rng::STREAM_VERSION,
        scenario,
        options: Options {
            seed: options.seed,
            replications: options.replications,
            horizon_ms: options.horizon.map(|h| h.0),
            archs: archs.to_vec(),
        },
        shard,
        replications: [first, end],
        designs,
    };
    write_partial(&partial, emit)?;
    let share = if end > first {
        format!("replications {first} to {} of {}", end - 1, system.replications)
    } else {
        format!("no replication (the run has {}, fewer than its {} shards)", system.replications, shard.count)
    };
    output::print(&format!("{origin}: shard {shard}: {share} written to {}\n", emit.display()))
}

/// Partials merged into the run they split: the scenario as it ran, its report as `run`
/// prints it, where each design's incidents are (for timelines), and the run's options.
pub(super) struct FromPartials {
    /// The scenario, its options applied.
    pub system: System,
    /// The report (every selected design).
    pub report: Report,
    /// Per design, where its incidents are.
    pub incidents: Vec<Incidents>,
    /// The scenario's path as given to the shards.
    pub file: PathBuf,
    /// The run options the shards were given.
    pub options: RunOptions,
    /// `--arch` as given to the shards.
    pub archs: Vec<String>,
}

/// Reads and merges the partial results at `paths`.
pub(super) fn from_partials(paths: &[PathBuf]) -> Result<FromPartials, Error> {
    from_values(read_all(paths)?)
}

/// [`from_partials`] of the files read, by origin.
fn from_values(values: Vec<(String, serde_json::Value)>) -> Result<FromPartials, Error> {
    let partials = typed::<Partial>(values)?;
    let merged = shard::merge(partials).map_err(|e| Error::new(format!("error: {e}\n")))?;
    let file = PathBuf::from(&merged.scenario.file);
    let text = merged.scenario.text.strip_prefix('\u{feff}').unwrap_or(&merged.scenario.text);
    let mut system = crate::model::compile_str(text)
        .map_err(|_| {
            Error::new(format!(
                "{}: error: the scenario the partials carry does not compile with this faultline\n",
                file.display()
            ))
        })?
        .system;
    let options = RunOptions {
        seed: merged.options.seed,
        replications: merged.options.replications,
        horizon: merged.options.horizon_ms.map(SimTime),
        ..RunOptions::default()
    };
    let overrides = apply_overrides(&mut system, &options, &merged.options.archs);
    let selected = select(&system, &merged.options.archs, &file.display().to_string())?;
    if selected.len() != merged.designs.len() {
        return Err(Error::new(format!(
            "{}: error: the partials hold {} design(s) where the scenario they carry chooses {}\n  = hint: the files were edited or made by another tool\n",
            file.display(),
            merged.designs.len(),
            selected.len()
        )));
    }
    let mut architectures = Vec::new();
    let mut incidents = Vec::new();
    for (&i, design) in selected.iter().zip(&merged.designs) {
        let arch = &system.architectures[i];
        if arch.name != design.name || design.totals.replications() != system.replications {
            return Err(Error::new(format!(
                "error: the partials' design `{}` does not match the scenario they carry\n",
                design.name
            )));
        }
        incidents.push(design.totals.incidents());
        architectures.push(runner::report(arch, &design.totals, system.horizon));
    }
    let id = ScenarioId { name: merged.scenario.name.clone(), sha256: merged.scenario.sha256.clone() };
    let header = Header::new(&system, id, overrides);
    Ok(FromPartials {
        system,
        report: Report { header, architectures },
        incidents,
        file,
        options,
        archs: merged.options.archs,
    })
}

/// Arguments of `merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The partial results of every shard of one run or sweep (`--emit` files), in any order.
    #[arg(value_name = "PARTIAL", required = true)]
    pub partials: Vec<PathBuf>,
    /// Output format (a sweep has table and json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// For a sweep's shards: injections listed per architecture in the table.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

/// Reads `path`, capped like a scenario, as JSON.
fn read_json(path: &Path) -> Result<serde_json::Value, Error> {
    let origin = path.display().to_string();
    let bytes = crate::scenario::read_capped(path)
        .map_err(|e| Error::new(format!("{origin}: error: cannot read the file: {e}\n")))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::new(format!(
            "{origin}: error: not a faultline partial result: {e}\n  = hint: give the files written by `faultline run --shard I/N --emit FILE` (or sweep's)\n"
        ))
    })
}

/// `faultline merge`: prints what `run` (or `sweep`) prints for the whole run.
pub fn merge(args: &MergeArgs) -> Result<ExitCode, Error> {
    let values = read_all(&args.partials)?;
    if values.first().is_some_and(|(_, v)| v.get("faultline_sweep_partial").is_some()) {
        return merge_sweep(args, values);
    }
    let merged = from_values(values)?;
    warn_too_few(&merged.report.architectures, &merged.system);
    output::render(&merged.report, args.format)
}

/// Reads every file of `paths` as JSON, by origin.
fn read_all(paths: &[PathBuf]) -> Result<Vec<(String, serde_json::Value)>, Error> {
    paths.iter().map(|path| Ok((path.display().to_string(), read_json(path)?))).collect()
}

/// The files read, each as a partial of type `T`.
fn typed<T: serde::de::DeserializeOwned>(
    values: Vec<(String, serde_json::Value)>,
) -> Result<Vec<(String, T)>, Error> {
    values
        .into_iter()
        .map(|(origin, value)| {
            if value.get("faultline_partial").is_none() && value.get("faultline_sweep_partial").is_none() {
                return Err(Error::new(format!(
                    "{origin}: error: not a faultline partial result: it has no `faultline_partial` key\n  = hint: give the files written by `--shard I/N --emit FILE`; a run's own output (--format json, result.json) is not one\n"
                )));
            }
            let partial = serde_json::from_value(value).map_err(|e| {
                Error::new(format!(
                    "{origin}: error: not a faultline partial result of this kind: {e}\n  = hint: merge the partials of one command: every shard of a run, or every shard of a sweep\n"
                ))
            })?;
            Ok((origin, partial))
        })
        .collect()
}

/// Merges a sweep's shards and prints the sweep.
fn merge_sweep(args: &MergeArgs, values: Vec<(String, serde_json::Value)>) -> Result<ExitCode, Error> {
    if !matches!(args.format, Format::Table | Format::Json) {
        return Err(Error::new(
            "error: a sweep prints --format table or json\n  = hint: these partials are a sweep's shards; `sweep` has no csv or markdown\n",
        ));
    }
    let merged = shard::merge_sweeps(typed::<SweepPartial>(values)?)
        .map_err(|e| Error::new(format!("error: {e}\n")))?;
    let sweeps: Vec<crate::analysis::sweep::Sweep> = merged
        .designs
        .into_iter()
        .map(|(name, outcomes)| crate::analysis::sweep::finish(&name, outcomes))
        .collect();
    let report = crate::report::sweep::Sweeps {
        scenario: &merged.scenario.name,
        architectures: &sweeps,
        duration_s: merged.sweep.duration_ms as f64 / 1000.0,
        order: merged.sweep.order,
        top: args.top,
    };
    output::render(&report, args.format)
}

/// Writes a sweep's shard: per chosen design, its share of the injections and their outcomes.
pub(super) fn emit_sweep(
    file: &Path,
    system: &System,
    (sweep, selected): (shard::SweepOptions, &[usize]),
    shard: Shard,
    emit: &Path,
    pool: &rayon::ThreadPool,
) -> Result<ExitCode, Error> {
    let origin = file.display().to_string();
    // The text the partial carries is read before the sweep: the one that ran.
    let scenario = scenario_text(file, system)?;
    let duration = SimTime(sweep.duration_ms);
    let progress = Progress::counting(0, false, "injections");
    let designs = selected
        .iter()
        .map(|&i| {
            let arch = &system.architectures[i];
            let sets = crate::analysis::sweep::injection_sets(arch, sweep.order as usize);
            let (first, end) = shard.range(sets.len() as u64);
            let injections = pool.install(|| {
                crate::analysis::sweep::sweep_sets(
                    arch,
                    &sets[first as usize..end as usize],
                    duration,
                    &|done, total| {
                        progress.set_total(total);
                        progress.update(done, &arch.name);
                    },
                )
            });
            SweepDesign { name: arch.name.clone(), sets: [first, end, sets.len() as u64], injections }
        })
        .collect();
    progress.finish();
    let partial = SweepPartial {
        faultline_sweep_partial: shard::SWEEP_FORMAT,
        faultline: env!("CARGO_PKG_VERSION").to_string(),
        stream_version: crate::rng::STREAM_VERSION,
        scenario,
        sweep,
        shard,
        designs,
    };
    write_partial(&partial, emit)?;
    output::print(&format!("{origin}: sweep shard {shard} written to {}\n", emit.display()))
}

/// The scenario of `file` as a partial carries it (read capped, as the compiler read it).
fn scenario_text(file: &Path, system: &System) -> Result<ScenarioText, Error> {
    let bytes = crate::scenario::read_capped(file)
        .map_err(|e| Error::at(file, format!("cannot read the file: {e}")))?;
    let sha256 = super::run::sha256_hex_of(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| Error::at(file, "not UTF-8 text"))?;
    Ok(ScenarioText { name: system.name.clone(), sha256, file: file.display().to_string(), text })
}

/// Writes a partial as JSON to `emit`, replacing it whole.
fn write_partial<T: serde::Serialize>(partial: &T, emit: &Path) -> Result<(), Error> {
    let json = serde_json::to_vec(partial).map_err(|e| Error::new(format!("error: {e}\n")))?;
    atomic::write(emit, &json).map_err(|e| Error::at(emit, e))
}
