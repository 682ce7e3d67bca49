//! A dataset's write history: the spans of time in which it accepted writes that its primary
//! copy still holds, so that a data-loss event can say how many writes it really destroyed.
//!
//! RPO (last write - newest surviving copy) is a distance in time; it counts again what an
//! earlier loss already destroyed and the spans in which the dataset accepted no writes. Two
//! losses before the next daily backup both have the backup as their newest copy: RPO 20 h and
//! then 23 h, while the second destroyed only the writes accepted since the first was
//! recovered. *Lost writes* is that amount: the time during which the dataset accepted writes
//! that are newer than the copy recovered from and that no earlier loss already destroyed.
//!
//! The history is a list of disjoint spans `[start, end)` in time order: one per interval in
//! which the dataset accepted writes, cut back to the copy's position at each loss. It grows by
//! one span per outage of the dataset within a replication and is emptied at the next one.

use crate::time::SimTime;

/// The spans in which a dataset accepted writes that its current primary still holds.
#[derive(Clone, Debug, Default)]
pub(super) struct WriteHistory {
    /// Closed spans `[start, end)`, in time order, disjoint.
    spans: Vec<(SimTime, SimTime)>,
    /// Start of the span still open (the dataset accepts writes now).
    open: Option<SimTime>,
}

impl WriteHistory {
    /// A history accepting writes from `at` on.
    pub fn reset(&mut self, at: SimTime) {
        self.spans.clear();
        self.open = Some(at);
    }

    /// The dataset accepts writes from `at` on.
    pub fn start(&mut self, at: SimTime) {
        if self.open.is_none() {
            self.open = Some(at);
        }
    }

    /// The dataset accepts no writes from `at` on.
    pub fn stop(&mut self, at: SimTime) {
        if let Some(start) = self.open.take()
            && start < at
        {
            self.spans.push((start, at));
        }
    }

    /// A loss at `at` recovered from a copy holding the writes up to `position` (`None`: no
    /// copy survived): writing stops, the writes after `position` are removed from the
    /// history, and their total length is returned.
    pub fn destroy_after(&mut self, position: Option<SimTime>, at: SimTime) -> SimTime {
        self.stop(at);
        let Some(position) = position else {
            let lost = self.spans.iter().map(|&(a, b)| b.0 - a.0).sum();
            self.spans.clear();
            return SimTime(lost);
        };
        let mut lost = 0;
        while let Some(&(start, end)) = self.spans.last() {
            if end <= position {
                break;
            }
            if start >= position {
                lost += end.0 - start.0;
                self.spans.pop();
            } else {
                lost += end.0 - position.0;
                self.spans.last_mut().expect("just read").1 = position;
                break;
            }
        }
        SimTime(lost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(hours: u64) -> SimTime {
        SimTime(hours * crate::time::MS_PER_HOUR)
    }

    #[test]
    fn a_second_loss_counts_only_what_the_first_left() {
        // Backup at 0 h; lost at 20 h (20 h of writes), back at 21 h; lost again at 23 h from
        // the same backup: RPO 23 h, but only the 2 h written since 21 h were destroyed.
        let mut history = WriteHistory::default();
        history.reset(SimTime::ZERO);
        assert_eq!(history.destroy_after(Some(SimTime::ZERO), h(20)), h(20));
        history.start(h(21));
        assert_eq!(history.destroy_after(Some(SimTime::ZERO), h(23)), h(2));
    }

    #[test]
    fn spans_without_writes_are_not_lost() {
        // Writing 0-10 h and 12-20 h; the copy is as of 5 h: 5 h + 8 h destroyed.
        let mut history = WriteHistory::default();
        history.reset(SimTime::ZERO);
        history.stop(h(10));
        history.start(h(12));
        assert_eq!(history.destroy_after(Some(h(5)), h(20)), h(13));
        // What stays is 0-5 h; a copy as of 3 h now loses 2 h of it, and no copy loses 3 h.
        assert_eq!(history.destroy_after(Some(h(3)), h(30)), h(2));
        assert_eq!(history.destroy_after(None, h(40)), h(3));
        assert_eq!(history.destroy_after(None, h(50)), SimTime::ZERO);
    }

    #[test]
    fn a_copy_newer_than_every_write_loses_nothing() {
        let mut history = WriteHistory::default();
        history.reset(SimTime::ZERO);
        history.stop(h(10));
        // Down since 10 h; a synchronous copy holds every write: nothing lost.
        assert_eq!(history.destroy_after(Some(h(10)), h(12)), SimTime::ZERO);
        assert_eq!(history.destroy_after(Some(h(9)), h(12)), h(1));
    }
}
