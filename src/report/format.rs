//! Number formats and wordings shared by the human-readable renderers: the table, markdown,
//! `compare`, `sweep` and `check` print a number through the same function here, so that one
//! value reads alike wherever it is shown.

use crate::metrics::{ArchitectureReport, DataReport, Header, Importance};
use crate::time::MS_PER_HOUR;

/// A duration in seconds for people: `850ms`, `42.0s`, `12m 05s`, `3h 12m`, `2d 04h`.
pub fn duration_s(s: f64) -> String {
    if s < 1.0 {
        return format!("{:.0}ms", s * 1000.0);
    }
    if s < 59.95 {
        return format!("{s:.1}s");
    }
    // Round at the last unit shown, so 9h 59m 56s reads 10h 00m, not 9h 59m.
    if s < 3600.0 - 0.5 {
        let total = libm::round(s) as u64;
        return format!("{}m {:02}s", total / 60, total % 60);
    }
    if s < 86_400.0 - 30.0 {
        let minutes = libm::round(s / 60.0) as u64;
        return format!("{}h {:02}m", minutes / 60, minutes % 60);
    }
    let hours = libm::round(s / 3600.0) as u64;
    format!("{}d {:02}h", hours / 24, hours % 24)
}

/// An amount of money, two decimals and thousands separators: `12,345.60`, `0.00`.
pub fn amount(v: f64) -> String {
    let cents = libm::round(v * 100.0) as u64;
    format!("{}.{:02}", count(cents / 100), cents % 100)
}

/// A count with thousands separators: `15,809`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What was run, in one line (no newline): `300 replications x 2y, seed 5, stream v2`, with
/// `, random failures off` after the seed for a scripted run. The table, `compare` and `check`
/// print it; the values are the effective ones, command-line options included.
pub fn run_line(h: &Header) -> String {
    format!(
        "{} x {}, seed {}{}, stream v{}",
        replications(h),
        horizon(h),
        h.seed,
        if h.random { "" } else { ", random failures off" },
        h.stream_version
    )
}

/// `300 replications`, or with a precision `1000 to 1000000 replications (until ±5% of the
/// unavailability)`.
fn replications(h: &Header) -> String {
    match &h.precision {
        None => format!("{} replication{}", h.replications, if h.replications == 1 { "" } else { "s" }),
        Some(p) => format!(
            "{} to {} replications (until ±{} of the unavailability)",
            h.replications,
            p.max_replications,
            precision_percent(p.relative)
        ),
    }
}

/// What a design's precision came to: `16000 replications, 95% CI ±4.1% of the unavailability
/// (asked ±5%)`, or why it stopped short (regenerative cycles for a rare-event estimate).
pub fn precision_reached(a: &ArchitectureReport, p: &crate::metrics::PrecisionReached) -> String {
    let rare = a.rare().is_some();
    let unit = match (rare, p.replications == 1) {
        (true, true) => "regenerative cycle",
        (true, false) => "regenerative cycles",
        (false, true) => "replication",
        (false, false) => "replications",
    };
    let got = p.reached.map_or_else(
        || "no downtime seen, so no relative CI".to_string(),
        |h| format!("95% CI ±{} of the unavailability", precision_percent(h)),
    );
    let short = if p.stopped_by == "precision" { "" } else { ", short of it at the most" };
    format!("{} {unit}, {got} (asked ±{}{short})", p.replications, precision_percent(p.target))
}

/// Which method gave a design's availability and incident figures, when one was chosen: the
/// rare-event run's size and the crude figures beside it, or why crude.
pub fn estimator_note(a: &ArchitectureReport) -> Option<String> {
    let e = a.estimator.as_ref()?;
    let (Some(rare), Some(crude)) = (&e.rare, &e.crude) else {
        return Some(format!("crude sampling ({})", e.because));
    };
    let (u, [u_low, u_high]) = (rare.unavailability, rare.unavailability_ci95);
    let incident =
        rare.mean_incident_s.map_or_else(String::new, |s| format!(", mean incident {}", duration_s(s)));
    let crude_figure = if crude.availability.mean < 1.0 {
        format!(
            "{} [{}, {}]",
            percent(crude.availability.mean),
            percent(crude.availability.ci95[0]),
            percent(crude.availability.ci95[1])
        )
    } else {
        "no downtime seen".to_string()
    };
    Some(format!(
        "availability, downtime, incidents/yr and MTBI by rare-event importance sampling ({}): unavailability {u:.3e} [{:.3e}, {:.3e}]{incident}, effective sample size {:.0}; crude over {} replications: {crude_figure}; RTO, problems and importance from the crude run",
        e.because, u_low, u_high, e.effective_sample_size, crude.replications,
    ))
}

/// A relative precision as a percentage: `5%`, `0.5%`.
pub fn precision_percent(relative: f64) -> String {
    format!("{}%", significant(relative * 100.0))
}

/// What was run, as a sentence for documents: `300 replications of 2y each, seed 5, random
/// failures on, faultline 0.1.0 (stream v2), scenario SHA-256 `…`.`
pub fn run_sentence(h: &Header) -> String {
    format!(
        "{} of {} each, seed {}, random failures {}, faultline {} (stream v{}), scenario SHA-256 `{}`.",
        replications(h),
        horizon(h),
        h.seed,
        if h.random { "on" } else { "off" },
        h.faultline,
        h.stream_version,
        h.scenario.sha256
    )
}

/// The horizon of `h`, as a scenario writes it (`2y`, `30d`).
pub fn horizon(h: &Header) -> crate::time::SimTime {
    crate::time::SimTime(libm::round(h.horizon_h * MS_PER_HOUR as f64) as u64)
}

/// The components a table ranks: the first `n` of the report's list that caused downtime (the
/// list goes on with the others, for the JSON).
pub fn ranked(a: &ArchitectureReport, n: usize) -> impl Iterator<Item = &Importance> {
    a.importance.iter().take_while(|i| i.downtime_share > 0.0).take(n)
}

/// A Birnbaum importance to three decimals, `± its standard error` when it is an estimate.
pub fn birnbaum(i: &Importance) -> String {
    match i.birnbaum_se {
        Some(se) => format!("{} ± {}", small(i.birnbaum), small(se)),
        None => small(i.birnbaum),
    }
}

/// A value in [0, 1] with three decimals, or three significant digits below 0.001 so that
/// the importance of components in redundant designs is not shown as `0.000`: `0.999`,
/// `4.72e-4`, `0`.
fn small(v: f64) -> String {
    if v >= 0.000_95 {
        format!("{v:.3}")
    } else if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v:.2e}")
    }
}

/// A fraction as a percentage with enough decimals to tell nines apart: `99.9512%`.
pub fn percent(fraction: f64) -> String {
    format!("{:.4}%", fraction * 100.0)
}

/// A positive number with 3 significant digits, without exponent for everyday sizes: `12.2`,
/// `0.0123`, `123`, `0`.
pub fn significant(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let digits = (2 - libm::floor(libm::log10(v.abs())) as i32).clamp(0, 8) as usize;
    format!("{v:.digits$}")
}

/// `count` events in `years` simulated years, per year: the rate, or `none observed` with the
/// 95% upper bound (rule of three).
pub fn rate(count: u64, per_year: f64, years: f64) -> String {
    if count > 0 {
        return significant(per_year);
    }
    loss_rate_upper95(years)
        .map_or_else(|| "none observed".into(), |u| format!("none observed (< {})", significant(u)))
}

/// Incidents per year, or `none observed` with the 95% upper bound.
pub fn incidents_per_year(a: &ArchitectureReport) -> String {
    match a.incidents_per_year_upper95 {
        Some(upper) => format!("none observed (< {})", significant(upper)),
        None => significant(a.incidents_per_year),
    }
}

/// Nines of availability with two decimals, `-` when there are none: `3.02`.
pub fn nines(n: Option<f64>) -> String {
    n.map_or_else(|| "-".to_string(), |n| format!("{n:.2}"))
}

/// Hours with one decimal: `4.0 h`.
pub fn hours(v: f64) -> String {
    format!("{v:.1} h")
}

/// A fraction as a percentage with one decimal: `12.5%` (shares; availability: [`percent`]).
pub fn share(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// Minutes with one decimal: `12.3 min`.
pub fn minutes(v: f64) -> String {
    format!("{v:.1} min")
}

/// A difference in minutes with its sign and one decimal: `+1.5 min`, `-0.2 min`.
pub fn signed_minutes(v: f64) -> String {
    format!("{v:+.1} min")
}

/// A difference of rates, signed, three decimals, `+0.000` for anything that rounds to zero
/// (never `-0.000`).
pub fn signed_rate(v: f64) -> String {
    let v = if libm::fabs(v) < 0.0005 { 0.0 } else { v };
    format!("{v:+.3}")
}

/// A confidence interval of differences of rates, as [`signed_rate`]: `[-0.120, +0.040]`.
pub fn signed_rate_ci(ci: [f64; 2]) -> String {
    format!("[{}, {}]", signed_rate(ci[0]), signed_rate(ci[1]))
}

/// A confidence interval of differences, signed, one decimal: `[-1.2, +0.4]`.
pub fn signed_ci(ci: [f64; 2]) -> String {
    format!("[{:+.1}, {:+.1}]", ci[0], ci[1])
}

/// A realised RPO `[s]`, `-` when there is none.
pub fn rpo_or_dash(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), duration_s)
}

/// The pooled RPO p95 an RPO objective is judged on, in words: every data-loss event counts,
/// an unrecoverable one as beyond any target (nearest rank, as `Objectives::rpo`). The report
/// keeps quantiles of the recoverable events only, so when unrecoverable events do not reach
/// the p95 rank, the recoverable p95 is given with the count of unrecoverable ones.
pub fn pooled_rpo_p95(d: &DataReport) -> String {
    // Censored events (still growing at the horizon) are left out, as by the verdict.
    let (n, lost) = (d.data_loss_events - d.rpo_s.censored, d.unrecoverable.events);
    if n == 0 {
        return "no data loss".to_string();
    }
    let rank = (libm::ceil(0.95 * n as f64) as u64).clamp(1, n);
    let events = if n == 1 { "event" } else { "events" };
    match d.rpo_s.p95 {
        _ if rank > d.recoverable => format!("unrecoverable: {lost} of {n} {events}"),
        Some(p95) if lost == 0 => duration_s(p95),
        Some(p95) => format!("{}; {lost} of {n} {events} unrecoverable", duration_s(p95)),
        None => "-".to_string(),
    }
}

/// Unrecoverable data-loss events with the mean span lost: `0`, or `2 (mean 3h 10m lost)`.
pub fn unrecoverable(d: &DataReport) -> String {
    match d.unrecoverable.lost_span_mean_h {
        Some(h) if d.unrecoverable.events > 0 => {
            format!("{} (mean {} lost)", d.unrecoverable.events, duration_s(h * 3600.0))
        }
        _ => d.unrecoverable.events.to_string(),
    }
}

/// The writes data-loss events destroyed per simulated year, as a duration: `1.0s`, `0ms`.
pub fn lost_writes_per_year(d: &DataReport) -> String {
    duration_s(d.lost_writes.per_year_h * 3600.0)
}

/// Why an architecture has no RPO verdict: `no datasets`, or `no datasets or queues` in a
/// report where some architecture has queues (reports without queues read as before queues).
pub fn no_rpo_reason(any_queues: bool) -> &'static str {
    if any_queues { "no datasets or queues" } else { "no datasets" }
}

/// Simulated years over the replications design `a` of a run with header `h` ran (the
/// denominator of its "per year").
pub fn simulated_years(h: &Header, a: &ArchitectureReport) -> f64 {
    a.crude_replications(h.replications) as f64 * h.horizon_h * MS_PER_HOUR as f64
        / crate::time::MS_PER_YEAR as f64
}

/// With no data-loss event in `years` simulated years, the 95% upper bound of the rate per
/// year, `3 / years` (the rule of three, as for incidents).
pub fn loss_rate_upper95(years: f64) -> Option<f64> {
    (years > 0.0).then(|| 3.0 / years)
}

/// `HA`, `DR` or empty: whether the mechanism named `label` that ended an incident is high
/// availability (the service's components come back: `failover`, `replacement`, `repair`) or
/// disaster recovery (a dataset is rebuilt from a copy, or recreated empty: `promote`,
/// `restore`, `recreate`).
pub fn mechanism_kind(label: &str) -> &'static str {
    match label {
        "failover" | "replacement" | "repair" => "HA",
        "promote" | "restore" | "recreate" => "DR",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_signed_rates_read_as_written() {
        assert_eq!(amount(0.0), "0.00");
        assert_eq!(amount(8760.0), "8,760.00");
        assert_eq!(amount(14_920.1), "14,920.10");
        assert_eq!(amount(1_234_567.895), "1,234,567.90", "half up at the cent");
        assert_eq!(signed_rate(-0.0004), "+0.000", "never -0.000");
        assert_eq!(signed_rate(0.4214), "+0.421");
        assert_eq!(signed_rate_ci([-27.2817, 9.2817]), "[-27.282, +9.282]");
    }

    #[test]
    fn importance_keeps_three_significant_digits_when_small() {
        assert_eq!(small(0.999_908), "1.000");
        assert_eq!(small(0.0123), "0.012");
        assert_eq!(small(0.000_472_356), "4.72e-4");
        assert_eq!(small(2.0447e-7), "2.04e-7");
        assert_eq!(small(0.0), "0");
    }

    #[test]
    fn rates_keep_three_significant_digits() {
        assert_eq!(significant(12.1667), "12.2");
        assert_eq!(significant(0.012_34), "0.0123");
        assert_eq!(significant(123.4), "123");
        assert_eq!(significant(0.5), "0.500");
        assert_eq!(significant(0.0), "0");
        assert_eq!(rate(3, 0.25, 12.0), "0.250");
        assert_eq!(rate(0, 0.0, 12.0), "none observed (< 0.250)");
        assert_eq!(rate(0, 0.0, 0.0), "none observed");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_s(0.25), "250ms");
        assert_eq!(duration_s(42.04), "42.0s");
        assert_eq!(duration_s(725.0), "12m 05s");
        assert_eq!(duration_s(3600.0 * 3.0 + 720.0), "3h 12m");
        assert_eq!(duration_s(86_400.0 * 2.0 + 4.0 * 3600.0), "2d 04h");
        assert_eq!(duration_s(9.0 * 3600.0 + 59.0 * 60.0 + 56.0), "10h 00m", "rounded, not cut");
        assert_eq!(duration_s(3599.7), "1h 00m");
        assert_eq!(duration_s(59.96), "1m 00s");
        assert_eq!(duration_s(99.955 * 3600.0), "4d 04h");
        assert_eq!(percent(0.999_512), "99.9512%");
    }

    fn data(events: u64, unrecoverable: u64, p95: Option<f64>) -> DataReport {
        use crate::metrics::{LostWrites, RecoveredFrom, RpoStats, Unrecoverable};
        DataReport {
            data_loss_events: events,
            data_loss_events_per_year: 1.0,
            rpo_s: RpoStats {
                p50: p95,
                p95,
                p99: p95,
                max: p95,
                mean: p95,
                within_objective: None,
                censored: 0,
            },
            unrecoverable: Unrecoverable {
                events: unrecoverable,
                lost_span_mean_h: (unrecoverable > 0).then_some(2.5),
                lost_span_max_h: (unrecoverable > 0).then_some(3.0),
            },
            recovered_from: RecoveredFrom { replica: events - unrecoverable, backup: 0, failover: 0 },
            recoverable: events - unrecoverable,
            lost_writes: LostWrites { total_h: 0.0, per_year_h: 0.0, mean_h: None, max_h: None },
        }
    }

    #[test]
    fn pooled_rpo_p95_counts_unrecoverable_events_as_beyond_any_target() {
        assert_eq!(pooled_rpo_p95(&data(0, 0, None)), "no data loss");
        assert_eq!(pooled_rpo_p95(&data(40, 0, Some(30.0))), "30.0s");
        // Rank ceil(0.95 x 40) = 38 <= 39 recoverable events.
        assert_eq!(pooled_rpo_p95(&data(40, 1, Some(30.0))), "30.0s; 1 of 40 events unrecoverable");
        // Rank 38 > 37 recoverable events.
        assert_eq!(pooled_rpo_p95(&data(40, 3, Some(30.0))), "unrecoverable: 3 of 40 events");
        assert_eq!(unrecoverable(&data(40, 3, Some(30.0))), "3 (mean 2h 30m lost)");
        assert_eq!(unrecoverable(&data(40, 0, Some(30.0))), "0");
        let kinds = crate::engine::Label::ALL.map(|l| mechanism_kind(l.name()));
        assert_eq!(kinds, ["HA", "HA", "HA", "DR", "DR", "DR", "", "", ""]);
    }
}
