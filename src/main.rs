//! The `faultline` binary: everything lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    faultline::cli::main()
}
