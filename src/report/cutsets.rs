//! `cutsets`'s outputs: the minimal cut sets of one architecture, one a line, or as JSON.

use std::fmt::Write as _;

use serde::Serialize;

/// The minimal cut sets of an architecture up to an order, as every renderer takes them.
#[derive(Clone, Debug, Serialize)]
pub struct CutSets<'a> {
    /// The architecture.
    pub architecture: &'a str,
    /// Each a set of component names, smallest first.
    pub cut_sets: &'a [Vec<String>],
    /// The largest set looked for.
    pub order: u64,
}

/// One cut set a line: its size, then its components.
pub fn text(c: &CutSets<'_>) -> String {
    let mut out = format!(
        "minimal cut sets of {} up to order {} (dependency graph only: failover delays are not failures)\n",
        c.architecture, c.order
    );
    if c.cut_sets.is_empty() {
        out.push_str("  none: no set of that size takes the service down\n");
    }
    for cut in c.cut_sets {
        let _ = writeln!(out, "  {}  {}", cut.len(), cut.join(", "));
    }
    out
}

/// `{"architecture", "cut_sets": [[names]], "order"}` (no floats to check).
pub fn json(c: &CutSets<'_>) -> String {
    serde_json::to_string_pretty(c).expect("names and counts serialise") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json() {
        let cuts = vec![vec!["db".to_string()], vec!["web-a".to_string(), "web-b".to_string()]];
        let c = CutSets { architecture: "two-web", cut_sets: &cuts, order: 2 };
        insta::assert_snapshot!("text", text(&c));
        insta::assert_snapshot!("json", json(&c));
        insta::assert_snapshot!("none", text(&CutSets { architecture: "x", cut_sets: &[], order: 1 }));
    }
}
