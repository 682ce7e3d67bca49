//! Statistics: per-replication outcomes, folded in replication order into a [`Report`].
//!
//! Owns the meaning of every reported number (DESIGN.md "Statistics"): availability is the
//! mean over replications of up-time / horizon with a Student-t 95% CI; RTO quantiles are
//! nearest-rank over all uncensored incidents, from [`LogHistogram`]s; an incident open at the
//! horizon counts in availability, downtime and incidents/yr but only as `censored` for RTO.
//! Mean time between incidents is the service's total up-time divided by the incidents.
//! Realised RPO quantiles are nearest-rank over every recoverable data-loss event (exact
//! mean beside them); unrecoverable events are counted apart with the span they lost.

mod aggregate;
mod cost;
mod histogram;
mod outcome;
mod report;
mod student_t;
mod wide;

pub use aggregate::{Aggregate, Incidents, MIN_REPLICATIONS_WITH_DOWNTIME};
pub use cost::cost_per_year;
pub use histogram::{HistogramError, LogHistogram, MAX_BUCKET, bucket_bounds, bucket_of};
pub use outcome::{DataTotals, Outcome, ProblemTotals, QueueTotals, simulate};
pub use report::*;
pub use student_t::{t_cdf, t_quantile};
pub use wide::Wide;
