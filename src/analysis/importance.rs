//! Importance of components: which ones the service's downtime comes from, and how critical
//! each is to the structure.
//!
//! - **Downtime share** (from a Monte Carlo run): the share of the service's downtime charged to
//!   incidents caused by the component (any mode), from the run's problems.
//! - **Birnbaum importance** I_B(i) = P(service up | i up) - P(service up | i down): how much the
//!   service's availability moves with the component's. It is computed from the structure
//!   function of `cutsets::service_up` (needs `All`/`Any`/`AtLeast(k)`, a standby group up
//!   while a member is and its needs hold, a dataset while its holder is, an `Async` producer
//!   while its queue is) with every other component own-up with its own steady-state
//!   availability MTTF / (MTTF + MTTR), independently. MTTF is the mean of `fail` (the
//!   competing rate of `modes`), MTTR the mean of the recovery (alerting delay plus repair, or
//!   detection plus launch); waits for a crew and failover timing are left out, as is anything
//!   the structure function does not see. A component that cannot fail has availability 1.
//!
//! **How it is computed (exactly).** By factoring on shared components: a component that
//! reaches the service along two or more paths (an AZ under many instances, a region under its
//! AZs) is *conditioned* on, every other one is *free* (`structure`). For each of the 2^c
//! states of the c conditioned components, one forward pass gives every gate's probability
//! exactly, the inputs of each gate being independent once those are fixed (`gate`, `pass`),
//! and one backward pass gives the derivative of the service's availability with respect to
//! every free component's; I_B is then a sum over the states (`exact`). The sums are exact
//! and every product and gate takes its factors in increasing order, so the result depends
//! only on the structure and the numbers, not on names or declaration order: components that
//! are symmetric in the design (two instances of a tier in one AZ; two AZs with the same
//! instances) get bit-identical values. A BDD was the alternative; this keeps the cost at
//! 2^c passes, each linear in the size of the design, and designs share few components.
//!
//! **Budget (decision).** The exact method runs when c <= [`MAX_CONDITIONED`] and
//! 2^c x (work of one pass + c²) <= [`BUDGET`] = 2^23 work units (a unit: a node, or one input
//! through one state of a gate's recurrence, counted twice on nodes the backward pass visits;
//! c² for the states' weights). On the reference machine (benches/README.md) a unit takes
//! 10-25 ns, so the exact method stays under about 0.2 s. On the 1,515-component
//! `bench-tiers-large.ron`, c = 4 (the region and the AZs) and a pass is 9,049 units: 145,040
//! in all, under 2 ms; the bundled scenarios have c <= 5. Past the budget, the method is
//! `estimate` (conditional Monte Carlo with failure biasing over the conditioned components'
//! states, see `estimate`), drawing as many states as the budget pays for, at most
//! [`SAMPLES`] and at least [`MIN_SAMPLES`], each value with its standard error. That error
//! is itself estimated: for a value many orders of magnitude below the others (one that
//! needs several conditioned components down at once) it can be far off.
//!
//! Values are clamped to [0, 1], where I_B lies (the structure function is monotone): float
//! rounding, or an estimate's noise, may take one a little outside.
//!
//! Decision where the contract is silent: I_B is computed for every component that can fail
//! or caused downtime (an injected target that cannot fail at random), with its own state a
//! variable; one outside the service's dependencies has I_B = 0.

mod estimate;
mod exact;
mod exact_sum;
mod gate;
mod pass;
mod structure;
#[cfg(test)]
mod tests;

pub use crate::metrics::Method;
use crate::metrics::{Aggregate, Importance, Ranking};
use crate::model::{Architecture, ComponentId, Recovery};
use crate::time::SimTime;
use structure::{Own, Structure};

/// At most this many conditioned components for the exact method.
pub const MAX_CONDITIONED: usize = 20;

/// Work units the exact method may take (see the module docs).
pub const BUDGET: u64 = 1 << 23;

/// Random states of the conditioned components drawn by the estimate, at most.
pub const SAMPLES: u64 = 4000;

/// Random states drawn by the estimate, at least.
pub const MIN_SAMPLES: u64 = 100;

/// Birnbaum importances of the components asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Birnbaum {
    /// How they were computed.
    pub method: Method,
    /// Per component asked for, in the same order: the value, and with [`Method::Estimate`]
    /// its standard error.
    pub values: Vec<(f64, Option<f64>)>,
}

/// The ranking a report lists: every component of `arch` that can fail or caused downtime in
/// the run folded in `aggregate` (replications of `horizon`), with its share of the service's
/// unplanned downtime (planned outages are no component's problem) and its Birnbaum importance (exact within [`BUDGET`]), by share, then Birnbaum
/// importance (both descending), then name.
pub fn ranking(arch: &Architecture, aggregate: &Aggregate, horizon: SimTime) -> Ranking {
    let downtime = aggregate.downtime_by_component(arch);
    let down_total_ms = aggregate.unplanned_downtime_ms(horizon);
    let ids: Vec<ComponentId> = (0..arch.components.len() as u32)
        .map(ComponentId)
        .filter(|c| arch.components[c.index()].can_fail() || downtime[c.index()] > 0)
        .collect();
    let birnbaum = birnbaum(arch, &ids, BUDGET);
    let mut rows: Vec<Importance> = ids
        .iter()
        .zip(birnbaum.values)
        .map(|(c, (b, se))| Importance {
            component: arch.components[c.index()].name.clone(),
            downtime_share: if down_total_ms > 0 {
                downtime[c.index()] as f64 / down_total_ms as f64
            } else {
                0.0
            },
            birnbaum: b,
            birnbaum_se: se,
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.downtime_share.total_cmp(&a.downtime_share))
            .then(b.birnbaum.total_cmp(&a.birnbaum))
            .then_with(|| a.component.cmp(&b.component))
    });
    Ranking { method: birnbaum.method, components: rows }
}

/// The steady-state (P(own-up), P(own-down)) of `c`, each computed directly: with λ its
/// failure rate and r its mean recovery, 1 / (1 + λr) and λr / (1 + λr); (1, 0) if it cannot
/// fail.
pub fn own_states(arch: &Architecture, c: ComponentId) -> (f64, f64) {
    let comp = &arch.components[c.index()];
    let recovery_ms = |r: &Recovery| comp.mean_recovery_ms(r);
    let (rate, down_ms) = match (comp.fail, &comp.recover) {
        (Some(fail), Some(r)) => (1.0 / fail.mean_ms(), recovery_ms(r)),
        _ => {
            let rates: Vec<(f64, f64)> = comp
                .modes
                .iter()
                .filter_map(|m| m.fail.map(|f| (1.0 / f.mean_ms(), recovery_ms(&m.recover))))
                .collect();
            let rate: f64 = rates.iter().map(|&(l, _)| l).sum();
            if rate == 0.0 {
                return (1.0, 0.0);
            }
            (rate, rates.iter().map(|&(l, r)| l * r).sum::<f64>() / rate)
        }
    };
    let x = rate * down_ms;
    (1.0 / (1.0 + x), x / (1.0 + x))
}

/// The steady-state availability of `c` on its own (1 if it cannot fail).
pub fn own_availability(arch: &Architecture, c: ComponentId) -> f64 {
    own_states(arch, c).0
}

/// Birnbaum importance of each of `components` (see the module docs), in the same order,
/// exact if the design fits in `budget` work units ([`BUDGET`] in reports).
pub fn birnbaum(arch: &Architecture, components: &[ComponentId], budget: u64) -> Birnbaum {
    let s = Structure::new(arch, components, |c| own_states(arch, c));
    let c = s.conditioned.len();
    let mut slot_of = vec![None; arch.components.len()];
    s.component.iter().enumerate().for_each(|(i, id)| slot_of[id.index()] = Some(i));
    let own = |id: &ComponentId| slot_of[id.index()].map(|i| s.nodes[i].own);
    let (method, values) = if fits(&s, budget) {
        let e = exact::exact(&s);
        let value = |id: &ComponentId| match own(id) {
            Some(Own::Free(v)) => e.free[v as usize],
            Some(Own::Conditioned(j)) => e.conditioned[j as usize],
            Some(Own::Up) | None => 0.0,
        };
        (Method::Exact, components.iter().map(|id| (probability(value(id)), None)).collect())
    } else {
        let per_draw = s.pass_cost.saturating_mul(1 + c as u64).max(1);
        let draws = (budget / per_draw).clamp(MIN_SAMPLES, SAMPLES);
        let e = estimate::estimate(&s, &arch.name, draws);
        let value = |id: &ComponentId| match own(id) {
            Some(Own::Free(v)) => e.free[v as usize],
            Some(Own::Conditioned(j)) => e.conditioned[j as usize],
            Some(Own::Up) | None => (0.0, 0.0),
        };
        (Method::Estimate, components.iter().map(value).map(|(m, se)| (probability(m), Some(se))).collect())
    };
    Birnbaum { method, values }
}

/// `v` clamped to [0, 1] (see the module docs).
fn probability(v: f64) -> f64 {
    if v > 0.0 { v.min(1.0) } else { 0.0 }
}

/// P(service up) from the structure function with every component own-up with its own
/// availability, independently, computed exactly as the Birnbaum importances are; `None` when
/// the design is past `budget` (see the module docs).
pub fn structure_availability(arch: &Architecture, budget: u64) -> Option<f64> {
    let s = Structure::new(arch, &[], |c| own_states(arch, c));
    fits(&s, budget).then(|| exact::exact(&s).availability)
}

/// Whether the exact method on `s` fits in `budget` work units (see the module docs).
fn fits(s: &Structure, budget: u64) -> bool {
    let c = s.conditioned.len();
    c <= MAX_CONDITIONED && (1u64 << c).saturating_mul(s.pass_cost + (c * c) as u64) <= budget
}
