//! Number formats shared by the human-readable renderers.

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
        assert_eq!(duration_s(9.0 * 3600.0 + 59.0 * 60.0 + 56.0), "10h 00m", "rounded, not cut");
        assert_eq!(duration_s(3599.7), "1h 00m");
        assert_eq!(duration_s(59.96), "1m 00s");
        assert_eq!(duration_s(99.955 * 3600.0), "4d 04h");
        assert_eq!(percent(0.999_512), "99.9512%");
    }
}
