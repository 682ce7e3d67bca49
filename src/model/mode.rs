//! How a component goes own-down: the vocabulary of failure modes that problem names,
//! traces and reports use (`<component>/<mode>`). The engine decides when each happens.

/// How a component went own-down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Mode {
    /// A random failure drawn from its `fail` distribution.
    Failure,
    /// A scripted injection.
    Injected,
    /// A planned maintenance window.
    Maintenance,
    /// A standby member failed to start when it was activated.
    StartFailure,
    /// A standby group switched back to a higher-priority member (`failback: true`).
    Failback,
    /// A standby member's battery ran out (`runtime`).
    BatteryEmpty,
    /// A random failure in the component's failure mode of this index.
    Named(u16),
    /// An injection naming the failure mode of this index.
    InjectedNamed(u16),
    /// A dataset lost its primary copy (the cause is then the failure that destroyed it; this
    /// mode only names a dataset's own state in traces).
    DataLoss,
}

impl Mode {
    /// The mode as written in problem names (`db-a/failure`, `use1-az1/injected`); a named
    /// failure mode's name is the component's (see [`super::Component::mode_name`]).
    pub fn name(self) -> &'static str {
        match self {
            Mode::Named(_) => "mode",
            Mode::InjectedNamed(_) => "injected-mode",
            Mode::DataLoss => "data-lost",
            Mode::Failure => "failure",
            Mode::Injected => "injected",
            Mode::Maintenance => "maintenance",
            Mode::StartFailure => "start-failure",
            Mode::Failback => "failback",
            Mode::BatteryEmpty => "battery-empty",
        }
    }
}
