//! Shards: one run split into N parts that run anywhere (the tasks of a cluster scheduler's
//! job array) and merge into exactly the bytes of the run on one machine.
//!
//! **Which replications.** Shard I of N (0 <= I < N) runs replications
//! `floor(I R / N) .. floor((I + 1) R / N)` of the R the run has, for every design: contiguous
//! blocks that together are 0..R, each once ([`Shard::range`]). Replication r is the same
//! replication wherever it runs (its random streams depend on its number only), and every
//! total a design's statistics come from is an exact integer (`metrics::Aggregate`), so the
//! merged totals are those of one run, to the bit.
//!
//! **The partial file** (`--emit FILE`) is JSON, [`Partial`]: `faultline_partial` (the format
//! version, [`FORMAT`]), the faultline version and stream version, the scenario (name,
//! SHA-256, the path as given, and its text, so that `merge` needs no other file), the run
//! options given (`--seed`, `--replications`, `--horizon`, `--arch`), the shard (index, count,
//! replications), and per design its totals: counts, integer sums, the RTO and RPO log-bucket
//! histograms, the problems. Nothing per incident or per replication: a shard of bench-tiers
//! takes a few kB whatever its replications.
//!
//! **Merging** ([`merge`]) refuses partials that do not make one run: another format, faultline
//! or stream version, scenario, seed or run options, a shard count that differs, a shard given
//! twice or missing. Shards run with a precision or a rare-event method are refused when they
//! are asked for (`cli`): where such a run stops depends on all of its replications.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::metrics::Aggregate;

/// The version of the partial-file format.
pub const FORMAT: u32 = 1;

/// Shard `index` of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Its index, below `count`.
    pub index: u64,
    /// How many shards the run is split into, >= 1.
    pub count: u64,
}

impl FromStr for Shard {
    type Err = String;

    /// `I/N` with 0 <= I < N.
    fn from_str(text: &str) -> Result<Shard, String> {
        let usage =
            || format!("expected I/N with 0 <= I < N (shard I of N, from 0), such as 0/4, got `{text}`");
        let (i, n) = text.split_once('/').ok_or_else(usage)?;
        let (index, count) = (i.trim().parse::<u64>(), n.trim().parse::<u64>());
        match (index, count) {
            (Ok(index), Ok(count)) if count >= 1 && index < count => Ok(Shard { index, count }),
            _ => Err(usage()),
        }
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The replications of this shard out of `replications`: `floor(I R / N) .. floor((I + 1)
    /// R / N)`.
    pub fn range(self, replications: u64) -> (u64, u64) {
        let at = |k: u64| (u128::from(k) * u128::from(replications) / u128::from(self.count)) as u64;
        (at(self.index), at(self.index + 1))
    }
}

/// A shard's partial result (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partial {
    /// The format version, [`FORMAT`].
    pub faultline_partial: u32,
    /// The faultline version that wrote it.
    pub faultline: String,
    /// The random streams' version.
    pub stream_version: u32,
    /// The scenario.
    pub scenario: ScenarioText,
    /// The run options given on the command line.
    pub options: Options,
    /// Which shard.
    pub shard: Shard,
    /// Its replications, `first..end`.
    pub replications: [u64; 2],
    /// Per design run, in file order: its name and totals.
    pub designs: Vec<Design>,
}

/// The scenario a partial ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioText {
    /// Its `name`.
    pub name: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Its path as given to the command (what `report` names folders and commands after).
    pub file: String,
    /// Its text.
    pub text: String,
}

/// The run options that replace scenario values, as given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--replications`.
    pub replications: Option<u64>,
    /// `--horizon` `[ms]`.
    pub horizon_ms: Option<u64>,
    /// `--arch`, in the order given (empty: every design).
    pub archs: Vec<String>,
}

impl Options {
    /// The options as given on the command line (`--seed 5 --replications 1200`), or `none`.
    pub fn args(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        if let Some(seed) = self.seed {
            out.push(format!("--seed {seed}"));
        }
        if let Some(n) = self.replications {
            out.push(format!("--replications {n}"));
        }
        if let Some(h) = self.horizon_ms {
            out.push(format!("--horizon {}", crate::time::SimTime(h)));
        }
        out.extend(self.archs.iter().map(|a| format!("--arch {a}")));
        if out.is_empty() { "none".into() } else { out.join(" ") }
    }
}

/// One design's totals over a shard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// The design's name.
    pub name: String,
    /// Its totals.
    pub totals: Aggregate,
}

/// What merged partials make: the run they came from and each design's totals over every
/// replication.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// The scenario.
    pub scenario: ScenarioText,
    /// The run options.
    pub options: Options,
    /// Per design, in file order.
    pub designs: Vec<Design>,
}

/// What must be the same in every partial of one run, and which shard each is.
struct Key<'a> {
    format: (u32, u32),
    faultline: &'a str,
    stream_version: u32,
    scenario: &'a ScenarioText,
    options: String,
    shard: Shard,
}

/// What merging reads of a partial of either kind (a run's, a sweep's).
trait Part {
    /// What must be the same in every shard, and which shard it is.
    fn key(&self) -> Key<'_>;
    /// Its designs' names, in order.
    fn names(&self) -> impl Iterator<Item = &str>;
}

impl Part for Partial {
    fn key(&self) -> Key<'_> {
        Key {
            format: (self.faultline_partial, FORMAT),
            faultline: &self.faultline,
            stream_version: self.stream_version,
            scenario: &self.scenario,
            options: self.options.args(),
            shard: self.shard,
        }
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.designs.iter().map(|d| d.name.as_str())
    }
}

impl Part for SweepPartial {
    fn key(&self) -> Key<'_> {
        Key {
            format: (self.faultline_sweep_partial, SWEEP_FORMAT),
            faultline: &self.faultline,
            stream_version: self.stream_version,
            scenario: &self.scenario,
            options: self.sweep.args(),
            shard: self.shard,
        }
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.designs.iter().map(|d| d.name.as_str())
    }
}

/// Checks that `partials` (each with the name of its file) are the shards of one run, each
/// once, none missing, all with the same designs; returns their positions in shard order.
fn one_run<P: Part>(partials: &[(String, P)]) -> Result<Vec<usize>, String> {
    let keys: Vec<(&String, Key<'_>)> = partials.iter().map(|(origin, p)| (origin, p.key())).collect();
    let Some((first_origin, first)) = keys.first() else {
        return Err("no partial result given".into());
    };
    for (origin, k) in &keys {
        let (format, reads) = k.format;
        if format != reads {
            return Err(format!(
                "{origin}: partial format {format} (this faultline reads format {reads})\n  = hint: run every shard and the merge with the same faultline"
            ));
        }
        let differ = |what: &str, a: String, b: String| {
            let verb = if what.ends_with('s') { "differ" } else { "differs" };
            Err(format!(
                "{origin}: {what} {verb} from {first_origin}'s: {b} against {a}\n  = hint: merge the shards of one run, made with the same faultline, scenario and options"
            ))
        };
        if k.faultline != first.faultline {
            return differ("the faultline version", first.faultline.to_string(), k.faultline.to_string());
        }
        if k.stream_version != first.stream_version {
            return differ(
                "the stream version",
                first.stream_version.to_string(),
                k.stream_version.to_string(),
            );
        }
        if k.scenario.sha256 != first.scenario.sha256 {
            let id = |s: &ScenarioText| format!("{} (SHA-256 {})", s.file, s.sha256);
            return differ("the scenario", id(first.scenario), id(k.scenario));
        }
        if k.options != first.options {
            return differ("the run options", first.options.clone(), k.options.clone());
        }
        if k.shard.count != first.shard.count {
            return differ(
                "the shard count",
                format!("{} shards", first.shard.count),
                format!("{} shards", k.shard.count),
            );
        }
    }
    let mut by_index: BTreeMap<u64, (usize, &String)> = BTreeMap::new();
    for (position, (origin, k)) in keys.iter().enumerate() {
        if let Some((_, other)) = by_index.insert(k.shard.index, (position, origin)) {
            return Err(format!(
                "shard {} is given twice: {other} and {origin}\n  = hint: give each shard's partial once",
                k.shard
            ));
        }
    }
    let count = first.shard.count;
    let missing: Vec<String> =
        (0..count).filter(|i| !by_index.contains_key(i)).map(|i| i.to_string()).collect();
    if !missing.is_empty() {
        return Err(format!(
            "shard{} {} of {count} missing\n  = hint: every shard 0/{count} to {}/{count} must be merged; rerun the missing ones",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            count - 1
        ));
    }
    let order: Vec<usize> = by_index.values().map(|&(position, _)| position).collect();
    let (first_origin, first) = &partials[order[0]];
    for (origin, p) in partials {
        if !p.names().eq(first.names()) {
            return Err(format!("{origin}: its designs differ from {first_origin}'s"));
        }
    }
    Ok(order)
}

/// Merges `partials` (each with the name of the file it came from, for errors) into the run
/// they split; an error says which files disagree and how, or which shards are missing.
pub fn merge(partials: Vec<(String, Partial)>) -> Result<Merged, String> {
    let order = one_run(&partials)?;
    let mut designs: Vec<Design> = Vec::new();
    let mut next = 0;
    for &k in &order {
        let (origin, p) = &partials[k];
        let [start, end] = p.replications;
        let edited = "\n  = hint: the file was edited or made by another tool";
        if start != next {
            return Err(format!(
                "{origin}: shard {} starts at replication {start}, where the shards before it end at {next}{edited}",
                p.shard
            ));
        }
        let whole = |t: &Aggregate| t.first() == start && t.first() + t.replications() == end;
        if let Some(d) = p.designs.iter().find(|d| !whole(&d.totals)) {
            return Err(format!(
                "{origin}: the totals of `{}` are of {} replications from {}, not of the shard's {start} to {end}{edited}",
                d.name,
                d.totals.replications(),
                d.totals.first()
            ));
        }
        next = end;
        if designs.is_empty() {
            designs = p.designs.clone();
            continue;
        }
        for (d, later) in designs.iter_mut().zip(&p.designs) {
            d.totals.merge(&later.totals);
        }
    }
    let (_, first) = &partials[order[0]];
    Ok(Merged { scenario: first.scenario.clone(), options: first.options.clone(), designs })
}

/// The version of the partial-sweep format.
pub const SWEEP_FORMAT: u32 = 1;

/// A shard of a sweep: per design, its run of the injections (`analysis::sweep::injection_sets`
/// order, split as replications are) and what each did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepPartial {
    /// The format version, [`SWEEP_FORMAT`].
    pub faultline_sweep_partial: u32,
    /// The faultline version that wrote it.
    pub faultline: String,
    /// The random streams' version (the sweep draws none; kept for the same checks).
    pub stream_version: u32,
    /// The scenario.
    pub scenario: ScenarioText,
    /// The sweep's options.
    pub sweep: SweepOptions,
    /// Which shard.
    pub shard: Shard,
    /// Per design swept, in file order.
    pub designs: Vec<SweepDesign>,
}

/// What a sweep was asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepOptions {
    /// `--order`.
    pub order: u64,
    /// `--duration` `[ms]`.
    pub duration_ms: u64,
    /// `--arch`, as given.
    pub archs: Vec<String>,
}

impl SweepOptions {
    /// The options as given on the command line (`--order 2 --duration 30d`).
    pub fn args(&self) -> String {
        let mut out = format!("--order {} --duration {}", self.order, crate::time::SimTime(self.duration_ms));
        for a in &self.archs {
            out.push_str(&format!(" --arch {a}"));
        }
        out
    }
}

/// One design's run of injections in a sweep shard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepDesign {
    /// The design.
    pub name: String,
    /// Its injections `first..end` of `of`.
    pub sets: [u64; 3],
    /// What each did, in order.
    pub injections: Vec<crate::analysis::sweep::Outcome>,
}

/// A whole sweep from its shards: per design, every injection's outcome in order.
#[derive(Clone, Debug, PartialEq)]
pub struct MergedSweep {
    /// The scenario.
    pub scenario: ScenarioText,
    /// The sweep's options.
    pub sweep: SweepOptions,
    /// Per design: its name and outcomes.
    pub designs: Vec<(String, Vec<crate::analysis::sweep::Outcome>)>,
}

/// Merges the shards of a sweep, refusing as [`merge`] does.
pub fn merge_sweeps(partials: Vec<(String, SweepPartial)>) -> Result<MergedSweep, String> {
    let order = one_run(&partials)?;
    let (_, first) = &partials[order[0]];
    let mut designs: Vec<(String, Vec<crate::analysis::sweep::Outcome>)> =
        first.designs.iter().map(|d| (d.name.clone(), Vec::new())).collect();
    for &k in &order {
        let (origin, p) = &partials[k];
        for (d, part) in designs.iter_mut().zip(&p.designs) {
            let [start, end, of] = part.sets;
            let expected = p.shard.range(of);
            if d.1.len() as u64 != start
                || (start, end) != expected
                || part.injections.len() as u64 != end - start
            {
                return Err(format!(
                    "{origin}: shard {} of `{}` holds injections {start} to {end} of {of}, not its share\n  = hint: the file was edited or made by another tool",
                    p.shard, part.name
                ));
            }
            d.1.extend(part.injections.iter().cloned());
        }
    }
    Ok(MergedSweep { scenario: first.scenario.clone(), sweep: first.sweep.clone(), designs })
}

#[cfg(test)]
mod tests;
