//! The event queue: an indexed 4-ary min-heap of each slot's next event.
//!
//! Every component has at most one pending random event at a time — its next failure while
//! it is up, the end of its recovery while it is down — so the queue holds one slot per
//! component (and one per battery and dataset timer), and rescheduling moves the slot in
//! place; a cancelled timer (a detection cut short, a switch abandoned) is removed from its
//! slot at once, so there are never stale entries to skip. Events come out in (time, slot)
//! order: ties at the same time in slot order, which is name order for components (the
//! engine applies an instant's events as one batch, DESIGN rule 3, but crews serve waiting
//! repairs in the order they are requested).
//!
//! Keys pack `time << shift | slot` into one integer, so that the order is one integer
//! compare. A `u64` key ([`Narrow`]) leaves `64 - shift` bits for the time, `shift` being the
//! bits the slot count needs: 52 bits (142,000 years in ms) for bench-tiers-large's 3,030
//! slots, 46 for 200,000 slots. Times past that cap are clamped to it in the key and kept
//! exactly beside it (`far`); the clamp keeps the order exact because a run stops at its
//! horizon, and a queue is narrow only if its horizon is below the cap. Otherwise the queue
//! is [`Wide`] (`u128` keys, `time << 32 | slot`). Narrow keys halve the bytes a sift moves
//! and compare in one instruction: on bench-tiers-large, `sift_down` went from 242 to 142
//! instructions an event (callgrind), from 23% of the run's instructions to 14%.
//!
//! Four children per node halve the depth of a binary heap; the common operation, moving the
//! root to a later time, then touches half as many levels (measured: +9% events/s on
//! bench-tiers, +4% on bench-tiers-large over the binary heap).

use crate::time::SimTime;

/// Children per heap node.
const ARITY: usize = 4;

/// Position of a slot that has no event.
const ABSENT: u32 = u32::MAX;

/// Indexed min-heap over slots `0..n`, with narrow keys when the horizon allows.
#[derive(Clone, Debug)]
pub enum EventQueue {
    /// `u64` keys: every time below the horizon fits beside the slot.
    Narrow(Heap<Narrow>),
    /// `u128` keys, for horizons too long for narrow keys.
    Wide(Heap<Wide>),
}

/// Forwards a call to the heap of either width.
macro_rules! either {
    ($queue:expr, $heap:ident => $call:expr) => {
        match $queue {
            EventQueue::Narrow($heap) => $call,
            EventQueue::Wide($heap) => $call,
        }
    };
}

impl EventQueue {
    /// An empty queue for slots `0..n` whose events are popped only before `horizon`.
    pub fn new(n: usize, horizon: SimTime) -> EventQueue {
        let narrow = Narrow::for_slots(n);
        if horizon.0 <= narrow.cap {
            EventQueue::Narrow(Heap::new(n, narrow))
        } else {
            EventQueue::Wide(Heap::new(n, Wide))
        }
    }

    /// Empties the queue, keeping its memory.
    pub fn clear(&mut self) {
        either!(self, h => h.clear())
    }

    /// The earliest event, if any. Times at or past the horizon are exact, but among several
    /// the one returned need not be the earliest (they are never popped).
    #[inline]
    pub fn peek(&self) -> Option<(SimTime, u32)> {
        either!(self, h => h.peek())
    }

    /// The time of the earliest event ([`SimTime::NEVER`] if none), exact if before the
    /// horizon: past it, a narrow queue may give its keys' cap (never below the horizon), which
    /// is all the event loop needs to know, without the exact time kept aside.
    #[inline]
    pub fn next_time(&self) -> SimTime {
        either!(self, h => h.heap.first().map_or(SimTime::NEVER, |&k| h.layout.time_or_cap(k)))
    }

    /// The time (as [`EventQueue::next_time`]) and the slot of the earliest event;
    /// ([`SimTime::NEVER`], `u32::MAX`) if none.
    #[inline]
    pub fn next_event(&self) -> (SimTime, u32) {
        either!(self, h => h.heap.first().map_or((SimTime::NEVER, u32::MAX), |&k| h.next_of(k)))
    }

    /// The slot of the earliest event, if any.
    #[inline]
    pub fn top_slot(&self) -> Option<u32> {
        either!(self, h => h.heap.first().map(|&k| h.layout.slot(k)))
    }

    /// The time of `slot`'s event, if it has one.
    pub fn time_of(&self, slot: u32) -> Option<SimTime> {
        either!(self, h => h.time_of(slot))
    }

    /// Sets (or moves) `slot`'s event to `time`.
    pub fn schedule(&mut self, slot: u32, time: SimTime) {
        either!(self, h => h.schedule(slot, time))
    }

    /// Replaces the earliest event, which must be `slot`'s, with one at `time` (the common
    /// case: a failure schedules its recovery, a recovery the next failure). Returns the
    /// earliest event then, as [`EventQueue::next_event`] would.
    #[inline]
    pub fn reschedule_top(&mut self, slot: u32, time: SimTime) -> (SimTime, u32) {
        either!(self, h => h.reschedule_top(slot, time))
    }

    /// [`EventQueue::reschedule_top`], inlined where it is the hot path (a plain component's
    /// event).
    #[inline(always)]
    pub fn reschedule_top_inline(&mut self, slot: u32, time: SimTime) -> (SimTime, u32) {
        either!(self, h => h.reschedule_top_inline(slot, time))
    }

    /// Removes `slot`'s event.
    pub fn remove(&mut self, slot: u32) {
        either!(self, h => h.remove(slot))
    }

    /// Adds an event at `time` for `slot`, which has none, without putting it in order: until
    /// [`EventQueue::restore_order`], the queue may only take more such events (a replication's
    /// first failures, put in order once instead of one by one).
    pub fn push_unordered(&mut self, slot: u32, time: SimTime) {
        either!(self, h => h.push_unordered(slot, time))
    }

    /// Puts the events in order after [`EventQueue::push_unordered`].
    pub fn restore_order(&mut self) {
        either!(self, h => h.restore_order())
    }
}

/// How a (time, slot) pair is packed into a totally ordered key.
pub trait Key: Copy + Clone + std::fmt::Debug {
    /// The packed key.
    type K: Copy + Ord + std::fmt::Debug;
    /// The key of `slot` at `time`, and whether `time` was clamped (then kept in `far`).
    fn pack(&self, time: SimTime, slot: u32) -> (Self::K, bool);
    /// The slot of a key.
    fn slot(&self, key: Self::K) -> u32;
    /// The time of a key, or `None` if clamped.
    fn time(&self, key: Self::K) -> Option<SimTime>;
    /// The time of a key, or the cap if clamped.
    fn time_or_cap(&self, key: Self::K) -> SimTime;
}

/// `u64` keys `min(time, cap) << shift | slot`.
#[derive(Clone, Copy, Debug)]
pub struct Narrow {
    shift: u32,
    /// `(1 << shift) - 1`: the slot's bits.
    mask: u64,
    /// The largest time a key holds; larger ones are clamped to it.
    cap: u64,
}

impl Narrow {
    /// The layout for slots `0..n`.
    fn for_slots(n: usize) -> Narrow {
        let shift = usize::BITS - n.saturating_sub(1).leading_zeros();
        Narrow { shift, mask: (1u64 << shift) - 1, cap: u64::MAX >> shift }
    }
}

impl Key for Narrow {
    type K = u64;

    #[inline(always)]
    fn pack(&self, time: SimTime, slot: u32) -> (u64, bool) {
        let clamped = time.0 >= self.cap;
        ((time.0.min(self.cap) << self.shift) | u64::from(slot), clamped)
    }

    #[inline(always)]
    fn slot(&self, key: u64) -> u32 {
        (key & self.mask) as u32
    }

    #[inline(always)]
    fn time(&self, key: u64) -> Option<SimTime> {
        let t = key >> self.shift;
        (t != self.cap).then_some(SimTime(t))
    }

    #[inline(always)]
    fn time_or_cap(&self, key: u64) -> SimTime {
        SimTime(key >> self.shift)
    }
}

/// `u128` keys `time << 32 | slot`: never clamped.
#[derive(Clone, Copy, Debug)]
pub struct Wide;

impl Key for Wide {
    type K = u128;

    #[inline(always)]
    fn pack(&self, time: SimTime, slot: u32) -> (u128, bool) {
        ((u128::from(time.0) << 32) | u128::from(slot), false)
    }

    #[inline(always)]
    fn slot(&self, key: u128) -> u32 {
        key as u32
    }

    #[inline(always)]
    fn time(&self, key: u128) -> Option<SimTime> {
        Some(SimTime((key >> 32) as u64))
    }

    #[inline(always)]
    fn time_or_cap(&self, key: u128) -> SimTime {
        SimTime((key >> 32) as u64)
    }
}

/// The heap itself, generic over its keys.
#[derive(Clone, Debug)]
pub struct Heap<P: Key> {
    layout: P,
    /// Heap of packed keys.
    heap: Vec<P::K>,
    /// Position of each slot in `heap`, or `ABSENT`.
    position: Vec<u32>,
    /// The exact time of each slot whose key is clamped.
    far: Vec<SimTime>,
}

impl<P: Key> Heap<P> {
    fn new(n: usize, layout: P) -> Heap<P> {
        Heap { layout, heap: Vec::with_capacity(n), position: vec![ABSENT; n], far: vec![SimTime::NEVER; n] }
    }

    fn clear(&mut self) {
        for &key in &self.heap {
            self.position[self.layout.slot(key) as usize] = ABSENT;
        }
        self.heap.clear();
    }

    /// The key of `slot` at `time`, noting the exact time if it is clamped.
    #[inline(always)]
    fn key(&mut self, slot: u32, time: SimTime) -> P::K {
        let (key, clamped) = self.layout.pack(time, slot);
        if clamped {
            self.far[slot as usize] = time;
        }
        key
    }

    /// The exact time and the slot of `key`.
    #[inline(always)]
    fn unpack(&self, key: P::K) -> (SimTime, u32) {
        let slot = self.layout.slot(key);
        (self.layout.time(key).unwrap_or_else(|| self.far[slot as usize]), slot)
    }

    #[inline]
    fn peek(&self) -> Option<(SimTime, u32)> {
        self.heap.first().map(|&k| self.unpack(k))
    }

    fn time_of(&self, slot: u32) -> Option<SimTime> {
        let at = self.position[slot as usize];
        (at != ABSENT).then(|| self.unpack(self.heap[at as usize]).0)
    }

    fn schedule(&mut self, slot: u32, time: SimTime) {
        let key = self.key(slot, time);
        match self.position[slot as usize] {
            ABSENT => {
                self.heap.push(key);
                self.sift_up(self.heap.len() - 1);
            }
            at => {
                let at = at as usize;
                let old = std::mem::replace(&mut self.heap[at], key);
                if key < old { self.sift_up(at) } else { self.sift_down(at) }
            }
        }
    }

    #[inline]
    fn reschedule_top(&mut self, slot: u32, time: SimTime) -> (SimTime, u32) {
        self.reschedule_top_inline(slot, time)
    }

    /// [`Heap::reschedule_top`], inlined where it is the hot path.
    #[inline(always)]
    fn reschedule_top_inline(&mut self, slot: u32, time: SimTime) -> (SimTime, u32) {
        debug_assert_eq!(self.layout.slot(self.heap[0]), slot);
        let key = self.key(slot, time);
        let layout = self.layout;
        let heap = &mut self.heap[..];
        heap[0] = key;
        sift_down(layout, heap, &mut self.position, 0);
        (layout.time_or_cap(heap[0]), layout.slot(heap[0]))
    }

    /// The time (or the cap, if clamped) and the slot of `key`.
    #[inline(always)]
    fn next_of(&self, key: P::K) -> (SimTime, u32) {
        (self.layout.time_or_cap(key), self.layout.slot(key))
    }

    fn remove(&mut self, slot: u32) {
        let at = self.position[slot as usize];
        if at == ABSENT {
            return;
        }
        let at = at as usize;
        self.position[slot as usize] = ABSENT;
        let last = self.heap.pop().expect("non-empty");
        if at < self.heap.len() {
            self.heap[at] = last;
            self.sift_up(at);
            let now = self.position[self.layout.slot(last) as usize] as usize;
            self.sift_down(now);
        }
    }

    fn push_unordered(&mut self, slot: u32, time: SimTime) {
        debug_assert_eq!(self.position[slot as usize], ABSENT);
        let key = self.key(slot, time);
        self.position[slot as usize] = self.heap.len() as u32;
        self.heap.push(key);
    }

    /// Builds the heap bottom up (Floyd): each parent, from the last, sifted down.
    fn restore_order(&mut self) {
        let n = self.heap.len();
        for at in (0..n.saturating_sub(1).div_ceil(ARITY)).rev() {
            self.sift_down(at);
        }
    }

    /// Moves the key at `at` up to its place.
    fn sift_up(&mut self, mut at: usize) {
        let key = self.heap[at];
        while at > 0 {
            let parent = (at - 1) / ARITY;
            let p = self.heap[parent];
            if p <= key {
                break;
            }
            self.place(at, p);
            at = parent;
        }
        self.place(at, key);
    }

    /// Moves the key at `at` (its slot's position already `at`) down to its place.
    fn sift_down(&mut self, at: usize) {
        sift_down(self.layout, &mut self.heap, &mut self.position, at);
    }

    /// Puts `key` at position `at`.
    #[inline(always)]
    fn place(&mut self, at: usize, key: P::K) {
        self.heap[at] = key;
        self.position[self.layout.slot(key) as usize] = at as u32;
    }
}

/// [`Heap::sift_down`] on the heap and the positions as slices, inlined where it is the hot
/// path ([`Heap::reschedule_top`]): their addresses and lengths stay in registers through the
/// loop (read through the heap, they are read again after each store once inlined).
#[inline(always)]
fn sift_down<P: Key>(layout: P, heap: &mut [P::K], position: &mut [u32], start: usize) {
    let key = heap[start];
    let mut at = start;
    let n = heap.len();
    loop {
        let first = ARITY * at + 1;
        if first >= n {
            break;
        }
        // The smallest child: a tournament of two pairs when all four exist.
        let (child, c) = if first + 3 < n {
            let h = &heap[first..first + 4];
            let (i1, m1) = if h[1] < h[0] { (1, h[1]) } else { (0, h[0]) };
            let (i2, m2) = if h[3] < h[2] { (3, h[3]) } else { (2, h[2]) };
            if m2 < m1 { (first + i2, m2) } else { (first + i1, m1) }
        } else {
            let mut best = (first, heap[first]);
            for (k, &h) in heap.iter().enumerate().take(n).skip(first + 1) {
                if h < best.1 {
                    best = (k, h);
                }
            }
            best
        };
        if key <= c {
            break;
        }
        heap[at] = c;
        position[layout.slot(c) as usize] = at as u32;
        at = child;
    }
    // A key that stays where it is (a repair's end, usually the earliest event) is in place.
    if at != start {
        heap[at] = key;
        position[layout.slot(key) as usize] = at as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A narrow queue and a wide one for slots `0..n`.
    fn both(n: usize) -> [EventQueue; 2] {
        let q = [EventQueue::new(n, SimTime(1000)), EventQueue::new(n, SimTime::NEVER)];
        assert!(matches!(q[0], EventQueue::Narrow(_)) && matches!(q[1], EventQueue::Wide(_)));
        q
    }

    #[test]
    fn equal_times_come_out_in_slot_order_whatever_the_insertion_order() {
        for mut q in both(8) {
            for id in [5, 1, 7, 3, 0, 6, 2, 4] {
                q.schedule(id, SimTime(100));
            }
            q.schedule(6, SimTime(50));
            let mut out = vec![];
            while let Some((t, id)) = q.peek() {
                out.push((t.0, id));
                q.remove(id);
            }
            assert_eq!(out, [(50, 6), (100, 0), (100, 1), (100, 2), (100, 3), (100, 4), (100, 5), (100, 7)]);
        }
    }

    #[test]
    fn times_past_a_narrow_key_are_kept_exactly() {
        let [mut q, _] = both(8);
        let EventQueue::Narrow(heap) = &q else { unreachable!() };
        let cap = heap.layout.cap;
        q.schedule(3, SimTime(cap + 5));
        q.schedule(1, SimTime::NEVER);
        q.schedule(2, SimTime(cap - 1));
        assert_eq!(q.time_of(3), Some(SimTime(cap + 5)));
        assert_eq!(q.time_of(1), Some(SimTime::NEVER));
        assert_eq!(q.peek(), Some((SimTime(cap - 1), 2)));
        q.remove(2);
        // Past the cap, the order is by slot (such times are past the horizon: never popped).
        assert_eq!(q.peek(), Some((SimTime::NEVER, 1)));
        q.reschedule_top(1, SimTime(7));
        assert_eq!(q.peek(), Some((SimTime(7), 1)));
        assert_eq!(q.time_of(3), Some(SimTime(cap + 5)));
    }

    #[test]
    fn events_pushed_unordered_come_out_in_order() {
        for len in [0, 1, 2, 4, 5, 6, 21, 22, 64] {
            for mut q in both(80) {
                // A few in order first (as a replication's battery timers may be), then the rest.
                let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ len as u64;
                let mut want = vec![];
                for slot in 0..len {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let time = (x >> 20) % 50;
                    if slot < 3 {
                        q.schedule(slot, SimTime(time));
                    }
                    want.push((time, slot));
                }
                for &(time, slot) in &want[3.min(want.len())..] {
                    q.push_unordered(slot, SimTime(time));
                }
                q.restore_order();
                want.sort_unstable();
                let mut out = vec![];
                while let Some((t, slot)) = q.peek() {
                    assert_eq!(q.time_of(slot), Some(t));
                    out.push((t.0, slot));
                    q.remove(slot);
                }
                assert_eq!(out, want, "{len} events");
            }
        }
    }

    #[test]
    fn matches_a_sorted_reference_under_random_operations() {
        for mut q in both(64) {
            let mut reference: Vec<Option<u64>> = vec![None; 64];
            let mut x = 0x0123_4567_89AB_CDEFu64;
            for step in 0..20_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let id = (x % 64) as u32;
                let time = (x >> 20) % 1000;
                match step % 4 {
                    0 | 1 => {
                        q.schedule(id, SimTime(time));
                        reference[id as usize] = Some(time);
                    }
                    2 => {
                        q.remove(id);
                        reference[id as usize] = None;
                    }
                    _ => {
                        if let Some((_, top)) = q.peek() {
                            q.reschedule_top(top, SimTime(time));
                            reference[top as usize] = Some(time);
                        }
                    }
                }
                let want = reference.iter().enumerate().filter_map(|(i, t)| t.map(|t| (t, i as u32))).min();
                assert_eq!(q.peek().map(|(t, i)| (t.0, i)), want, "step {step}");
            }
        }
    }
}
