//! The serde schema of a scenario file (DESIGN.md, "Scenario file (RON)").
//!
//! Every struct and enum denies unknown fields. Optional fields are written bare thanks to
//! `IMPLICIT_SOME`. Defaults where the file is silent: `seed` 0, `replications` 1000,
//! `random` true, no objectives, no profiles, no shared components, no injections.

use serde::{Deserialize, Deserializer};

use super::dist_expr::DistExpr;
use super::spanned::Spanned;
use super::target_expr::TargetExpr;

/// Replications run when the scenario does not say.
pub const DEFAULT_REPLICATIONS: u32 = 1000;

/// The most replications a scenario or `--replications` may ask for. `compare` and `check`
/// keep one value per replication and architecture (8 bytes: 80 MB per architecture at the
/// limit, and a baseline file of about 250 MB), so the count must be one they can store. For
/// more precision, the same simulated years in fewer, longer replications store fewer values.
pub const MAX_REPLICATIONS: u64 = 10_000_000;

/// A whole scenario file.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "Scenario", deny_unknown_fields)]
pub struct Scenario {
    /// Title of the comparison.
    pub name: Spanned<String>,
    /// Master seed of every random stream.
    #[serde(default)]
    pub seed: u64,
    /// Simulated time per replication, a positive duration.
    pub horizon: Spanned<String>,
    /// Number of independent replications (with `precision`: the first batch).
    pub replications: Option<Spanned<u64>>,
    /// Run until the 95% CI half-width of each design's unavailability is at most this
    /// fraction of it (0.05: 5%), doubling the replications from `replications`.
    pub precision: Option<Spanned<f64>>,
    /// `false`: no random failures, only the injections happen.
    pub random: Option<bool>,
    /// Objectives of every architecture (each may override field by field).
    pub objectives: Option<ObjectivesSpec>,
    /// Named bundles of component fields, in file order.
    #[serde(default)]
    pub profiles: Profiles,
    /// Repair crews: name -> how many repairs they work on at once.
    #[serde(default)]
    pub crews: Crews,
    /// Components present in every architecture under the same names.
    #[serde(default)]
    pub shared: Vec<ComponentSpec>,
    /// The candidate designs, compared side by side.
    pub architectures: Vec<ArchitectureSpec>,
    /// Scripted failures, applied to every architecture that has the target.
    #[serde(default)]
    pub injections: Vec<InjectionSpec>,
    /// Recurring planned outages, applied to every architecture that has the target.
    #[serde(default)]
    pub maintenance: Vec<MaintenanceSpec>,
}

/// Targets a design must meet. Every field is optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename = "objectives", deny_unknown_fields)]
pub struct ObjectivesSpec {
    /// Availability target, a fraction in [0, 1] (0.9995 = "three and a half nines"), over
    /// all downtime.
    pub availability: Option<Spanned<f64>>,
    /// Availability target over unplanned downtime only (planned maintenance excluded, as
    /// SLAs usually count it), a fraction in [0, 1].
    pub availability_unplanned: Option<Spanned<f64>>,
    /// Recovery time objective, a duration.
    pub rto: Option<Spanned<String>>,
    /// Recovery point objective, a duration.
    pub rpo: Option<Spanned<String>>,
    /// `false`: reported but never failing a `check` (a design kept for contrast).
    pub gate: Option<bool>,
}

/// A profile: defaults for components that name it. Each field a component gives itself
/// replaces the profile's whole.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename = "profile", deny_unknown_fields)]
pub struct ProfileSpec {
    /// Time to failure, or `Never`.
    pub fail: Option<DistExpr>,
    /// How an own failure ends.
    pub recover: Option<RecoverSpec>,
    /// Alerting: time from an own failure until someone starts the `Repair` (no effect on
    /// `Replace`, which has its own `detect`).
    pub detect: Option<DistExpr>,
    /// The repair crew a `Repair` waits for.
    pub crew: Option<Spanned<String>>,
    /// Probability in [0, 1] that the component fails to start when a standby group activates it.
    pub start_failure: Option<Spanned<f64>>,
    /// Failure modes, instead of `fail`.
    pub modes: Option<Vec<ModeSpec>>,
    /// What the component costs per hour provisioned, in the user's currency.
    pub cost_per_hour: Option<Spanned<f64>>,
    /// As a standby member: what it costs per hour while passive.
    pub passive_cost_per_hour: Option<Spanned<f64>>,
    /// Repair priority with its crew (higher first; default 0).
    pub priority: Option<Spanned<i64>>,
}

/// One failure mode: its own time to failure, whether it destroys data, and optionally its own
/// recovery (else the component's).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "mode", deny_unknown_fields)]
pub struct ModeSpec {
    /// Name, unique within the component; the problem is `<component>/<name>`.
    pub name: Spanned<String>,
    /// Time to failure in this mode, or `Never` (a mode only injections use).
    pub fail: DistExpr,
    /// Whether a failure in this mode destroys the data of the component (and of everything in
    /// it). Default false.
    #[serde(default)]
    pub loses_data: bool,
    /// How a failure in this mode ends; default the component's `recover`.
    pub recover: Option<RecoverSpec>,
}

/// A `{ "name": value }` map in file order, duplicates kept so the compiler can report them.
#[derive(Clone, Debug)]
pub struct NamedMap<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for NamedMap<V> {
    fn default() -> Self {
        NamedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for NamedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Entries<V> {
            type Value = NamedMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of names to values: { \"name\": ... }")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<NamedMap<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(NamedMap(entries))
            }
        }
        deserializer.deserialize_map(Entries(std::marker::PhantomData))
    }
}

/// The `profiles` map.
pub type Profiles = NamedMap<ProfileSpec>;

/// The `crews` map: repair crews and how many repairs each can work on at once.
pub type Crews = NamedMap<Spanned<u64>>;

/// The kind of a component, as a file can write it. Kinds are labels for reports and graphs,
/// except `Group`, which has no failures of its own and is up iff its `needs` hold. (The model
/// adds the kind of the nodes it derives from `data`: `model::Kind::Dataset`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename = "kind")]
pub enum Kind {
    /// A cloud region.
    Region,
    /// An availability zone.
    Az,
    /// A power source or feed.
    Power,
    /// A network link.
    Link,
    /// A compute instance.
    Instance,
    /// A storage volume or service.
    Storage,
    /// A database.
    Database,
    /// A load balancer.
    LoadBalancer,
    /// A DNS service.
    Dns,
    /// A queue.
    Queue,
    /// A logical group: up iff its `needs` hold.
    Group,
}

impl Kind {
    /// The name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Region => "Region",
            Kind::Az => "Az",
            Kind::Power => "Power",
            Kind::Link => "Link",
            Kind::Instance => "Instance",
            Kind::Storage => "Storage",
            Kind::Database => "Database",
            Kind::LoadBalancer => "LoadBalancer",
            Kind::Dns => "Dns",
            Kind::Queue => "Queue",
            Kind::Group => "Group",
        }
    }
}

/// One component as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "component", deny_unknown_fields)]
pub struct ComponentSpec {
    /// Unique name within its architecture (shared components included).
    pub name: Spanned<String>,
    /// What it is.
    pub kind: Kind,
    /// Profile supplying `fail`/`recover` not given here.
    pub profile: Option<Spanned<String>>,
    /// Time to failure; replaces the profile's whole.
    pub fail: Option<DistExpr>,
    /// How an own failure ends; replaces the profile's whole.
    pub recover: Option<RecoverSpec>,
    /// What must be effectively up for this component to be.
    pub needs: Option<NeedsSpec>,
    /// On a `Group`: what must be up for it to carry the full load (`All`, `Any` or
    /// `AtLeast`); below it but within `needs`, it is up but degraded.
    pub full: Option<NeedsSpec>,
    /// Alerting delay before a `Repair` starts (see [`ProfileSpec::detect`]).
    pub detect: Option<DistExpr>,
    /// The repair crew a `Repair` waits for.
    pub crew: Option<Spanned<String>>,
    /// Probability in [0, 1] of failing to start when a standby group activates it.
    pub start_failure: Option<Spanned<f64>>,
    /// As a standby member: how long it can carry the load once active (a UPS battery).
    pub runtime: Option<DistExpr>,
    /// As a standby member with `runtime`: how long its `needs` must hold again to recharge.
    pub recharge: Option<DistExpr>,
    /// With a battery: the components it recharges from (it charges only while one of them is
    /// up, beside its own `needs`; default: no source needed).
    pub charges_from: Option<Vec<Spanned<String>>>,
    /// Makes a `Group` a standby group: one active member, failover to the next.
    pub standby: Option<StandbySpec>,
    /// Failure modes, instead of `fail`; replaces the profile's whole.
    pub modes: Option<Vec<ModeSpec>>,
    /// For a `Queue`: how long it keeps a message nobody consumed, a positive duration.
    pub retention: Option<Spanned<String>>,
    /// What the component costs per hour provisioned, up or down, in the user's currency
    /// (default 0; replaces the profile's).
    pub cost_per_hour: Option<Spanned<f64>>,
    /// As a standby member: what it costs per hour while passive (default: `cost_per_hour`,
    /// 0 in a `Cold` group).
    pub passive_cost_per_hour: Option<Spanned<f64>>,
    /// With a `crew`: a free member takes the waiting repair of highest priority first, then
    /// the one waiting longest, then by name (default 0; replaces the profile's).
    pub priority: Option<Spanned<i64>>,
}

/// A standby (active/passive) group.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "standby", deny_unknown_fields)]
pub struct StandbySpec {
    /// Members in priority order; the first is active at the start.
    pub members: Vec<Spanned<String>>,
    /// Time from the active member becoming unhealthy to the decision to switch.
    pub detect: DistExpr,
    /// Time to switch to a member (promotion, DNS change, transfer switch).
    pub switch: DistExpr,
    /// Switch back to a higher-priority member once it is healthy again (default false).
    pub failback: Option<bool>,
    /// Whether passive members age (`Hot`, default) or their failure clock is paused (`Cold`).
    pub passive: Option<Passive>,
}

/// How passive standby members age.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename = "passive")]
pub enum Passive {
    /// Running and ageing like any component.
    #[default]
    Hot,
    /// Idle: cannot fail until activated.
    Cold,
    /// Ageing at `factor` (0 < factor <= 1) of real time while passive: the reliability-theory
    /// warm spare (an exponential failure clock fails at `factor` of its rate).
    Warm {
        /// How fast a passive member's failure clocks run, relative to an active one's.
        factor: Spanned<f64>,
    },
}

/// How an own failure ends.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename = "recover", deny_unknown_fields)]
pub enum RecoverSpec {
    /// Repaired in place after the given time.
    Repair(DistExpr),
    /// Detected, then replaced by a new component after launching.
    Replace {
        /// Time to notice the failure.
        detect: DistExpr,
        /// Time to bring up the replacement.
        launch: DistExpr,
    },
}

/// Dependencies.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename = "needs", deny_unknown_fields)]
pub enum NeedsSpec {
    /// Every listed component must be up.
    All(Vec<Spanned<String>>),
    /// At least one listed component must be up.
    Any(Vec<Spanned<String>>),
    /// At least k listed components must be up.
    AtLeast(Spanned<u64>, Vec<Spanned<String>>),
    /// Hands work to `consumers` through `queue`: only the queue must be up; an outage of the
    /// consumers builds a backlog instead.
    Async {
        /// The `Queue` component.
        queue: Spanned<String>,
        /// What consumes the queue (a component or a group).
        consumers: Spanned<String>,
    },
}

/// One candidate design.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "architecture", deny_unknown_fields)]
pub struct ArchitectureSpec {
    /// Unique name, shown in reports.
    pub name: Spanned<String>,
    /// The design this one derives from: everything of it, then the fields below (see
    /// `model::compile::derived`).
    pub extends: Option<Spanned<String>>,
    /// Overrides of the scenario's objectives, field by field (with `extends`: replaces the
    /// base design's when given).
    pub objectives: Option<ObjectivesSpec>,
    /// The design's own components (the shared ones are added). With `extends`: added to the
    /// base design's, a same-named one replacing it whole.
    #[serde(default)]
    pub components: Vec<ComponentSpec>,
    /// With `extends`: components of the base design left out.
    #[serde(default)]
    pub remove: Vec<Spanned<String>>,
    /// The component whose up-time is the service's availability (with `extends`: the base
    /// design's unless given).
    pub service: Option<Spanned<String>>,
    /// Datasets: where their copies live and how they are recovered (with `extends`: replace
    /// the base design's when given).
    pub data: Option<Vec<DatasetSpec>>,
}

/// A dataset: a primary copy on its holder, replicas, backup chains.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "dataset", deny_unknown_fields)]
pub struct DatasetSpec {
    /// Unique name (components and datasets share one name space); components may `need` it.
    pub name: Spanned<String>,
    /// The component holding the primary copy (a standby group: its active member).
    pub holder: Spanned<String>,
    /// Copies kept by replication.
    #[serde(default)]
    pub replicas: Vec<ReplicaSpec>,
    /// Backup chains.
    #[serde(default)]
    pub backups: Vec<BackupSpec>,
    /// Time to promote a replica to primary; required iff there are replicas.
    pub promote: Option<DistExpr>,
    /// Time for a replica whose copy was lost to resync; required iff there are replicas.
    pub resync: Option<DistExpr>,
}

/// A replica of a dataset.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "replica", deny_unknown_fields)]
pub struct ReplicaSpec {
    /// The component it lives on.
    pub on: Spanned<String>,
    /// How it follows the primary.
    pub mode: ReplicationSpec,
}

/// How a replica follows the primary.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "replication", deny_unknown_fields)]
pub enum ReplicationSpec {
    /// Every write is on the replica before it is acknowledged.
    Sync,
    /// Writes reach the replica after `lag`.
    Async {
        /// Replication lag, a delay.
        lag: DistExpr,
    },
}

/// A backup chain: a copy every `every`, kept on `to`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "backup", deny_unknown_fields)]
pub struct BackupSpec {
    /// Interval between backup starts, a positive duration.
    pub every: Spanned<String>,
    /// The component the backups are stored on.
    pub to: Spanned<String>,
    /// Time to restore the dataset from a backup, a delay.
    pub restore: DistExpr,
    /// Time a backup takes before it is usable (default "0s").
    pub takes: Option<Spanned<String>>,
    /// Backups start at `offset + k * every`, k >= 1 (default "0s").
    pub offset: Option<Spanned<String>>,
    /// Where a restore goes (default: the holder); the restored copy is the primary there.
    pub into: Option<Spanned<String>>,
}

/// Recurring planned outages of a target: windows `[at + k every, at + k every + duration)`,
/// k >= 0, before the horizon.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "maintenance", deny_unknown_fields)]
pub struct MaintenanceSpec {
    /// Component(s) taken down for each window.
    pub target: TargetExpr,
    /// Time between window starts, a positive duration.
    pub every: Spanned<String>,
    /// Start of the first window, a duration since t = 0 (default "0s").
    pub at: Option<Spanned<String>>,
    /// Length of each window, a positive duration shorter than `every`.
    pub duration: Spanned<String>,
}

/// A scripted failure.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "injection", deny_unknown_fields)]
pub struct InjectionSpec {
    /// Component(s) made own-down.
    pub target: TargetExpr,
    /// Start, a duration since t = 0.
    pub at: Spanned<String>,
    /// How long the target stays own-down, a positive duration.
    pub duration: Spanned<String>,
    /// A failure mode of the target (a data-losing one destroys data).
    pub mode: Option<Spanned<String>>,
}
