//! Datasets under scripted failures (`random: false`, fixed delays): every data-loss event's
//! realised RPO, where it was recovered from, and the incidents' lengths and labels are known
//! exactly.

use faultline::engine::{
    Cause, DataLoss, Incident, Label, Mode, Prepared, Recorder, RunParams, Simulator, Source, Store,
};
use faultline::model::{Architecture, compile_str};
use faultline::time::{MS_PER_HOUR, MS_PER_MINUTE, SimTime};

/// Compiles a scenario and runs replication 0 of each architecture.
fn run_all(text: &str) -> Vec<(Architecture, Vec<Incident>, Vec<DataLoss>)> {
    let system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let params = RunParams::of(&system);
    system
        .architectures
        .into_iter()
        .map(|arch| {
            let mut recorder = Recorder::default();
            let prepared = Prepared::new(&arch, params);
            Simulator::new(&prepared).run(0, &mut recorder);
            let Recorder { incidents, losses, .. } = recorder;
            (arch, incidents, losses)
        })
        .collect()
}

/// The one architecture's run.
fn run(text: &str) -> (Architecture, Vec<Incident>, Vec<DataLoss>) {
    run_all(text).into_iter().next().unwrap()
}

/// A scenario of three AZs (each with a data-destroying `fire` mode for injections), the given
/// components, dataset(s) and injections; `app` needs the dataset `orders` and is the service.
fn scenario(components: &str, data: &str, injections: &str) -> String {
    format!(
        r#"(name: "d", horizon: "30d", random: false,
            profiles: {{"az": (modes: [(name: "fire", fail: Never, loses_data: true)], recover: Repair("1h"))}},
            shared: [
                (name: "az1", kind: Az, profile: "az"),
                (name: "az2", kind: Az, profile: "az"),
                (name: "az3", kind: Az, profile: "az"),
            ],
            architectures: [(name: "a", components: [{components}
                (name: "app", kind: Instance, fail: Never, needs: All(["orders"]))],
                data: [{data}], service: "app")],
            injections: [{injections}])"#
    )
}

const DBS: &str = r#"
    (name: "db-a", kind: Database, fail: Never, needs: All(["az1"])),
    (name: "db-b", kind: Database, fail: Never, needs: All(["az2"])),
    (name: "db-c", kind: Database, fail: Never, needs: All(["az3"])),
    (name: "s3", kind: Storage, fail: Never, needs: Any(["az1", "az2", "az3"])),
"#;

fn h(hours: u64) -> SimTime {
    SimTime(hours * MS_PER_HOUR)
}

fn m(minutes: u64) -> SimTime {
    SimTime(minutes * MS_PER_MINUTE)
}

fn fire(az: &str, at: &str, duration: &str) -> String {
    format!(r#"(target: "{az}", at: "{at}", duration: "{duration}", mode: "fire"),"#)
}

fn injected_fire(arch: &Architecture, az: &str) -> Cause {
    Cause { component: arch.find(az).unwrap(), mode: Mode::InjectedNamed(0) }
}

/// (start, end, label) of each incident.
fn spans(incidents: &[Incident]) -> Vec<(SimTime, SimTime, Option<Label>)> {
    incidents.iter().map(|i| (i.start, i.end, i.label)).collect()
}

#[test]
fn an_async_replica_loses_exactly_its_lag() {
    let data = r#"(name: "orders", holder: "db-a", replicas: [(on: "db-b", mode: Async(lag: "30s"))],
                   promote: "5m", resync: "1h")"#;
    let (arch, incidents, losses) = run(&scenario(DBS, data, &fire("az1", "100h", "6h")));
    assert_eq!(losses.len(), 1);
    let loss = losses[0];
    assert_eq!((loss.at, loss.rpo, loss.from), (h(100), Some(SimTime(30_000)), Some(Source::Replica)));
    assert_eq!(loss.cause, injected_fire(&arch, "az1"));
    assert_eq!(spans(&incidents), [(h(100), h(100).saturating_add(m(5)), Some(Label::Promote))]);
    assert_eq!(incidents[0].cause, injected_fire(&arch, "az1"));
}

#[test]
fn a_sync_replica_loses_nothing_but_the_loss_is_still_an_event() {
    let data = r#"(name: "orders", holder: "db-a", replicas: [(on: "db-b", mode: Sync)],
                   promote: "2m", resync: "1h")"#;
    let (_, incidents, losses) = run(&scenario(DBS, data, &fire("az1", "100h", "6h")));
    assert_eq!(losses.len(), 1);
    assert_eq!((losses[0].rpo, losses[0].from), (Some(SimTime::ZERO), Some(Source::Replica)));
    assert_eq!(spans(&incidents), [(h(100), h(100).saturating_add(m(2)), Some(Label::Promote))]);
}

#[test]
fn a_replica_down_before_the_loss_adds_its_downtime_and_is_promoted_once_back() {
    let data = r#"(name: "orders", holder: "db-a", replicas: [(on: "db-b", mode: Async(lag: "30s"))],
                   promote: "5m", resync: "1h")"#;
    // db-b is down (its copy kept) from 100 h to 110 h; the primary burns at 103 h.
    let injections =
        format!(r#"(target: "db-b", at: "100h", duration: "10h"), {}"#, fire("az1", "103h", "20h"));
    let (_, incidents, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!(losses.len(), 1);
    assert_eq!(losses[0].rpo, Some(h(3).saturating_add(SimTime(30_000))), "D + lag");
    assert_eq!(spans(&incidents), [(h(103), h(110).saturating_add(m(5)), Some(Label::Promote))]);
}

#[test]
fn writes_stop_while_the_holder_is_down() {
    let data = r#"(name: "orders", holder: "db-a", backups: [(every: "1d", to: "s3", restore: "2h")])"#;
    // db-a is down from 100 h (no data lost), its AZ burns at 103 h: the last write was at
    // 100 h and the newest backup started at 96 h.
    let injections =
        format!(r#"(target: "db-a", at: "100h", duration: "6h"), {}"#, fire("az1", "103h", "1h"));
    let (_, incidents, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!((losses[0].rpo, losses[0].from), (Some(h(4)), Some(Source::Backup)));
    // Down from 100 h; the restore starts when db-a is back (106 h) and takes 2 h.
    assert_eq!(spans(&incidents), [(h(100), h(108), Some(Label::Restore))]);
}

#[test]
fn a_backup_due_while_the_dataset_is_down_is_skipped() {
    let data = r#"(name: "orders", holder: "db-a", backups: [(every: "1d", to: "s3", restore: "2h")])"#;
    // Down from 95 h to 97 h over the 96 h backup: the newest at 100 h is the 72 h one.
    let injections = format!(r#"(target: "db-a", at: "95h", duration: "2h"), {}"#, fire("az1", "100h", "1h"));
    let (_, _, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!(losses[0].rpo, Some(h(28)));
}

#[test]
fn a_backup_is_usable_only_once_it_has_taken_its_time() {
    let data =
        r#"(name: "orders", holder: "db-a", backups: [(every: "1d", to: "s3", restore: "2h", takes: "3h")])"#;
    // At 98 h the 96 h backup is still being taken: the 72 h one is used.
    let (_, _, early) = run(&scenario(DBS, data, &fire("az1", "98h", "1h")));
    assert_eq!(early[0].rpo, Some(h(26)));
    // At 99 h it is complete.
    let (_, _, late) = run(&scenario(DBS, data, &fire("az1", "99h", "1h")));
    assert_eq!(late[0].rpo, Some(h(3)));
}

#[test]
fn a_five_minute_cadence_skips_the_starts_while_its_store_is_down() {
    let data = r#"(name: "orders", holder: "db-a",
                   backups: [(every: "5m", to: "s3", restore: "2h", takes: "2m")])"#;
    // s3 is down over [100 h 05, 100 h 25): the start at 100 h 05 sees it down, the one at
    // 100 h 25 sees it back; the one at 100 h 30 is usable from 100 h 32.
    let rpo_at = |minutes: u64| {
        let at = h(100).saturating_add(m(minutes));
        let injections = format!(
            r#"(target: "s3", at: "100h5m", duration: "20m"), (target: "az1", at: "{}ms", duration: "1h", mode: "fire"),"#,
            at.0
        );
        let (_, _, losses) = run(&scenario(DBS, data, &injections));
        assert_eq!((losses.len(), losses[0].from), (1, Some(Source::Backup)), "{losses:?}");
        losses[0].rpo.unwrap()
    };
    assert_eq!(rpo_at(24), m(24), "the 100 h 00 backup");
    assert_eq!(rpo_at(31), m(6), "the 100 h 25 backup; 100 h 30 is still being taken");
    assert_eq!(rpo_at(32), m(2), "the 100 h 30 backup");
}

#[test]
fn a_backup_due_as_its_store_comes_back_through_an_instant_switch_sees_it_down() {
    // The store is a standby pair switching in no time. Both members are out from 10 h to
    // 12 h: at 12 h the members are back in the instant's first batch, the group in a second
    // one (its 0 s switch), so the 12 h backup, due in the first, is skipped like 10 h and 11 h:
    // a fire at 12 h 30 finds the 9 h backup.
    let components = format!(
        r#"{DBS}
        (name: "s3a", kind: Storage, fail: Never), (name: "s3b", kind: Storage, fail: Never),
        (name: "store", kind: Group, standby: (members: ["s3a", "s3b"], detect: "0s", switch: "0s")),"#
    );
    let data = r#"(name: "orders", holder: "db-a", backups: [(every: "1h", to: "store", restore: "2h")])"#;
    let injections = format!(
        r#"(target: Each(["s3a", "s3b"]), at: "10h", duration: "2h"), {}"#,
        fire("az1", "12h30m", "1h")
    );
    let (_, _, losses) = run(&scenario(&components, data, &injections));
    assert_eq!((losses.len(), losses[0].from), (1, Some(Source::Backup)), "{losses:?}");
    assert_eq!(losses[0].rpo, Some(h(3).saturating_add(m(30))));
}

#[test]
fn an_az_fire_destroys_the_copies_in_that_az_only() {
    // A replica on another instance in az1 burns with the primary; the backups on a store that
    // needs Any of the AZs survive; a store that needs az1 itself does not.
    let components = format!(
        r#"{DBS}
        (name: "db-a2", kind: Database, fail: Never, needs: All(["az1"])),
        (name: "nfs", kind: Storage, fail: Never, needs: All(["az1"])),"#
    );
    let regional = r#"(name: "orders", holder: "db-a", replicas: [(on: "db-a2", mode: Sync)],
                       backups: [(every: "1d", to: "s3", restore: "2h")], promote: "5m", resync: "1h")"#;
    let (_, incidents, losses) = run(&scenario(&components, regional, &fire("az1", "100h", "6h")));
    assert_eq!(losses.len(), 1);
    assert_eq!((losses[0].rpo, losses[0].from), (Some(h(4)), Some(Source::Backup)));
    assert_eq!(spans(&incidents), [(h(100), h(108), Some(Label::Restore))]);

    let zonal = r#"(name: "orders", holder: "db-a", backups: [(every: "1d", to: "nfs", restore: "2h")])"#;
    let (_, incidents, losses) = run(&scenario(&components, zonal, &fire("az1", "100h", "6h")));
    assert_eq!(losses.len(), 1);
    let loss = losses[0];
    assert_eq!(
        (loss.rpo, loss.from, loss.lost_span, loss.lost_writes),
        (None, None, h(100), h(100)),
        "unrecoverable: all 100 h lost"
    );
    // Recreated empty after the restore delay, once the holder is back.
    assert_eq!(spans(&incidents), [(h(100), h(108), Some(Label::Recreate))]);
}

#[test]
fn a_backup_store_lost_before_the_primary_makes_the_loss_unrecoverable() {
    let components = DBS.replace(
        r#"(name: "s3", kind: Storage, fail: Never, needs: Any(["az1", "az2", "az3"])),"#,
        r#"(name: "s3", kind: Storage, modes: [(name: "wipe", fail: Never, loses_data: true)],
            recover: Repair("1h"), needs: Any(["az1", "az2", "az3"])),"#,
    );
    let data = r#"(name: "orders", holder: "db-a", backups: [(every: "1d", to: "s3", restore: "2h")])"#;
    // The store is wiped at 50 h; the primary burns at 60 h, before the next backup (72 h).
    let injections =
        format!(r#"(target: "s3", at: "50h", duration: "1h", mode: "wipe"), {}"#, fire("az1", "60h", "6h"));
    let (_, incidents, losses) = run(&scenario(&components, data, &injections));
    assert_eq!(losses.len(), 1);
    assert_eq!((losses[0].rpo, losses[0].lost_span), (None, h(60)));
    assert_eq!(spans(&incidents), [(h(60), h(68), Some(Label::Recreate))]);
    // Burnt again at 100 h: recreated at 68 h, backed up at 72 h and 96 h since.
    let injections = format!("{injections} {}", fire("az1", "100h", "1h"));
    let (_, _, losses) = run(&scenario(&components, data, &injections));
    assert_eq!(losses.len(), 2);
    assert_eq!((losses[1].rpo, losses[1].from), (Some(h(4)), Some(Source::Backup)));
}

#[test]
fn promotion_moves_the_holder_and_a_second_loss_before_resync_uses_the_next_copy() {
    let data = r#"(name: "orders", holder: "db-a",
                   replicas: [(on: "db-b", mode: Async(lag: "30s")), (on: "db-c", mode: Async(lag: "2m"))],
                   promote: "5m", resync: "10h")"#;
    // az1 burns at 100 h: db-b becomes the holder at 100 h 05; db-a is back at 106 h and
    // resyncs until 116 h. az2 burns at 110 h: db-a is still resyncing, so db-c is promoted.
    let injections = format!("{} {}", fire("az1", "100h", "6h"), fire("az2", "110h", "6h"));
    let (arch, incidents, losses) = run(&scenario(DBS, data, &injections));
    let rpos: Vec<_> = losses.iter().map(|l| (l.at, l.rpo, l.cause)).collect();
    assert_eq!(
        rpos,
        [
            (h(100), Some(SimTime(30_000)), injected_fire(&arch, "az1")),
            (h(110), Some(m(2)), injected_fire(&arch, "az2")),
        ]
    );
    assert_eq!(
        spans(&incidents),
        [
            (h(100), h(100).saturating_add(m(5)), Some(Label::Promote)),
            (h(110), h(110).saturating_add(m(5)), Some(Label::Promote))
        ]
    );
    // After the resync db-a is a replica in sync again: a third loss (az3, the holder's AZ
    // now) at 120 h promotes it with db-a's lag of 30 s (it took db-b's place).
    let injections = format!("{injections} {}", fire("az3", "120h", "1h"));
    let (_, _, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!(losses.len(), 3);
    assert_eq!((losses[2].at, losses[2].rpo), (h(120), Some(SimTime(30_000))));
}

#[test]
fn a_replica_losing_its_copy_while_the_primary_lives_is_no_data_loss() {
    let data = r#"(name: "orders", holder: "db-a", replicas: [(on: "db-b", mode: Async(lag: "30s"))],
                   promote: "5m", resync: "1h")"#;
    let (_, incidents, losses) = run(&scenario(DBS, data, &fire("az2", "100h", "6h")));
    assert!(losses.is_empty() && incidents.is_empty());
    // Once az2 is back (106 h) the replica resyncs for 1 h; a loss of the primary during the
    // resync has no replica to promote and no backup: unrecoverable.
    let injections = format!("{} {}", fire("az2", "100h", "6h"), fire("az1", "106h 30m", "1h"));
    let injections = injections.replace("106h 30m", "106.5h");
    let (_, _, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!((losses[0].rpo, losses[0].lost_span), (None, SimTime(106 * MS_PER_HOUR + 30 * MS_PER_MINUTE)));
}

#[test]
fn a_standby_holder_fails_over_to_a_synchronous_member_until_every_member_is_lost() {
    let components = format!(
        r#"{DBS}
        (name: "db", kind: Group, standby: (members: ["db-a", "db-b"], detect: "30s", switch: "1m")),"#
    );
    let data = r#"(name: "orders", holder: "db", backups: [(every: "1d", to: "s3", restore: "2h")])"#;
    // An outage of the active member's AZ: a failover (30 s + 1 min), no data-loss event.
    let outage = r#"(target: "az1", at: "100h", duration: "6h"),"#;
    let (_, incidents, losses) = run(&scenario(&components, data, outage));
    assert!(losses.is_empty());
    assert_eq!(spans(&incidents), [(h(100), h(100).saturating_add(SimTime(90_000)), Some(Label::Failover))]);
    // A fire there destroys the primary: db-b's synchronous copy loses nothing, but the loss
    // is still an event, recovered by the same failover.
    let (_, incidents, losses) = run(&scenario(&components, data, &fire("az1", "100h", "6h")));
    assert_eq!(losses.len(), 1);
    assert_eq!(
        (losses[0].at, losses[0].rpo, losses[0].lost_writes, losses[0].from),
        (h(100), Some(SimTime::ZERO), SimTime::ZERO, Some(Source::Failover))
    );
    assert_eq!(spans(&incidents), [(h(100), h(100).saturating_add(SimTime(90_000)), Some(Label::Failover))]);
    // Both members' AZs burn (az2 while az1 is still out): the primary is gone; the 96 h
    // backup is restored once the group is up again (az1 back at 106 h, then switch 1 min).
    let injections = format!("{} {}", fire("az1", "100h", "6h"), fire("az2", "101h", "20h"));
    let (_, incidents, losses) = run(&scenario(&components, data, &injections));
    assert_eq!(losses.len(), 2);
    // Writes stopped at 101 h when the group went down with db-b.
    assert_eq!((losses[1].at, losses[1].rpo, losses[1].from), (h(101), Some(h(5)), Some(Source::Backup)));
    let last = incidents.last().unwrap();
    assert_eq!(
        (last.start, last.end, last.label),
        (h(101), h(108).saturating_add(m(1)), Some(Label::Restore))
    );
}

#[test]
fn a_holder_down_before_its_loss_keeps_the_unshipped_tail_off_the_async_replica() {
    let data = r#"(name: "orders", holder: "db-a", replicas: [(on: "db-b", mode: Async(lag: "30s"))],
                   promote: "5m", resync: "1h")"#;
    // db-a stops at 100 h (copy kept), its AZ burns at 103 h: the replica holds the writes up
    // to 100 h minus its lag, whatever it did since.
    let injections =
        format!(r#"(target: "db-a", at: "100h", duration: "6h"), {}"#, fire("az1", "103h", "6h"));
    let (_, incidents, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!((losses[0].at, losses[0].rpo), (h(103), Some(SimTime(30_000))));
    assert_eq!(spans(&incidents), [(h(100), h(103).saturating_add(m(5)), Some(Label::Promote))]);
}

/// `db` fails over between db-a (az1), db-b (az2, an asynchronous replica, lag 1 s) and db-c
/// (az3, synchronous: not listed), in that order, with failback.
fn three_members(data_extra: &str) -> (String, String) {
    let components = format!(
        r#"{DBS}
        (name: "db", kind: Group, standby: (members: ["db-a", "db-b", "db-c"], detect: "30s", switch: "1m",
                                           failback: true)),"#
    );
    let data = format!(
        r#"(name: "orders", holder: "db", replicas: [(on: "db-b", mode: Async(lag: "1s"))],
            promote: "1m", resync: "1h"{data_extra})"#
    );
    (components, data)
}

#[test]
fn an_unplanned_failover_to_an_asynchronous_member_loses_its_lag() {
    let (components, data) = three_members("");
    // az1 is out from 100 h: after 30 s of detection the group switches to db-b (1 min), which
    // holds the writes up to 1 s before the last one db-a accepted (at 100 h): the loss is
    // recorded when the switch ends. Failing back to db-a when az1 returns (106 h) is planned:
    // nothing is lost.
    let outage = r#"(target: "az1", at: "100h", duration: "6h"),"#;
    let (arch, incidents, losses) = run(&scenario(&components, data.as_str(), outage));
    let at = h(100).saturating_add(SimTime(90_000));
    assert_eq!(losses.len(), 1, "{losses:?}");
    let loss = losses[0];
    assert_eq!(
        (loss.at, loss.rpo, loss.lost_writes, loss.from),
        (at, Some(SimTime(1000)), SimTime(1000), Some(Source::Failover))
    );
    assert_eq!(loss.cause, Cause { component: arch.find("az1").unwrap(), mode: Mode::Injected });
    assert_eq!(
        spans(&incidents),
        [
            (h(100), h(100).saturating_add(SimTime(90_000)), Some(Label::Failover)),
            (h(106), h(106).saturating_add(m(1)), Some(Label::Failover)),
        ]
    );
    // With db-b down, the group fails over to db-c, which is synchronous: nothing is lost.
    let injections = format!(r#"(target: "az2", at: "99h", duration: "10h"), {outage}"#);
    let (_, incidents, losses) = run(&scenario(&components, data.as_str(), &injections));
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(incidents[0].label, Some(Label::Failover));
}

#[test]
fn a_failover_to_a_member_that_fell_behind_loses_the_time_it_was_behind() {
    // Two members only: db-a and the asynchronous db-b, with a 30 min declaration.
    let components = format!(
        r#"{DBS}
        (name: "db", kind: Group, standby: (members: ["db-a", "db-b"], detect: "30m", switch: "1m")),"#
    );
    let data = r#"(name: "orders", holder: "db", replicas: [(on: "db-b", mode: Async(lag: "1s"))],
                   promote: "1m", resync: "10h")"#;
    let outage = r#"(target: "az1", at: "100h", duration: "6h"),"#;
    // db-b is down from 95 h to 100 h 15 min: it comes back while the primary is down, so it
    // cannot catch up; it holds the writes up to 95 h less its lag: RPO 5 h + 1 s.
    let injections = format!(r#"(target: "az2", at: "95h", duration: "5.25h"), {outage}"#);
    let (_, _, losses) = run(&scenario(&components, data, &injections));
    let behind = h(5).saturating_add(SimTime(1000));
    assert_eq!(
        (losses[0].at, losses[0].rpo, losses[0].lost_writes),
        (h(100).saturating_add(m(31)), Some(behind), behind)
    );
    // Back at 99 h instead, it caught up before the outage: only its lag is lost.
    let injections = format!(r#"(target: "az2", at: "95h", duration: "4h"), {outage}"#);
    let (_, _, losses) = run(&scenario(&components, data, &injections));
    assert_eq!(losses[0].rpo, Some(SimTime(1000)));
    // Still resyncing: its copy burnt at 90 h, az2 was back at 91 h and the resync (10 h) began
    // then; the failover at 100 h 30 min finds it as of 91 h, less its lag.
    let injections = format!("{} {outage}", fire("az2", "90h", "1h"));
    let (_, _, losses) = run(&scenario(&components, data, &injections));
    assert_eq!(losses.len(), 1, "db-b losing its copy while the primary lives loses nothing: {losses:?}");
    assert_eq!(losses[0].rpo, Some(h(9).saturating_add(SimTime(1000))));
}

#[test]
fn a_member_copy_falls_behind_from_the_instant_its_host_goes_down() {
    let (components, data) = three_members("");
    // db-c (a synchronous member copy) is down from 95 h to 100 h 15 min; db-b (the
    // asynchronous replica) from 99 h. az1 is out from 100 h: after 30 s the group waits for a
    // healthy member and switches to db-c when it is back (1 min). db-c fell behind at 95 h
    // and came back while the primary was down: it holds the writes up to 95 h, 5 h behind
    // the last one at 100 h, whenever the dataset next re-decided (here at 99 h, when db-b went
    // down).
    let injections = r#"(target: "az3", at: "95h", duration: "5.25h"), (target: "az2", at: "99h", duration: "10h"),
                        (target: "az1", at: "100h", duration: "6h"),"#;
    let (_, _, losses) = run(&scenario(&components, data.as_str(), injections));
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!(
        (losses[0].at, losses[0].rpo, losses[0].from),
        (h(100).saturating_add(m(16)), Some(h(5)), Some(Source::Failover))
    );
}

#[test]
fn a_member_without_a_copy_does_not_take_over() {
    let components = format!(
        r#"{DBS}
        (name: "db", kind: Group, standby: (members: ["db-a", "db-b"], detect: "30s", switch: "1m")),"#
    );
    let data = r#"(name: "orders", holder: "db", replicas: [(on: "db-b", mode: Async(lag: "1s"))],
                   promote: "1m", resync: "1h")"#;
    // db-b's copy burns at 99 h (az2 out until 101 h); az1 is out from 100 h to 106 h. When
    // db-b is back the primary is down, so its resync cannot start: it has no copy and the
    // group waits for db-a. No data is lost; the switch back to db-a ends the incident, which
    // its cause's end labels.
    let injections = format!(r#"{} (target: "az1", at: "100h", duration: "6h"),"#, fire("az2", "99h", "2h"));
    let (_, incidents, losses) = run(&scenario(&components, data, &injections));
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(spans(&incidents), [(h(100), h(106).saturating_add(m(1)), Some(Label::InjectionEnd))]);
}

#[test]
fn destroying_the_active_member_loses_what_the_member_failed_over_to_lacks() {
    let (components, data) = three_members("");
    // A fire in az1 destroys the primary; the group fails over to db-b (asynchronous): 1 s.
    let (arch, _, losses) = run(&scenario(&components, data.as_str(), &fire("az1", "100h", "6h")));
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!(
        (losses[0].at, losses[0].rpo, losses[0].from),
        (h(100), Some(SimTime(1000)), Some(Source::Failover))
    );
    assert_eq!(losses[0].cause, injected_fire(&arch, "az1"));
    // With db-b down, it fails over to db-c, synchronous: RPO 0, still an event.
    let injections = format!(r#"(target: "az2", at: "99h", duration: "10h"), {}"#, fire("az1", "100h", "6h"));
    let (_, _, losses) = run(&scenario(&components, data.as_str(), &injections));
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!((losses[0].at, losses[0].rpo), (h(100), Some(SimTime::ZERO)));
}

#[test]
fn lost_writes_do_not_count_again_what_an_earlier_loss_destroyed() {
    let data = r#"(name: "orders", holder: "db-a", backups: [(every: "1d", to: "s3", restore: "2h")])"#;
    // Burnt at 20 h (out 1 h, restored 21-23 h) and again at 23.5 h, before the 24 h backup:
    // both are recovered from the 0 h backup (RPO 20 h, then 23.5 h), but the second destroyed
    // only the half hour written since the first was recovered.
    let injections = format!("{} {}", fire("az1", "20h", "1h"), fire("az1", "23.5h", "1h"));
    let (_, _, losses) = run(&scenario(DBS, data, &injections));
    let got: Vec<_> = losses.iter().map(|l| (l.at, l.rpo, l.lost_writes)).collect();
    assert_eq!(got, [(h(20), Some(h(20)), h(20)), (m(23 * 60 + 30), Some(m(23 * 60 + 30)), m(30))]);
    // A holder down for a while before its loss: the outage holds no writes.
    let injections =
        format!(r#"(target: "db-a", at: "100h", duration: "6h"), {}"#, fire("az1", "103h", "1h"));
    let (_, _, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!((losses[0].rpo, losses[0].lost_writes), (Some(h(4)), h(4)));
    let injections = format!(r#"(target: "db-a", at: "97h", duration: "2h"), {}"#, fire("az1", "100h", "1h"));
    let (_, _, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!((losses[0].rpo, losses[0].lost_writes), (Some(h(4)), h(2)), "down 97-99 h: no writes then");
}

#[test]
fn a_loss_at_the_instant_a_recovery_ends_restarts_it_instead_of_finishing_it() {
    let data = r#"(name: "orders", holder: "db-a", backups: [(every: "1d", to: "s3", restore: "2h")])"#;
    // The first restore would end at 103 h (az1 back at 101 h + 2 h); az1 burns again at
    // 103 h: the restore starts over once az1 is back at 104 h, and the service is up at 106 h.
    let injections = format!("{} {}", fire("az1", "100h", "1h"), fire("az1", "103h", "1h"));
    let (_, incidents, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!(losses.len(), 1, "the backup survived: no more data lost");
    assert_eq!(spans(&incidents), [(h(100), h(106), Some(Label::Restore))]);
}

#[test]
fn a_replica_destroyed_as_its_resync_ends_stays_lost() {
    let data = r#"(name: "orders", holder: "db-a", replicas: [(on: "db-b", mode: Async(lag: "30s"))],
                   promote: "5m", resync: "10h")"#;
    // db-b's copy burns at 100 h; its resync (from 101 h) would end at 111 h, when az2 burns
    // again; the next resync runs 112 h to 122 h, so at 115 h no copy survives.
    let injections =
        format!("{} {} {}", fire("az2", "100h", "1h"), fire("az2", "111h", "1h"), fire("az1", "115h", "1h"));
    let (_, _, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!(losses.len(), 1);
    assert_eq!((losses[0].at, losses[0].rpo, losses[0].lost_span), (h(115), None, h(115)));
}

#[test]
fn an_incident_is_labelled_by_its_cause_not_by_an_unrelated_restore() {
    // db-a (holding `orders`, which the service needs) is down from 100 h to 103 h; `logs` on
    // db-c burns at 100 h and is restored at 103 h (az3 back at 101 h + 2 h), the same
    // instant; the service does not need `logs`.
    let data = r#"(name: "orders", holder: "db-a"), (name: "logs", holder: "db-c",
                   backups: [(every: "1d", to: "s3", restore: "2h")])"#;
    let injections =
        format!(r#"(target: "db-a", at: "100h", duration: "3h"), {}"#, fire("az3", "100h", "1h"));
    let (_, incidents, losses) = run(&scenario(DBS, data, &injections));
    assert_eq!(losses.len(), 1);
    assert_eq!(spans(&incidents), [(h(100), h(103), Some(Label::InjectionEnd))]);
}

/// A producer handing orders to workers through a queue that keeps them `retention`, and the
/// same producer calling the workers synchronously.
fn pipeline(retention: &str, injections: &str) -> String {
    format!(
        r#"(name: "q", horizon: "30d", random: false,
            architectures: [
                (name: "queued", service: "checkout", components: [
                    (name: "web", kind: Instance, fail: Never),
                    (name: "workers", kind: Instance, fail: Never),
                    (name: "orders-q", kind: Queue, fail: Never, retention: "{retention}"),
                    (name: "enqueue", kind: Group, needs: Async(queue: "orders-q", consumers: "workers")),
                    (name: "checkout", kind: Group, needs: All(["web", "enqueue"])),
                ]),
                (name: "sync", service: "checkout", components: [
                    (name: "web", kind: Instance, fail: Never),
                    (name: "workers", kind: Instance, fail: Never),
                    (name: "checkout", kind: Group, needs: All(["web", "workers"])),
                ]),
            ],
            injections: [{injections}])"#
    )
}

#[test]
fn a_queue_turns_a_consumer_outage_into_a_backlog_and_loses_only_what_outlives_retention() {
    let system = compile_str(&pipeline("4d", r#"(target: "workers", at: "100h", duration: "5d")"#))
        .unwrap_or_else(|d| panic!("{d:#?}"))
        .system;
    let params = RunParams { seed: 0, horizon: system.horizon, random: false };
    let run = |arch: &Architecture| {
        let prepared = Prepared::new(arch, params);
        let mut recorder = Recorder::default();
        Simulator::new(&prepared).run(0, &mut recorder);
        recorder
    };
    let queued = run(&system.architectures[0]);
    assert!(queued.incidents.is_empty(), "the producer never needs the workers");
    assert_eq!(queued.backlogs, [(0, h(120))]);
    assert_eq!(queued.losses.len(), 1);
    let loss = queued.losses[0];
    assert_eq!((loss.store, loss.at, loss.rpo, loss.from), (Store::Queue(0), h(220), Some(h(24)), None));
    assert_eq!(
        loss.cause,
        Cause { component: system.architectures[0].find("workers").unwrap(), mode: Mode::Injected }
    );
    let sync = run(&system.architectures[1]);
    assert_eq!(spans(&sync.incidents), [(h(100), h(220), Some(Label::InjectionEnd))]);
    assert!(sync.losses.is_empty() && sync.backlogs.is_empty());

    // Within the retention: a backlog, nothing lost; one still open at the horizon ends there.
    let system = compile_str(&pipeline(
        "4d",
        r#"(target: "workers", at: "100h", duration: "2d"), (target: "workers", at: "29d", duration: "5d")"#,
    ))
    .unwrap()
    .system;
    let queued = run(&system.architectures[0]);
    assert_eq!(queued.backlogs, [(0, h(48)), (0, h(24))]);
    assert!(queued.losses.is_empty());
}

#[test]
fn members_back_at_once_resume_on_the_one_that_held_the_primary() {
    // A synchronous pair in a region: az1 is out from 100 h to 104 h, so db moves to db-b and
    // db-a falls behind; the region is out from 102 h to 108 h. Both members are back at
    // 108 h: db-b, which held the primary and every write, resumes; nothing is lost and the
    // region's return (its injection's end) ends the incident, not a failover.
    let text = r#"(name: "t", horizon: "30d", random: false,
        shared: [
            (name: "r", kind: Region, fail: Never),
            (name: "az1", kind: Az, fail: Never, needs: All(["r"])),
            (name: "az2", kind: Az, fail: Never, needs: All(["r"])),
        ],
        architectures: [(name: "a", service: "orders", components: [
            (name: "db-a", kind: Database, fail: Never, needs: All(["az1"])),
            (name: "db-b", kind: Database, fail: Never, needs: All(["az2"])),
            (name: "db", kind: Group, standby: (members: ["db-a", "db-b"], detect: "30s", switch: "90s")),
        ], data: [(name: "orders", holder: "db")])],
        injections: [(target: "az1", at: "100h", duration: "4h"), (target: "r", at: "102h", duration: "6h")])"#;
    let (_, incidents, losses) = run(text);
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(
        spans(&incidents),
        [
            (h(100), h(100).saturating_add(m(2)), Some(Label::Failover)),
            (h(102), h(108).saturating_add(SimTime(90_000)), Some(Label::InjectionEnd)),
        ]
    );
}

/// `db` over db-a, db-b and db-c (detect 30 s, switch 10 min) with `extra` standby fields.
fn group_of_three(extra: &str) -> String {
    format!(
        r#"{DBS}
        (name: "db", kind: Group, standby: (members: ["db-a", "db-b", "db-c"], detect: "30s", switch: "10m"{extra})),"#
    )
}

#[test]
fn a_switch_abandoned_on_the_way_loses_nothing_by_itself() {
    // db-c is out; az1 is out from 100 h for 5 min; the switch to the asynchronous db-b starts
    // at 100 h 30 s and is abandoned when az2 goes at 100 h 2 min; db-a is back at 100 h 5 min
    // and resumes with every write: nothing is lost.
    let data = r#"(name: "orders", holder: "db", replicas: [(on: "db-b", mode: Async(lag: "1s"))],
                   promote: "1m", resync: "1h")"#;
    let injections = r#"(target: "az1", at: "100h", duration: "5m"), (target: "az2", at: "6002m", duration: "1h"),
                        (target: "az3", at: "99h", duration: "10h"),"#;
    let (_, incidents, losses) = run(&scenario(&group_of_three(""), data, injections));
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(incidents[0].label, Some(Label::InjectionEnd));
    // One outage with two switches on the way: only the member the group ends on counts. db-b
    // (lag 1 s) fails during its switch; the group ends on db-c (lag 1 min).
    let data = r#"(name: "orders", holder: "db",
                   replicas: [(on: "db-b", mode: Async(lag: "1s")), (on: "db-c", mode: Async(lag: "1m"))],
                   promote: "1m", resync: "1h")"#;
    let injections =
        r#"(target: "az1", at: "100h", duration: "6h"), (target: "az2", at: "6002m", duration: "1h"),"#;
    let (_, _, losses) = run(&scenario(&group_of_three(""), data, injections));
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!((losses[0].rpo, losses[0].from), (Some(m(1)), Some(Source::Failover)));
}

#[test]
fn a_destroyed_primary_is_measured_against_the_member_the_group_ends_on() {
    // The fire destroys db-a at 100 h; db-b (synchronous) is the first in line but fails during
    // the 30 s detection; the group takes over on db-c, 1 min behind.
    let data = r#"(name: "orders", holder: "db", replicas: [(on: "db-c", mode: Async(lag: "1m"))],
                   promote: "1m", resync: "1h")"#;
    let injections =
        format!(r#"{} (target: "az2", at: "360010s", duration: "6h"),"#, fire("az1", "100h", "6h"));
    let (_, _, losses) = run(&scenario(&group_of_three(""), data, &injections));
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!((losses[0].at, losses[0].rpo), (h(100), Some(m(1))));
    // No member healthy at the fire (3 h): db-b is down since 2 h, db-c since 1 h; db-c is back
    // first (4 h) and takes over holding the writes up to 1 h: RPO 2 h.
    let data = r#"(name: "orders", holder: "db")"#;
    let injections = format!(
        r#"(target: "db-b", at: "2h", duration: "3h"), (target: "db-c", at: "1h", duration: "3h"), {}"#,
        fire("az1", "3h", "6h")
    );
    let (_, _, losses) = run(&scenario(&group_of_three(""), data, &injections));
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!((losses[0].at, losses[0].rpo), (h(3), Some(h(2))));
}

#[test]
fn an_abandoned_failback_loses_nothing() {
    // After a failover to db-b (lag 1 s, lost) az1 is back at 106 h and the group fails back to
    // db-a; az1 goes again during the failback switch, which is abandoned: the group returns to
    // db-b, the primary all along. Only the first failover lost data.
    let components = group_of_three(", failback: true").replace(r#"switch: "10m""#, r#"switch: "1m""#);
    let data = r#"(name: "orders", holder: "db", replicas: [(on: "db-b", mode: Async(lag: "1s"))],
                   promote: "1m", resync: "1h")"#;
    let injections =
        r#"(target: "az1", at: "100h", duration: "6h"), (target: "az1", at: "381630s", duration: "6h"),"#;
    let (_, _, losses) = run(&scenario(&components, data, injections));
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!(losses[0].rpo, Some(SimTime(1000)));
}

#[test]
fn a_restore_into_a_standby_holder_ends_even_if_the_group_is_down_when_it_does() {
    // Both members' copies burn at 100 h (az1, az2 out 1 h): the 96 h backup is restored into
    // the group from 101 h 1 min to 103 h 1 min. Both members are down from 102 h to 105 h: the
    // restored primary is on db-a, which takes over when it is back.
    let components = format!(
        r#"{DBS}
        (name: "db", kind: Group, standby: (members: ["db-a", "db-b"], detect: "30s", switch: "1m")),"#
    );
    let data = r#"(name: "orders", holder: "db", backups: [(every: "1d", to: "s3", restore: "2h")])"#;
    let injections = format!(
        r#"{} {} (target: "db-a", at: "102h", duration: "3h"), (target: "db-b", at: "102h", duration: "3h"),"#,
        fire("az1", "100h", "1h"),
        fire("az2", "100h", "1h")
    );
    let (_, incidents, losses) = run(&scenario(&components, data, &injections));
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert!(incidents.iter().all(|i| !i.censored), "{incidents:?}");
    assert_eq!(incidents.last().unwrap().end, h(105).saturating_add(m(1)));
    // The restore ends while the group is switching to db-x (db-a failed at 103 h): db-x holds
    // the restored primary and the service is back when the switch ends.
    let components = r#"
        (name: "db-a", kind: Database, fail: Never, needs: All(["az1"])),
        (name: "db-x", kind: Database, fail: Never, needs: All(["az1"])),
        (name: "s3", kind: Storage, fail: Never, needs: Any(["az2", "az3"])),
        (name: "db", kind: Group, standby: (members: ["db-a", "db-x"], detect: "30s", switch: "1m")),"#;
    let injections =
        format!(r#"{} (target: "db-a", at: "103h", duration: "1h"),"#, fire("az1", "100h", "1h"));
    let (_, incidents, _) = run(&scenario(components, data, &injections));
    assert!(incidents.iter().all(|i| !i.censored), "{incidents:?}");
}

/// Two stacks, web and database each, in az1 and az2; the data lives on the stack in az1 and
/// its backups are restored into the one in az2.
const STACKS: &str = r#"
    (name: "web-a", kind: Instance, fail: Never, needs: All(["az1"])),
    (name: "db-a", kind: Database, fail: Never, needs: All(["az1"])),
    (name: "stack-a", kind: Group, needs: All(["web-a", "db-a"])),
    (name: "web-b", kind: Instance, fail: Never, needs: All(["az2"])),
    (name: "db-b", kind: Database, fail: Never, needs: All(["az2"])),
    (name: "stack-b", kind: Group, needs: All(["web-b", "db-b"])),
    (name: "s3", kind: Storage, fail: Never, needs: Any(["az1", "az2", "az3"])),
"#;

#[test]
fn a_dataset_held_by_a_stack_serves_where_it_was_restored_and_waits_out_other_outages() {
    let data = r#"(name: "orders", holder: "stack-a",
                   backups: [(every: "1d", to: "s3", restore: "2h", into: "stack-b")])"#;
    // az1 out (data kept) at 10 h: waited out. Burnt at 100 h: the 96 h backup is restored
    // into stack-b by 102 h, and the data lives there: az1 out again at 200 h changes nothing,
    // az2 out at 300 h is waited out.
    let injections = format!(
        r#"(target: "az1", at: "10h", duration: "5h"), {} (target: "az1", at: "200h", duration: "5h"),
           (target: "az2", at: "300h", duration: "5h"),"#,
        fire("az1", "100h", "50h")
    );
    let (arch, incidents, losses) = run(&scenario(STACKS, data, &injections));
    assert_eq!(
        spans(&incidents),
        [
            (h(10), h(15), Some(Label::InjectionEnd)),
            (h(100), h(102), Some(Label::Restore)),
            (h(300), h(305), Some(Label::InjectionEnd)),
        ]
    );
    assert_eq!(losses.len(), 1, "{losses:?}");
    let loss = losses[0];
    assert_eq!((loss.at, loss.cause), (h(100), injected_fire(&arch, "az1")));
    assert_eq!((loss.rpo, loss.from), (Some(h(4)), Some(Source::Backup)));
    // Writes stop while either tier of the holding stack is down, and a backup due then is
    // skipped: web-a out from 90 h, az1 burnt at 99 h. The last write is at 90 h, the newest
    // backup the 72 h one (96 h skipped): RPO 18 h; the service is back at 101 h.
    let injections =
        format!(r#"(target: "web-a", at: "90h", duration: "20h"), {}"#, fire("az1", "99h", "50h"));
    let (_, incidents, losses) = run(&scenario(STACKS, data, &injections));
    assert_eq!(spans(&incidents), [(h(90), h(101), Some(Label::Restore))]);
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!((losses[0].rpo, losses[0].lost_writes), (Some(h(18)), h(18)));
}
