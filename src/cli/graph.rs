//! `faultline graph FILE --arch NAME`: the dependency graph as Graphviz DOT.

use std::path::PathBuf;

use super::EXIT_BAD_INPUT;
use super::output;
use super::run::select_one;
use crate::model;

/// Arguments of `graph`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (RON).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Architecture to draw; may be left out when the file has only one.
    #[arg(long, value_name = "NAME")]
    pub arch: Option<String>,
}

/// Prints the DOT of one architecture.
pub fn run(args: &Args) -> u8 {
    let Some(compiled) = output::compile_file(&args.file) else { return EXIT_BAD_INPUT };
    let origin = args.file.display().to_string();
    match select_one(&compiled.system, args.arch.as_deref(), &origin) {
        Some(arch) => output::print(&model::to_dot(arch)),
        None => EXIT_BAD_INPUT,
    }
}
