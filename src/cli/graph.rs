//! `faultline graph FILE --arch NAME`: the dependency graph as Graphviz DOT.

use std::path::PathBuf;

use super::output;
use super::{EXIT_BAD_INPUT, EXIT_OK};
use crate::diagnostic::did_you_mean;
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
    let archs = &compiled.system.architectures;
    let names: Vec<&str> = archs.iter().map(|a| a.name.as_str()).collect();
    let origin = args.file.display();
    let chosen = match &args.arch {
        Some(name) => archs.iter().find(|a| &a.name == name).ok_or_else(|| {
            let hint = did_you_mean(name, names.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| format!("architectures here: {}", names.join(", ")));
            format!("{origin}: error: no architecture named `{name}`\n  = hint: {hint}\n")
        }),
        None if archs.len() == 1 => Ok(&archs[0]),
        None => Err(format!(
            "{origin}: error: the file has {} architectures; choose one with --arch\n  = hint: architectures here: {}\n",
            archs.len(),
            names.join(", ")
        )),
    };
    match chosen {
        Ok(arch) => match output::stdout(model::to_dot(arch).as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                output::stderr(&format!("error: cannot write to stdout: {e}\n"));
                EXIT_BAD_INPUT
            }
        },
        Err(message) => {
            output::stderr(&message);
            EXIT_BAD_INPUT
        }
    }
}
