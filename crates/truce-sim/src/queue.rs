//! The future-event list.
//!
//! Order guarantee: events leave the queue in increasing order of time; events at equal times leave
//! in the order they were scheduled (first in, first out), by a sequence number that counts
//! every call to [`EventQueue::schedule`]. Time never runs backwards: scheduling an event before the
//! current time is a logic error and panics in debug builds; in release it is run at the current time.
//! A cancelled event is skipped without effect.

use crate::time::Minutes;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A handle to a scheduled event, for cancelling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(u64);

#[derive(Debug)]
struct Entry<E> {
    time: Minutes,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.time, self.seq).cmp(&(other.time, other.seq))
    }
}

/// A priority queue of events keyed by (time, sequence number), with a clock.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<Entry<E>>>,
    next_seq: u64,
    now: Minutes,
    /// cancelled[seq] is true when that event was cancelled.
    cancelled: Vec<bool>,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        Self {
            heap: BinaryHeap::new(),
            next_seq: 0,
            now: 0,
            cancelled: Vec::new(),
        }
    }

    /// The current time: the time of the last event popped.
    pub fn now(&self) -> Minutes {
        self.now
    }

    /// Schedules `event` at absolute time `time`.
    pub fn schedule(&mut self, time: Minutes, event: E) -> EventId {
        debug_assert!(time >= self.now, "event scheduled in the past");
        let time = time.max(self.now);
        let seq = self.next_seq;
        self.next_seq += 1;
        self.cancelled.push(false);
        self.heap.push(Reverse(Entry { time, seq, event }));
        EventId(seq)
    }

    /// Schedules `event` `delay` minutes from now.
    pub fn schedule_in(&mut self, delay: Minutes, event: E) -> EventId {
        self.schedule(self.now.saturating_add(delay), event)
    }

    /// Cancels a scheduled event; cancelling one already run or cancelled does nothing.
    pub fn cancel(&mut self, id: EventId) {
        if let Some(c) = self.cancelled.get_mut(id.0 as usize) {
            *c = true;
        }
    }

    /// Cancels every pending event.
    pub fn cancel_all(&mut self) {
        self.heap.clear();
    }

    /// Removes and returns the next event that was not cancelled, advancing the clock to its time.
    pub fn pop(&mut self) -> Option<(Minutes, E)> {
        while let Some(Reverse(entry)) = self.heap.pop() {
            if self.cancelled[entry.seq as usize] {
                continue;
            }
            self.now = entry.time;
            return Some((entry.time, entry.event));
        }
        None
    }

    /// The time of the next event, cancelled or not.
    pub fn peek_time(&self) -> Option<Minutes> {
        self.heap.peek().map(|Reverse(e)| e.time)
    }

    /// Number of pending entries, cancelled ones included.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Events come out sorted by time, ties in scheduling order, cancelled ones never.
        #[test]
        fn order_is_time_then_fifo(
            times in proptest::collection::vec(0u64..50, 1..200),
            cancel in proptest::collection::vec(any::<bool>(), 200),
        ) {
            let mut q = EventQueue::new();
            let ids: Vec<_> = times.iter().enumerate().map(|(i, &t)| q.schedule(t, i)).collect();
            for (i, id) in ids.iter().enumerate() {
                if cancel[i] { q.cancel(*id); }
            }
            let mut expected: Vec<(u64, usize)> = times.iter().enumerate()
                .filter(|(i, _)| !cancel[*i]).map(|(i, &t)| (t, i)).collect();
            expected.sort();
            let mut got = Vec::new();
            let mut last = 0;
            while let Some((t, i)) = q.pop() {
                prop_assert!(t >= last);
                prop_assert_eq!(q.now(), t);
                last = t;
                got.push((t, i));
            }
            prop_assert_eq!(got, expected);
        }

        /// Events scheduled while running, at the current time, run after those already due then.
        #[test]
        fn events_scheduled_now_run_after_earlier_ties(n in 1usize..20) {
            let mut q = EventQueue::new();
            for i in 0..n { q.schedule(5, i); }
            let (_, first) = q.pop().unwrap();
            prop_assert_eq!(first, 0);
            q.schedule_in(0, 100);
            let rest: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
            let mut expected: Vec<_> = (1..n).collect();
            expected.push(100);
            prop_assert_eq!(rest, expected);
        }
    }
}
