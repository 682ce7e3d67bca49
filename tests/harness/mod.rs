//! What the integration-test binaries share: the `faultline` binary run from the crate root (or
//! from a folder), scratch files and folders, the bundled scenarios by name, and the statistics
//! the closed-form checks compare with (mean and standard error, quantiles).
//!
//! Each binary (`tests/<area>/main.rs`) includes this module with `#[path]`; a binary uses part
//! of it, so unused items are allowed here.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root: paths such as `scenarios/three-tier.ron` and `tests/fixtures/...` are
/// relative to it.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The `faultline` binary of this build, to be run from the crate root. For runs that need
/// stdin, environment variables or a process handle; [`faultline`] covers the rest.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_faultline"));
    command.current_dir(ROOT);
    command
}

/// What one run of the binary printed, and its exit code (`None` if a signal ended it).
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The run of `args` that gave `output`: UTF-8 on both streams, no panic.
    pub fn of(args: &[&str], output: Output) -> Run {
        let run = Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        };
        assert!(!run.stderr.contains("panicked"), "faultline {args:?} panicked:\n{}", run.stderr);
        run
    }

    /// The exit code; panics if a signal ended the process.
    pub fn exit_code(&self) -> i32 {
        self.code.expect("faultline exited with a code, not a signal")
    }
}

/// Runs `faultline ARGS` from the crate root.
pub fn faultline(args: &[&str]) -> Run {
    faultline_in(Path::new(ROOT), args)
}

/// Runs `faultline ARGS` from `dir`.
pub fn faultline_in(dir: &Path, args: &[&str]) -> Run {
    let output = command().current_dir(dir).args(args).output().expect("the faultline binary runs");
    Run::of(args, output)
}

/// An empty scratch folder `name` under this build's temporary folder (emptied first, so a
/// test sees only what it wrote). Names are unique across the test binaries.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

/// Writes `contents` to the scratch file `name` under this build's temporary folder.
pub fn scratch_file(name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).expect("write a scratch file");
    path
}

/// The text of the bundled scenario `scenarios/NAME`.
pub fn scenario(name: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join("scenarios").join(name))
        .unwrap_or_else(|e| panic!("scenarios/{name}: {e}"))
}

/// Mean and standard error of the mean (sample standard deviation over √n).
pub fn mean_se(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, libm::sqrt(var / n))
}

/// Nearest-rank quantile of sorted values.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    let rank = (libm::ceil(p * sorted.len() as f64) as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
