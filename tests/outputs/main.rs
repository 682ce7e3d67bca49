//! What the commands write: output folders and bundles (`report`), charts, and data loss in
//! every output format.

#[path = "../harness/mod.rs"]
mod harness;

mod charts;
mod data;
mod folders;
mod report;
