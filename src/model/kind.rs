//! What a node of the model is: a component kind as written in the scenario, or a dataset
//! (a node the compiler derives from `data`, never written as a kind).

use crate::scenario;

/// What a component is (`Region`, `Az`, `Instance`, ...), or `Dataset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// A dataset (declared under `data`, never as a component kind).
    Dataset,
}

impl Kind {
    /// The name as written in scenario files (`Dataset` for a dataset's node).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Dataset => "Dataset",
            Kind::Region => scenario::Kind::Region.name(),
            Kind::Az => scenario::Kind::Az.name(),
            Kind::Power => scenario::Kind::Power.name(),
            Kind::Link => scenario::Kind::Link.name(),
            Kind::Instance => scenario::Kind::Instance.name(),
            Kind::Storage => scenario::Kind::Storage.name(),
            Kind::Database => scenario::Kind::Database.name(),
            Kind::LoadBalancer => scenario::Kind::LoadBalancer.name(),
            Kind::Dns => scenario::Kind::Dns.name(),
            Kind::Queue => scenario::Kind::Queue.name(),
            Kind::Group => scenario::Kind::Group.name(),
        }
    }
}

impl From<scenario::Kind> for Kind {
    fn from(kind: scenario::Kind) -> Kind {
        match kind {
            scenario::Kind::Region => Kind::Region,
            scenario::Kind::Az => Kind::Az,
            scenario::Kind::Power => Kind::Power,
            scenario::Kind::Link => Kind::Link,
            scenario::Kind::Instance => Kind::Instance,
            scenario::Kind::Storage => Kind::Storage,
            scenario::Kind::Database => Kind::Database,
            scenario::Kind::LoadBalancer => Kind::LoadBalancer,
            scenario::Kind::Dns => Kind::Dns,
            scenario::Kind::Queue => Kind::Queue,
            scenario::Kind::Group => Kind::Group,
        }
    }
}
