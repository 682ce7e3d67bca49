//! `faultline graph FILE --arch NAME`: the dependency graph as Graphviz DOT.

use std::path::PathBuf;
use std::process::ExitCode;

use super::run::select_one;
use super::{Error, output};
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
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let compiled = output::compile_file(&args.file)?;
    let origin = args.file.display().to_string();
    let arch = select_one(&compiled.system, args.arch.as_deref(), &origin)?;
    output::print(&model::to_dot(arch))
}
