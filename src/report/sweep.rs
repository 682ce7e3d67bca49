//! `sweep`'s outputs: per architecture, its single points of failure and the injections that
//! took the service down or lost data, by impact (a table), or everything (JSON).

use std::fmt::Write as _;

use serde::Serialize;

use super::finite::check;
use super::format::duration_s;
use super::json::{NonFinite, pretty};
use crate::analysis::sweep::Sweep;
use crate::time::SimTime;

/// The sweeps of a scenario's architectures, as every renderer takes them.
#[derive(Clone, Debug, Serialize)]
pub struct Sweeps<'a> {
    /// The scenario's name.
    #[serde(skip)]
    pub scenario: &'a str,
    /// One per architecture swept, in file order.
    pub architectures: &'a [Sweep],
    /// How long each injected failure lasted `[s]`.
    pub duration_s: f64,
    /// 1: each component alone; 2: also every pair.
    pub order: u64,
    /// The table's most harmful injections per architecture (the JSON has them all).
    #[serde(skip)]
    pub top: usize,
}

/// For a terminal: at most `top` harmful injections per architecture.
pub fn table(sweeps: &Sweeps<'_>) -> String {
    let duration = SimTime(libm::round(sweeps.duration_s * 1000.0) as u64);
    let mut out = format!("{}: each failure injected for {duration}, random failures off\n", sweeps.scenario);
    for s in sweeps.architectures {
        let spofs = if s.spofs.is_empty() { "none".into() } else { s.spofs.join(", ") };
        let _ = writeln!(out, "\n{}: single points of failure: {spofs}", s.name);
        for o in s.injections.iter().filter(|o| o.down || o.data_lost).take(sweeps.top) {
            let targets: Vec<String> = o
                .targets
                .iter()
                .zip(&o.modes)
                .map(|(t, m)| m.as_ref().map_or(t.clone(), |m| format!("{t} ({m})")))
                .collect();
            let _ = write!(
                out,
                "  {:<40} down {:>10}  ended by {}",
                targets.join(" + "),
                duration_s(o.downtime_s),
                o.ended_by.unwrap_or("-")
            );
            if o.unrecoverable > 0 {
                out.push_str("; DATA LOST, no copy survived");
            } else if let Some(rpo) = o.rpo_s {
                let _ = write!(out, "; data lost: RPO {}", duration_s(rpo));
            }
            out.push('\n');
        }
        let harmful = s.injections.iter().filter(|o| o.down || o.data_lost).count();
        if harmful > sweeps.top {
            let _ = writeln!(
                out,
                "  ({} more that took the service down or lost data; --top N lists more)",
                harmful - sweeps.top
            );
        }
        let harmless = s.injections.iter().filter(|o| !o.down && !o.data_lost).count();
        let _ = writeln!(
            out,
            "  ({harmless} of {} injections left the service up and lost no data)",
            s.injections.len()
        );
    }
    out
}

/// `{"architectures": [{"injections": [..], "name", "spofs"}], "duration_s", "order"}`: keys
/// in alphabetical order at every level, as this output has always had them.
pub fn json(sweeps: &Sweeps<'_>) -> Result<String, NonFinite> {
    check(sweeps)?;
    pretty(&serde_json::to_value(sweeps).expect("sweeps serialise"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sweep::sweep;

    const SCENARIO: &str = r#"(name: "sweep", horizon: "1y", replications: 1,
        profiles: { "m": (fail: Exp(mean: "1000h"), recover: Repair("1h")) },
        architectures: [
            (name: "single", service: "svc", components: [
                (name: "web", kind: Instance, profile: "m"), (name: "db", kind: Instance, profile: "m"),
                (name: "svc", kind: Group, needs: All(["web", "db"]))]),
            (name: "pair", service: "svc", components: [
                (name: "web-a", kind: Instance, profile: "m"), (name: "web-b", kind: Instance, profile: "m"),
                (name: "db", kind: Instance, profile: "m"),
                (name: "web", kind: Group, needs: Any(["web-a", "web-b"])),
                (name: "svc", kind: Group, needs: All(["web", "db"]))])])"#;

    #[test]
    fn table_and_json() {
        let system = crate::model::compile_str(SCENARIO).unwrap().system;
        let duration = SimTime(2 * 86_400_000);
        let swept: Vec<Sweep> = system.architectures.iter().map(|a| sweep(a, 1, duration)).collect();
        let sweeps = Sweeps {
            scenario: &system.name,
            architectures: &swept,
            duration_s: 172_800.0,
            order: 1,
            top: 10,
        };
        insta::assert_snapshot!("table", table(&sweeps));
        insta::assert_snapshot!("top_1", table(&Sweeps { top: 1, ..sweeps.clone() }));
        insta::assert_snapshot!("json", json(&sweeps).unwrap());
        let mut bad = swept.clone();
        bad[1].injections[0].downtime_s = f64::NAN;
        let bad = Sweeps { architectures: &bad, ..sweeps };
        assert_eq!(json(&bad).unwrap_err().path, "architectures[1].injections[0].downtime_s");
    }
}
