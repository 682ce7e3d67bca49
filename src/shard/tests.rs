//! Shard ranges, the `I/N` syntax, and what `merge` refuses.

use super::*;

#[test]
fn the_ranges_of_n_shards_cover_every_replication_once_in_order() {
    for replications in [0u64, 1, 2, 7, 100, 1000, 1_000_003] {
        for count in [1u64, 2, 3, 7, 16, 1000] {
            let mut next = 0;
            for index in 0..count {
                let (start, end) = Shard { index, count }.range(replications);
                assert_eq!(start, next, "{index}/{count} of {replications}");
                assert!(end >= start);
                // As even as integers allow: sizes differ by at most one.
                assert!(end - start <= replications / count + 1);
                next = end;
            }
            assert_eq!(next, replications);
        }
    }
}

#[test]
fn the_shard_syntax() {
    assert_eq!("0/4".parse::<Shard>(), Ok(Shard { index: 0, count: 4 }));
    assert_eq!("3/4".parse::<Shard>().unwrap().to_string(), "3/4");
    for bad in ["4/4", "1/0", "0", "-1/4", "a/b", "1/4/2", ""] {
        let err = bad.parse::<Shard>().unwrap_err();
        assert!(err.contains("expected I/N with 0 <= I < N"), "{bad}: {err}");
    }
}

fn partial(index: u64, count: u64, replications: u64) -> (String, Partial) {
    let shard = Shard { index, count };
    let (first, end) = shard.range(replications);
    let mut totals = Aggregate::starting_at(first);
    for _ in first..end {
        totals.add(&crate::metrics::Outcome::default(), crate::time::SimTime(1));
    }
    (
        format!("shard-{index}.json"),
        Partial {
            faultline_partial: FORMAT,
            faultline: "0.1.0".into(),
            stream_version: 2,
            scenario: ScenarioText {
                name: "s".into(),
                sha256: "ab".into(),
                file: "s.ron".into(),
                text: String::new(),
            },
            options: Options::default(),
            shard,
            replications: [first, end],
            designs: vec![Design { name: "a".into(), totals }],
        },
    )
}

#[test]
fn merge_refuses_what_is_not_one_run() {
    let err = |parts: Vec<(String, Partial)>| merge(parts).unwrap_err();
    assert!(merge(vec![partial(0, 2, 10), partial(1, 2, 10)]).is_ok());
    assert!(err(vec![]).contains("no partial result given"));
    let e = err(vec![partial(0, 3, 10), partial(2, 3, 10)]);
    assert!(e.contains("shard 1 of 3 missing"), "{e}");
    let e = err(vec![partial(0, 2, 10), partial(1, 2, 10), partial(1, 2, 10)]);
    assert!(e.contains("shard 1/2 is given twice: shard-1.json and shard-1.json"), "{e}");
    let mut other = partial(1, 2, 10);
    other.1.options.seed = Some(7);
    let e = err(vec![partial(0, 2, 10), other]);
    assert!(
        e.contains("shard-1.json: the run options differ from shard-0.json's: --seed 7 against none"),
        "{e}"
    );
    let mut other = partial(1, 2, 10);
    other.1.scenario.sha256 = "cd".into();
    assert!(err(vec![partial(0, 2, 10), other]).contains("the scenario differs"));
    let mut other = partial(1, 2, 10);
    other.1.stream_version = 3;
    assert!(err(vec![partial(0, 2, 10), other]).contains("the stream version differs"));
    let e = err(vec![partial(0, 2, 10), partial(1, 3, 10)]);
    assert!(e.contains("the shard count differs"), "{e}");
    let mut newer = partial(0, 1, 10);
    newer.1.faultline_partial = FORMAT + 1;
    assert!(err(vec![newer]).contains("partial format 2"));
    let mut edited = partial(1, 2, 10);
    edited.1.replications[0] = 4;
    assert!(err(vec![partial(0, 2, 10), edited]).contains("starts at replication 4"));
    let mut edited = partial(1, 2, 10);
    edited.1.replications[1] = 9;
    let e = err(vec![partial(0, 2, 10), edited]);
    assert!(e.contains("the totals of `a` are of 5 replications from 5, not of the shard's 5 to 9"), "{e}");
    let mut other = partial(1, 2, 10);
    other.1.designs[0].name = "b".into();
    let e = err(vec![partial(0, 2, 10), other]);
    assert!(e.contains("shard-1.json: its designs differ from shard-0.json's"), "{e}");
}

#[test]
fn options_read_as_the_command_line_gave_them() {
    let options = Options {
        seed: Some(5),
        replications: Some(1200),
        horizon_ms: Some(2 * 3_600_000),
        archs: vec!["x".into()],
    };
    assert_eq!(options.args(), "--seed 5 --replications 1200 --horizon 2h --arch x");
    assert_eq!(Options::default().args(), "none");
    let sweep = SweepOptions { order: 2, duration_ms: 30 * 86_400_000, archs: vec![] };
    assert_eq!(sweep.args(), "--order 2 --duration 30d");
}
