//! Backup chains in closed form: no event per backup.
//!
//! A chain's backups start at `offset + k * every` (k >= 1); a start succeeds iff, in the
//! settled state of its instant (after the instant's own changes, standby decisions and
//! datasets' re-decisions, before the datasets' timers), the dataset accepts writes and the
//! store is up. A successful start is usable `takes` after it (`takes < every`, so it is
//! complete by the next start). At t = 0 every chain holds a complete backup at position 0;
//! a data-losing failure of the store wipes the chain.
//!
//! Between two changes of the dataset's or the store's state every start has the same
//! outcome, so a chain only needs looking at when one of them changes (the core marks the
//! dataset in `Pending::backups`), when a loss reads it, and when its store is wiped. A look
//! applies the starts since the previous one by arithmetic: with n starts in the span, the
//! newest is the only one that can be in flight and the one before it complete. The cost of a
//! chain is then per change of its dataset or store, not per period: a 5-minute cadence costs
//! what a daily one does.
//!
//! Timing within an instant is that of a timer run with the datasets' timers: a start at the
//! instant of a change sees the change when it is made by the instant's own changes or its
//! first settling ([`Chain::due`]), not when it is made afterwards, by a dataset recovery
//! completing at that instant ([`Chain::settle`]).

use crate::model::Backup;
use crate::time::SimTime;

/// One backup chain of a dataset during a replication.
#[derive(Clone, Copy, Debug)]
pub(super) struct Chain {
    /// Position of the newest complete backup; `None` once its store lost its data, until the
    /// next successful start completes.
    complete: Option<SimTime>,
    /// Position of the newest successful start, until the next start (by which it is
    /// complete).
    in_flight: Option<SimTime>,
    /// The first start not applied yet.
    next: SimTime,
    /// Whether a start succeeds, as of the last look.
    ok: bool,
}

impl Chain {
    /// A chain at t = 0: a complete backup at position 0, the first start at `offset +
    /// every`, starts succeeding iff `ok`.
    pub fn new(b: &Backup, ok: bool) -> Chain {
        Chain { complete: Some(SimTime::ZERO), in_flight: None, next: b.offset.saturating_add(b.every), ok }
    }

    /// Applies the starts before `until` (and at `until` when `inclusive`) with the outcome
    /// of the last look.
    pub fn advance(&mut self, b: &Backup, until: SimTime, inclusive: bool) {
        self.apply(b, until, inclusive, self.ok);
    }

    /// At `now`, when the datasets' timers run: the starts before `now` with the outcome of
    /// the last look, the one at `now` (if due) succeeding iff `ok_now`, which holds from here.
    pub fn due(&mut self, b: &Backup, now: SimTime, ok_now: bool) {
        self.advance(b, now, false);
        self.apply(b, now, true, ok_now);
        self.ok = ok_now;
    }

    /// At the end of the batch of `now`: the starts through `now` not applied yet with the
    /// outcome of the last look (the state the timers saw), then `ok_now` holds from here.
    pub fn settle(&mut self, b: &Backup, now: SimTime, ok_now: bool) {
        self.advance(b, now, true);
        self.ok = ok_now;
    }

    /// The store lost its data: no backup is left (starts go on).
    pub fn wipe(&mut self) {
        self.complete = None;
        self.in_flight = None;
    }

    /// Position of the newest backup usable at `now`, once the starts before `now` are
    /// applied.
    pub fn usable(&self, b: &Backup, now: SimTime) -> Option<SimTime> {
        self.in_flight.filter(|&t| t.saturating_add(b.takes) <= now).or(self.complete)
    }

    /// Applies the starts from `next` to `until` (excluded unless `inclusive`), every one
    /// succeeding iff `ok`: the first completes the backup in flight; if they succeed, the
    /// newest is in flight (complete at once when `takes` is 0) and the one before it
    /// complete.
    fn apply(&mut self, b: &Backup, until: SimTime, inclusive: bool, ok: bool) {
        let Some(span) = until.0.checked_sub(self.next.0) else { return };
        if span == 0 && !inclusive {
            return;
        }
        let every = b.every.0;
        let n = if inclusive { span / every + 1 } else { (span - 1) / every + 1 };
        let last = SimTime(self.next.0 + (n - 1) * every);
        if let Some(t) = self.in_flight.take() {
            self.complete = Some(t);
        }
        if ok {
            if b.takes == SimTime::ZERO {
                self.complete = Some(last);
            } else {
                if n >= 2 {
                    self.complete = Some(SimTime(last.0 - every));
                }
                self.in_flight = Some(last);
            }
        }
        self.next = last.saturating_add(b.every);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::Dist;
    use crate::model::ComponentId;

    fn backup(every: u64, takes: u64) -> Backup {
        Backup {
            every: SimTime(every),
            to: ComponentId(0),
            restore: Dist::Fixed(SimTime::ZERO),
            takes: SimTime(takes),
            offset: SimTime::ZERO,
            into: None,
        }
    }

    /// The chain as one event per start would leave it: `ok(s)` says whether the start at `s`
    /// succeeds.
    fn per_start(
        b: &Backup,
        until: SimTime,
        ok: impl Fn(SimTime) -> bool,
    ) -> (Option<SimTime>, Option<SimTime>) {
        let (mut complete, mut in_flight) = (Some(SimTime::ZERO), None);
        let mut s = b.offset.0 + b.every.0;
        while s <= until.0 {
            if let Some(t) = in_flight.take() {
                complete = Some(t);
            }
            if ok(SimTime(s)) {
                if b.takes == SimTime::ZERO {
                    complete = Some(SimTime(s));
                } else {
                    in_flight = Some(SimTime(s));
                }
            }
            s += b.every.0;
        }
        (complete, in_flight)
    }

    #[test]
    fn spans_of_one_outcome_match_one_event_per_start() {
        for (every, takes) in [(10, 0), (10, 3), (7, 6)] {
            let b = backup(every, takes);
            // The store is down over [25, 52) and [60, 61): starts at 30..50 and 60 fail.
            let down = |s: SimTime| (25..52).contains(&s.0) || s.0 == 60;
            let mut chain = Chain::new(&b, true);
            for (at, ok_after) in [(25, false), (52, true), (60, false), (61, true)] {
                chain.due(&b, SimTime(at), ok_after);
                chain.settle(&b, SimTime(at), ok_after);
            }
            for until in [61, 62, 69, 70, 71, 99, 100, 1000] {
                let mut c = chain;
                c.advance(&b, SimTime(until), true);
                let expected = per_start(&b, SimTime(until), |s| !down(s));
                assert_eq!(
                    (c.complete, c.in_flight),
                    expected,
                    "every {every}, takes {takes}, until {until}"
                );
            }
        }
    }

    #[test]
    fn a_start_at_a_change_sees_it_when_due_not_when_settled() {
        let b = backup(10, 0);
        let mut due = Chain::new(&b, true);
        due.due(&b, SimTime(20), false);
        assert_eq!(due.complete, Some(SimTime(10)), "the start at 20 saw the store down");
        let mut settled = Chain::new(&b, true);
        settled.due(&b, SimTime(20), true);
        settled.settle(&b, SimTime(20), false);
        assert_eq!(settled.complete, Some(SimTime(20)), "the start at 20 ran before the change");
        settled.advance(&b, SimTime(45), true);
        assert_eq!(settled.complete, Some(SimTime(20)), "30 and 40 skipped");
    }

    #[test]
    fn usable_waits_for_takes_and_a_wipe_leaves_nothing() {
        let b = backup(10, 4);
        let mut chain = Chain::new(&b, true);
        chain.advance(&b, SimTime(33), false);
        assert_eq!(chain.usable(&b, SimTime(33)), Some(SimTime(20)), "30 + 4 > 33");
        chain.advance(&b, SimTime(34), false);
        assert_eq!(chain.usable(&b, SimTime(34)), Some(SimTime(30)));
        chain.wipe();
        assert_eq!(chain.usable(&b, SimTime(39)), None);
        chain.advance(&b, SimTime(45), false);
        assert_eq!(chain.usable(&b, SimTime(45)), Some(SimTime(40)));
    }
}
