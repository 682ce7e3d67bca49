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
    /// The shard count.
    pub count: u64,
    /// Per design, in file order.
    pub designs: Vec<Design>,
}

/// Merges `partials` (each with the name of the file it came from, for errors) into the run
/// they split; an error says which files disagree and how, or which shards are missing.
pub fn merge(partials: Vec<(String, Partial)>) -> Result<Merged, String> {
    let Some((first_origin, first)) = partials.first() else {
        return Err("no partial result given".into());
    };
    for (origin, p) in &partials {
        if p.faultline_partial != FORMAT {
            return Err(format!(
                "{origin}: partial format {} (this faultline reads format {FORMAT})\n  = hint: run every shard and the merge with the same faultline",
                p.faultline_partial
            ));
        }
        let differ = |what: &str, a: String, b: String| {
            let verb = if what.ends_with('s') { "differ" } else { "differs" };
            Err(format!(
                "{origin}: {what} {verb} from {first_origin}'s: {b} against {a}\n  = hint: merge the shards of one run, made with the same faultline, scenario and options"
            ))
        };
        if p.faultline != first.faultline {
            return differ("the faultline version", first.faultline.clone(), p.faultline.clone());
        }
        if p.stream_version != first.stream_version {
            return differ(
                "the stream version",
                first.stream_version.to_string(),
                p.stream_version.to_string(),
            );
        }
        if p.scenario.sha256 != first.scenario.sha256 {
            return differ(
                "the scenario",
                format!("{} (SHA-256 {})", first.scenario.file, first.scenario.sha256),
                format!("{} (SHA-256 {})", p.scenario.file, p.scenario.sha256),
            );
        }
        if p.options != first.options {
            return differ("the run options", format!("{:?}", first.options), format!("{:?}", p.options));
        }
        if p.shard.count != first.shard.count {
            return differ(
                "the shard count",
                format!("{} shards", first.shard.count),
                format!("{} shards", p.shard.count),
            );
        }
    }
    let mut by_index: BTreeMap<u64, (&String, &Partial)> = BTreeMap::new();
    for (origin, p) in &partials {
        if let Some((other, _)) = by_index.insert(p.shard.index, (origin, p)) {
            return Err(format!(
                "shard {} is given twice: {other} and {origin}\n  = hint: give each shard's partial once",
                p.shard
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
    let mut designs: Vec<Design> = Vec::new();
    let mut next = 0;
    for (origin, p) in by_index.values() {
        let [start, end] = p.replications;
        let whole = |t: &Aggregate| t.first() == start && t.first() + t.replications() == end;
        if start != next || !p.designs.iter().all(|d| whole(&d.totals)) {
            return Err(format!(
                "{origin}: shard {} starts at replication {}, where the shards before it end at {next}\n  = hint: the file was edited or made by another tool",
                p.shard, p.replications[0]
            ));
        }
        next = p.replications[1];
        if designs.is_empty() {
            designs = p.designs.clone();
            continue;
        }
        if p.designs.len() != designs.len() || p.designs.iter().zip(&designs).any(|(a, b)| a.name != b.name) {
            return Err(format!("{origin}: its designs differ from {first_origin}'s"));
        }
        for (d, later) in designs.iter_mut().zip(&p.designs) {
            d.totals.merge(&later.totals);
        }
    }
    Ok(Merged { scenario: first.scenario.clone(), options: first.options.clone(), count, designs })
}

#[cfg(test)]
mod tests;
