//! report.md's "Single points of failure" section: per architecture, the components whose
//! failure alone takes the service down (`faultline sweep`, order 1, 30 days each).

use std::fmt::Write as _;

/// The section, from (architecture, its single points of failure) in file order.
pub fn markdown(spofs: &[(String, Vec<String>)]) -> String {
    let mut md = String::from(
        "\n## Single points of failure\n\nEach component failed alone for 30 days, random failures off (`faultline sweep`); a\nfailover that takes a switch time counts.\n\n| architecture | single points of failure |\n|---|---|\n",
    );
    for (arch, names) in spofs {
        let list = if names.is_empty() {
            "none".to_string()
        } else {
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        };
        let _ = writeln!(md, "| {} | {list} |", arch.replace('|', "\\|"));
    }
    md
}

#[cfg(test)]
mod tests {
    #[test]
    fn section() {
        let spofs = [
            ("single|az".to_string(), vec!["db".to_string(), "lb".to_string()]),
            ("multi-az".to_string(), vec![]),
        ];
        insta::assert_snapshot!(super::markdown(&spofs));
    }
}
