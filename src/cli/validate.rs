//! `faultline validate FILE...`: every file, every diagnostic.
//!
//! With `--deny-warnings` a file with a warning fails like one with an error (exit 2, a count
//! line on stderr, no `ok` line), for CI; the warnings themselves are printed as warnings.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Error, error, output};

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files (RON).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Exit 2 if any file has a warning (for CI).
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Validates each file; exit 2 if any has an error (or, with `--deny-warnings`, a warning).
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let mut failed = false;
    let mut summary = String::new();
    for path in &args.files {
        match output::compile_file(path) {
            Ok(compiled) if args.deny_warnings && !compiled.warnings.is_empty() => {
                let n = compiled.warnings.len();
                error::print(&Error::new(format!(
                    "{}: {n} warning{}, denied by --deny-warnings",
                    path.display(),
                    plural(n)
                )));
                failed = true;
            }
            Ok(compiled) => {
                let s = &compiled.system;
                // Shared components count once, not once per architecture.
                // Datasets are nodes too, but are counted apart.
                let components: usize = s
                    .architectures
                    .iter()
                    .map(|a| a.components.iter().filter(|c| !c.shared && c.dataset.is_none()).count())
                    .sum::<usize>()
                    + s.architectures.first().map_or(0, |a| a.components.iter().filter(|c| c.shared).count());
                let datasets: usize = s.architectures.iter().map(|a| a.datasets.len()).sum();
                let datasets = match datasets {
                    0 => String::new(),
                    n => format!(", {n} dataset{}", plural(n)),
                };
                summary.push_str(&format!(
                    "{}: ok: {} architecture{}, {} component{}{datasets}, {} replications over {}\n",
                    path.display(),
                    s.architectures.len(),
                    plural(s.architectures.len()),
                    components,
                    plural(components),
                    s.replications,
                    s.horizon,
                ));
            }
            Err(e) => {
                error::print(&e);
                failed = true;
            }
        }
    }
    let printed = output::print(&summary)?;
    if failed { Err(Error::Reported) } else { Ok(printed) }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
