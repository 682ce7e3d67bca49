//! What a design costs per year: every component its `cost_per_hour` for all the time it is
//! provisioned (up or down, as clouds bill it), a standby member its passive rate for the time
//! another member was active. The times are whole milliseconds summed over the replications
//! (exact integers, so the result does not depend on how replications were grouped); the
//! rates are applied once, at the end, in component order.
//!
//! A passive rate applies to a group's direct members while another member of that group is
//! active. A member of a group that is itself a cold group's passive member, and a component
//! only passive cold members need (asleep with them, `engine/dormancy.rs`), are billed their
//! own rates as if active: model a switched-off recovery stack's cost on its members directly.

use crate::model::{Architecture, ComponentId};
use crate::time::{MS_PER_HOUR, MS_PER_YEAR, SimTime};

/// The mean cost per simulated year of `arch` over `replications` of `horizon`, its standby
/// members active for `active` `[ms]` in total over all replications.
pub fn cost_per_year(
    arch: &Architecture,
    active: &[(ComponentId, u128)],
    horizon: SimTime,
    replications: u64,
) -> f64 {
    let provisioned = u128::from(horizon.0) * u128::from(replications);
    if provisioned == 0 {
        return 0.0;
    }
    let mut cost = 0.0;
    for (i, c) in arch.components.iter().enumerate() {
        if c.cost.per_hour == 0.0 && c.cost.passive_per_hour == 0.0 {
            continue;
        }
        let active_ms = active.iter().find(|(m, _)| m.index() == i).map_or(provisioned, |&(_, ms)| ms);
        let passive_ms = provisioned - active_ms;
        cost += c.cost.per_hour * (active_ms as f64 / MS_PER_HOUR as f64)
            + c.cost.passive_per_hour * (passive_ms as f64 / MS_PER_HOUR as f64);
    }
    cost / (provisioned as f64 / MS_PER_YEAR as f64)
}
