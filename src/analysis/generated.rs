//! Generated scenarios of many shapes (tests only), for checking the fast paths of `single`,
//! `cutsets` and `sweep` against one pass or one simulation per failure.

use std::fmt::Write as _;

/// Timing features a generated design may have.
#[derive(Clone, Copy)]
pub(crate) struct Features {
    /// Standby groups, datasets and queues.
    pub timing: bool,
    /// A battery on the first member of one standby group (it carries the load from t = 0).
    pub battery: bool,
}

/// A scenario of about `size` components with one architecture: a region and three AZs,
/// instances needing zones or earlier components, `Any`, `AtLeast` and `All` groups and,
/// with `features.timing`, standby groups, datasets and queues, all from the fixed `seed`.
pub(crate) fn scenario(seed: u64, size: usize, features: Features) -> String {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut draw = |n: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) % n as u64) as usize
    };
    const F: &str = r#"fail: Exp(mean: "1000h"), recover: Repair(Exp(mean: "1h"))"#;
    let mut out = String::new();
    let mut data = String::new();
    let mut pool: Vec<String> = vec!["az-1".into(), "az-2".into(), "az-3".into()];
    let mut used = vec![true; 3];
    let mut battery = features.battery;
    for i in 0..size {
        let mut pick = |count: usize, draw: &mut dyn FnMut(usize) -> usize| {
            let mut names: Vec<usize> = Vec::new();
            for _ in 0..count * 3 {
                let k =
                    if draw(2) == 0 { pool.len() - 1 - draw(pool.len().min(8)) } else { draw(pool.len()) };
                if !names.contains(&k) && names.len() < count {
                    names.push(k);
                }
            }
            names.iter().for_each(|&k| used[k] = true);
            names.iter().map(|&k| format!("{:?}", pool[k])).collect::<Vec<_>>().join(", ")
        };
        let name = format!("c{i}");
        match draw(10) {
            0..=3 => {
                let needs = pick(1 + draw(2), &mut draw);
                let _ = writeln!(out, r#"(name: "{name}", kind: Instance, {F}, needs: All([{needs}])),"#);
            }
            4 | 5 => {
                let needs = pick(2 + draw(3), &mut draw);
                let _ = writeln!(out, r#"(name: "{name}", kind: Group, needs: Any([{needs}])),"#);
            }
            6 => {
                let needs = pick(3 + draw(3), &mut draw);
                let n = needs.split(", ").count();
                let k = 1 + draw(n);
                let _ = writeln!(out, r#"(name: "{name}", kind: Group, needs: AtLeast({k}, [{needs}])),"#);
            }
            7 if features.timing => {
                let (a, b) = (format!("{name}-a"), format!("{name}-b"));
                let (za, zb) = (1 + draw(3), 1 + draw(3));
                let extra =
                    if std::mem::take(&mut battery) { r#", runtime: "15m", recharge: "4h""# } else { "" };
                // A battery on the first member: it carries the load from the start.
                let _ =
                    writeln!(out, r#"(name: "{a}", kind: Database, {F}, needs: All(["az-{za}"]){extra}),"#);
                let _ = writeln!(out, r#"(name: "{b}", kind: Database, {F}, needs: All(["az-{zb}"])),"#);
                let _ = writeln!(
                    out,
                    r#"(name: "{name}", kind: Group, standby: (members: ["{a}", "{b}"], detect: "1m", switch: "2m")),"#
                );
            }
            8 if features.timing => {
                let db = format!("{name}-db");
                let z = 1 + draw(3);
                let _ = writeln!(out, r#"(name: "{db}", kind: Database, {F}, needs: All(["az-{z}"])),"#);
                let _ = writeln!(data, r#"(name: "{name}-data", holder: "{db}"),"#);
                let _ = writeln!(out, r#"(name: "{name}", kind: Group, needs: All(["{name}-data"])),"#);
            }
            9 if features.timing => {
                let consumers = pick(1, &mut draw);
                let _ = writeln!(out, r#"(name: "{name}-q", kind: Queue, {F}, retention: "1d"),"#);
                let _ = writeln!(
                    out,
                    r#"(name: "{name}", kind: Group, needs: Async(queue: "{name}-q", consumers: {consumers})),"#
                );
            }
            _ => {
                let needs = pick(1, &mut draw);
                let _ = writeln!(out, r#"(name: "{name}", kind: Instance, {F}, needs: All([{needs}])),"#);
            }
        }
        pool.push(name);
        used.push(false);
    }
    let tops: Vec<String> =
        pool.iter().zip(&used).filter(|(_, u)| !**u).map(|(n, _)| format!("{n:?}")).collect();
    let half = tops.len() / 2;
    if tops.len() >= 2 && draw(2) == 0 {
        let _ = writeln!(out, r#"(name: "left", kind: Group, needs: All([{}])),"#, tops[..half].join(", "));
        let _ = writeln!(out, r#"(name: "right", kind: Group, needs: All([{}])),"#, tops[half..].join(", "));
        let _ = writeln!(out, r#"(name: "svc", kind: Group, needs: Any(["left", "right"])),"#);
    } else {
        let _ = writeln!(out, r#"(name: "svc", kind: Group, needs: All([{}])),"#, tops.join(", "));
    }
    format!(
        r#"(name: "generated", horizon: "1y", shared: [
(name: "region", kind: Region, {F}),
(name: "az-1", kind: Az, {F}, needs: All(["region"])),
(name: "az-2", kind: Az, {F}, needs: All(["region"])),
(name: "az-3", kind: Az, {F}, needs: All(["region"])),
], architectures: [(name: "a", service: "svc", components: [
{out}], data: [
{data}])])
"#
    )
}
