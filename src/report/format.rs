//! Number formats shared by the human-readable renderers.

/// A duration in seconds for people: `850ms`, `42.0s`, `12m 05s`, `3h 12m`, `2d 04h`.
pub fn duration_s(s: f64) -> String {
    if s < 1.0 {
        return format!("{:.0}ms", s * 1000.0);
    }
    if s < 60.0 {
        return format!("{s:.1}s");
    }
    let total = libm::round(s) as u64;
    let (d, h, m, sec) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60);
    if total < 3600 {
        format!("{m}m {sec:02}s")
    } else if total < 86_400 {
        format!("{h}h {m:02}m")
    } else {
        format!("{d}d {h:02}h")
    }
}

/// A fraction as a percentage with enough decimals to tell nines apart: `99.9512%`.
pub fn percent(fraction: f64) -> String {
    format!("{:.4}%", fraction * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_s(0.25), "250ms");
        assert_eq!(duration_s(42.04), "42.0s");
        assert_eq!(duration_s(725.0), "12m 05s");
        assert_eq!(duration_s(3600.0 * 3.0 + 720.0), "3h 12m");
        assert_eq!(duration_s(86_400.0 * 2.0 + 4.0 * 3600.0), "2d 04h");
        assert_eq!(percent(0.999_512), "99.9512%");
    }
}
