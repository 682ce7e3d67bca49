//! The command line as a user meets it: `run`, `check`, `compare`, `cutsets`, `sweep`, the
//! output formats, big inputs and long runs, and the README's examples.

#[path = "../harness/mod.rs"]
mod harness;

mod check;
mod compare;
mod formats;
mod limits;
mod precision;
mod rare;
mod readme;
mod run;
mod scale;
mod shards;
