//! Planned maintenance windows: when each one opens and closes, generated as the run reaches
//! it.
//!
//! A window is an overlay like an injection: its target is own-down for exactly
//! `[at + k every, at + k every + duration)` (counted in `Node::injected`, so failure clocks
//! neither pause nor restart), and the cause of what it takes down is the target's
//! [`Mode::Maintenance`](super::Mode::Maintenance). Schedules are kept as one cursor each, not
//! expanded: a weekly window over a century costs two events a week and no memory. What a
//! window does beyond that (a standby group's planned switchover, planned downtime) belongs to
//! `standby.rs` and `incidents.rs`.

use crate::model::Maintenance;
use crate::time::SimTime;

use super::prepared::{Class, Scripted};

/// The maintenance schedules of one architecture during a replication.
#[derive(Debug, Default)]
pub(super) struct Windows {
    cursors: Vec<Cursor>,
    /// The earliest event of every cursor (never without schedules).
    next: SimTime,
}

/// One schedule: its next window, and whether that window is open.
#[derive(Clone, Copy, Debug)]
struct Cursor {
    schedule: Maintenance,
    /// Start of the current or next window.
    start: SimTime,
    /// The window starting at `start` is open.
    open: bool,
}

impl Cursor {
    /// When this schedule's next event happens: its window's start, or end if open.
    fn due(&self) -> SimTime {
        if self.open { self.start.saturating_add(self.schedule.duration) } else { self.start }
    }
}

impl Windows {
    /// Every schedule before its first window.
    pub fn reset(&mut self, schedules: &[Maintenance]) {
        self.cursors.clear();
        self.cursors.extend(schedules.iter().map(|&schedule| Cursor {
            schedule,
            start: schedule.at,
            open: false,
        }));
        self.refresh_next();
    }

    /// When the next window opens or closes (`SimTime::NEVER` without schedules).
    #[inline]
    pub fn at(&self) -> SimTime {
        self.next
    }

    /// Takes one window event due at `now` (there must be one): a window opening, or closing
    /// (the schedule then moves to its next window).
    pub fn take(&mut self, now: SimTime) -> Scripted {
        let cursor = self.cursors.iter_mut().find(|c| c.due() == now).expect("a window event is due");
        let component = cursor.schedule.target.0;
        let class = if cursor.open {
            cursor.open = false;
            cursor.start = cursor.start.saturating_add(cursor.schedule.every);
            Class::MaintenanceEnd
        } else {
            cursor.open = true;
            Class::MaintenanceStart
        };
        self.refresh_next();
        Scripted { at: now, class, component, mode: None }
    }

    fn refresh_next(&mut self) {
        self.next = self.cursors.iter().map(Cursor::due).min().unwrap_or(SimTime::NEVER);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ComponentId;

    #[test]
    fn windows_open_and_close_on_schedule_and_overlap_across_schedules() {
        let mut w = Windows::default();
        let a = Maintenance {
            target: ComponentId(1),
            at: SimTime(10),
            every: SimTime(100),
            duration: SimTime(5),
        };
        let b = Maintenance {
            target: ComponentId(1),
            at: SimTime(12),
            every: SimTime(50),
            duration: SimTime(20),
        };
        w.reset(&[a, b]);
        let mut seen = Vec::new();
        while w.at() < SimTime(125) {
            let now = w.at();
            let s = w.take(now);
            seen.push((now.0, s.class == Class::MaintenanceStart, s.component));
        }
        assert_eq!(
            seen,
            [
                (10, true, 1),
                (12, true, 1),
                (15, false, 1),
                (32, false, 1),
                (62, true, 1),
                (82, false, 1),
                (110, true, 1),
                (112, true, 1),
                (115, false, 1),
            ]
        );
    }

    #[test]
    fn without_schedules_nothing_is_due() {
        let mut w = Windows::default();
        w.reset(&[]);
        assert_eq!(w.at(), SimTime::NEVER);
    }
}
