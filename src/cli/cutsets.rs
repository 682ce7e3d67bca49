//! `faultline cutsets FILE --arch NAME --order K`: minimal cut sets from the graph alone.

use std::path::PathBuf;
use std::process::ExitCode;

use super::run::select_one;
use super::{Error, output};
use crate::analysis::cutsets::minimal_cut_sets;
use crate::report::cutsets::CutSets;

/// Output formats of `cutsets`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One cut set a line.
    Text,
    /// `{"architecture", "order", "cut_sets": [[names]]}`.
    Json,
}
output::format_flag!(Format { Text, Json });

/// Arguments of `cutsets`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (RON).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Architecture; may be left out when the file has only one.
    #[arg(long, value_name = "NAME")]
    pub arch: Option<String>,
    /// Largest cut set to look for.
    #[arg(long, value_name = "K", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=4))]
    pub order: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Prints the minimal cut sets.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let origin = args.file.display().to_string();
    let system = output::compile_file(&args.file)?.system;
    let arch = select_one(&system, args.arch.as_deref(), &origin)?;
    let cuts = minimal_cut_sets(arch, args.order as usize);
    let report = CutSets { architecture: &arch.name, cut_sets: &cuts, order: args.order };
    output::render(&report, args.format)
}
