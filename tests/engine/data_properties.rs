//! Property tests of the data model (fixed proptest seed, no persistence, so CI is
//! reproducible).
//!
//! Adding a replica never raises realised RPO: a scripted history (`random: false`) where the
//! holder's volume is lost once, with any backup schedule, any replicas (sync or async, each
//! possibly down for a while before the loss) and a possibly wiped backup store, is run with
//! and without one more replica. The loss's RPO with it is at most the RPO without it (an
//! unrecoverable loss counting as infinite). Only that first loss is compared: what a
//! promotion does afterwards differs by design.

use faultline::engine::{Prepared, Recorder, RunParams, Simulator};
use faultline::model::compile_str;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

#[derive(Clone, Debug)]
struct Replica {
    /// Lag in minutes; 0 is `Sync`.
    lag_min: u64,
    /// Host down (copy kept) for this many hours, ending this many hours before the loss
    /// (None: never down).
    down: Option<(u64, u64)>,
}

#[derive(Clone, Debug)]
struct History {
    backup: Option<(u64, u64, u64)>, // every h, takes min, offset h
    wipe_store_at_h: Option<u64>,
    replicas: Vec<Replica>,
    extra: Replica,
    loss_at_h: u64,
}

fn replica() -> impl Strategy<Value = Replica> {
    (0u64..180, prop::option::of((1u64..48, 0u64..24))).prop_map(|(lag_min, down)| Replica { lag_min, down })
}

fn history() -> impl Strategy<Value = History> {
    (
        prop::option::of((1u64..48, 0u64..50, 0u64..24)),
        prop::option::of(1u64..300),
        prop::collection::vec(replica(), 0..3),
        replica(),
        100u64..400,
    )
        .prop_map(|(backup, wipe_store_at_h, replicas, extra, loss_at_h)| History {
            backup: backup.map(|(every, takes, offset)| (every, takes.min(every * 60 - 1), offset)),
            wipe_store_at_h: wipe_store_at_h.filter(|&w| w < loss_at_h),
            replicas,
            extra,
            loss_at_h,
        })
}

/// The scenario text, with or without the extra replica.
fn scenario(h: &History, with_extra: bool) -> String {
    let mut components = vec![
        r#"(name: "db", kind: Database, recover: Repair("1h"),
            modes: [(name: "volume-loss", fail: Never, loses_data: true)])"#
            .to_string(),
        r#"(name: "s3", kind: Storage, recover: Repair("1h"),
            modes: [(name: "wipe", fail: Never, loses_data: true)])"#
            .to_string(),
        r#"(name: "app", kind: Instance, fail: Never, needs: All(["orders"]))"#.to_string(),
    ];
    let mut injections =
        vec![format!(r#"(target: "db", at: "{}h", duration: "1h", mode: "volume-loss")"#, h.loss_at_h)];
    if let Some(w) = h.wipe_store_at_h {
        injections.push(format!(r#"(target: "s3", at: "{w}h", duration: "1h", mode: "wipe")"#));
    }
    let all: Vec<&Replica> = h.replicas.iter().chain(with_extra.then_some(&h.extra)).collect();
    let mut replicas = Vec::new();
    for (k, r) in all.iter().enumerate() {
        components.push(format!(r#"(name: "r{k}", kind: Database, fail: Never)"#));
        let mode =
            if r.lag_min == 0 { "Sync".to_string() } else { format!(r#"Async(lag: "{}m")"#, r.lag_min) };
        replicas.push(format!(r#"(on: "r{k}", mode: {mode})"#));
        if let Some((hours, before)) = r.down {
            let start = h.loss_at_h.saturating_sub(before + hours).max(1);
            injections.push(format!(r#"(target: "r{k}", at: "{start}h", duration: "{hours}h")"#));
        }
    }
    let backups = match h.backup {
        Some((every, takes, offset)) => format!(
            r#"backups: [(every: "{every}h", to: "s3", restore: "1h", takes: "{}", offset: "{offset}h")],"#,
            if takes == 0 { "0s".to_string() } else { format!("{takes}m") }
        ),
        None => String::new(),
    };
    let promote = if replicas.is_empty() { "" } else { r#"promote: "5m", resync: "1h","# };
    format!(
        r#"(name: "p", horizon: "30d", random: false,
            architectures: [(name: "a", service: "app", components: [{}],
                data: [(name: "orders", holder: "db", replicas: [{}], {backups} {promote})])],
            injections: [{}])"#,
        components.join(", "),
        replicas.join(", "),
        injections.join(", ")
    )
}

/// The first loss's RPO in ms (`u64::MAX` if unrecoverable).
fn first_rpo(text: &str) -> u64 {
    let system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}\n{text}")).system;
    let arch = &system.architectures[0];
    let params = RunParams { seed: system.seed, horizon: system.horizon, random: false };
    let prepared = Prepared::new(arch, params);
    let mut recorder = Recorder::default();
    Simulator::new(&prepared).run(0, &mut recorder);
    let loss = recorder.losses.first().unwrap_or_else(|| panic!("the scripted loss happened:\n{text}"));
    loss.rpo.map_or(u64::MAX, |t| t.0)
}

proptest! {
    #![proptest_config(Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0xDA7A_0001),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn adding_a_replica_never_raises_realised_rpo(h in history()) {
        let without = first_rpo(&scenario(&h, false));
        let with = first_rpo(&scenario(&h, true));
        prop_assert!(with <= without, "RPO {with} ms with the extra replica, {without} ms without");
    }
}
