//! The README's property-testing example is `tests/readme/example.rs`, word for word: this file
//! checks that the README quotes it exactly, compiles and runs it (its two tests), and checks
//! that the failure message the README shows is the one it prints.

include!("readme/example.rs");

use crate::harness;

const README: &str = include_str!("../../README.md");

/// The body of the README's only ```` ```LANG ```` block after `after` (a byte offset), and
/// where it ends.
fn block(lang: &str, after: usize) -> (&'static str, usize) {
    let fence = format!("\n```{lang}\n");
    let start =
        after + README[after..].find(&fence).unwrap_or_else(|| panic!("no ```{lang} block")) + fence.len();
    let len = README[start..].find("\n```\n").expect("a closed block") + 1;
    (&README[start..start + len], start + len)
}

#[test]
fn the_readme_quotes_the_example_word_for_word() {
    assert_eq!(README.matches("\n```rust\n").count(), 1, "one Rust example in the README");
    let (quoted, _) = block("rust", 0);
    assert_eq!(quoted, include_str!("readme/example.rs"));
}

#[test]
fn the_readme_shows_the_message_the_failing_property_prints() {
    let (_, end) = block("rust", 0);
    let (shown, _) = block("text", end);
    let failure = survives_any_az_failure("single-az", "1h").unwrap_err();
    assert_eq!(format!("{failure}"), shown);
    assert_eq!(format!("{failure:?}"), shown, "`?` in a test prints Debug: the same text");
}

#[test]
fn the_first_screen_runs_the_main_job_and_the_tests_and_says_how_to_install() {
    let first_screen = &README[..README.find("\n## ").expect("a first section")];
    let (commands, _) = block("sh", 0);
    assert!(first_screen.contains(commands), "the first commands are on the first screen");
    let commands: Vec<&str> = commands.lines().map(|l| l.split("  #").next().unwrap().trim()).collect();
    assert_eq!(commands, ["cargo run --release -- run scenarios/web-single-vs-multi-az.ron", "cargo test"]);
    assert!(first_screen.contains("`cargo install --path .`"), "how to put `faultline` on the PATH");
}

#[test]
fn the_report_example_is_what_the_first_command_prints() {
    let heading = README.find("\n## Reading the report\n").expect("the section");
    let (shown, _) = block("text", heading);
    let out =
        harness::command().args(["run", "scenarios/web-single-vs-multi-az.ron", "-q"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), shown);
}

#[test]
fn the_readme_scenario_compiles_and_so_does_its_derived_design_example() {
    let (scenario, _) = block("ron", 0);
    let system = faultline::model::compile_str(scenario).unwrap_or_else(|d| panic!("{d:#?}")).system;
    assert_eq!(system.architectures.len(), 1);
    // The derived-design example, indented in its list item, added to the scenario's designs.
    let fence = "\n  ```ron\n";
    let start = README.find(fence).expect("the derived-design example") + fence.len();
    let end = start + README[start..].find("\n  ```\n").expect("closed");
    let example: String =
        README[start..end].lines().map(|l| format!("{}\n", l.trim_start_matches("  "))).collect();
    let at = scenario.find("    architectures: [\n").expect("an architectures list")
        + "    architectures: [\n".len();
    let text = format!("{}{example}{}", &scenario[..at], &scenario[at..]);
    let system = faultline::model::compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}\n{text}")).system;
    let single = system.architectures.iter().find(|a| a.name == "one-web").unwrap();
    let own: Vec<&str> = single.components.iter().filter(|c| !c.shared).map(|c| c.name.as_str()).collect();
    assert_eq!(own, ["web-1", "web"]);
}
