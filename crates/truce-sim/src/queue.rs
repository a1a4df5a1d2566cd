//! The future-event list.
//!
//! Order guarantee: events leave the queue in increasing order of time; events at equal times leave
//! in the order they were scheduled (first in, first out), by a sequence number that counts
//! every call to [`EventQueue::schedule`]. Time never runs backwards: scheduling an event before the
//! current time is a logic error and panics in debug builds; in release it is run at the current time.
//! A cancelled event is skipped without effect.
//!
//! A process that always has exactly one event pending (a daily tally, the next decision) may keep
//! it in one of [`SLOTS`] slots beside the heap instead of in the heap: a slot's event carries a
//! sequence number like any other and leaves in the same order, but costs no heap operations.

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

/// Number of slots beside the heap.
pub const SLOTS: usize = 2;

/// A priority queue of events keyed by (time, sequence number), with a clock.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<Entry<E>>>,
    /// Events kept beside the heap, at most one per slot.
    slots: [Option<Entry<E>>; SLOTS],
    next_seq: u64,
    now: Minutes,
    /// Sequence numbers of cancelled events not popped yet (the model cancels none, so this stays
    /// empty and memory does not grow with the number of events).
    cancelled: Vec<u64>,
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
            slots: std::array::from_fn(|_| None),
            next_seq: 0,
            now: 0,
            cancelled: Vec::new(),
        }
    }

    /// The current time: the time of the last event popped.
    pub fn now(&self) -> Minutes {
        self.now
    }

    /// The entry of `event` at absolute time `time`, with the next sequence number.
    fn entry(&mut self, time: Minutes, event: E) -> Entry<E> {
        debug_assert!(time >= self.now, "event scheduled in the past");
        let time = time.max(self.now);
        let seq = self.next_seq;
        self.next_seq += 1;
        Entry { time, seq, event }
    }

    /// Schedules `event` at absolute time `time`.
    pub fn schedule(&mut self, time: Minutes, event: E) -> EventId {
        let entry = self.entry(time, event);
        let id = EventId(entry.seq);
        self.heap.push(Reverse(entry));
        id
    }

    /// Schedules `event` `delay` minutes from now.
    pub fn schedule_in(&mut self, delay: Minutes, event: E) -> EventId {
        self.schedule(self.now.saturating_add(delay), event)
    }

    /// Schedules `event` at absolute time `time` in slot `slot` (below [`SLOTS`]), which must be
    /// empty: its event has run or been cancelled. It leaves the queue exactly as if scheduled
    /// with [`EventQueue::schedule`].
    pub fn schedule_slot(&mut self, slot: usize, time: Minutes, event: E) -> EventId {
        debug_assert!(
            self.slots[slot]
                .as_ref()
                .is_none_or(|e| self.cancelled.contains(&e.seq)),
            "slot {slot} is taken"
        );
        let entry = self.entry(time, event);
        let id = EventId(entry.seq);
        self.slots[slot] = Some(entry);
        id
    }

    /// Schedules `event` `delay` minutes from now in slot `slot`.
    pub fn schedule_slot_in(&mut self, slot: usize, delay: Minutes, event: E) -> EventId {
        self.schedule_slot(slot, self.now.saturating_add(delay), event)
    }

    /// Cancels a scheduled event; cancelling one already run or cancelled does nothing.
    pub fn cancel(&mut self, id: EventId) {
        if id.0 < self.next_seq && !self.cancelled.contains(&id.0) {
            self.cancelled.push(id.0);
        }
    }

    /// Cancels every pending event.
    pub fn cancel_all(&mut self) {
        self.heap.clear();
        self.slots.iter_mut().for_each(|s| *s = None);
        self.cancelled.clear();
    }

    /// The slot whose event is due first, if any slot holds one.
    fn first_slot(&self) -> Option<usize> {
        let mut first: Option<(usize, (Minutes, u64))> = None;
        for (i, slot) in self.slots.iter().enumerate() {
            if let Some(e) = slot
                && first.is_none_or(|(_, key)| (e.time, e.seq) < key)
            {
                first = Some((i, (e.time, e.seq)));
            }
        }
        first.map(|(i, _)| i)
    }

    /// Removes and returns the next event that was not cancelled, advancing the clock to its time.
    pub fn pop(&mut self) -> Option<(Minutes, E)> {
        loop {
            let slot = self.first_slot();
            let from_heap = match (self.heap.peek(), slot) {
                (Some(Reverse(h)), Some(i)) => {
                    let s = self.slots[i].as_ref().map(|e| (e.time, e.seq));
                    Some((h.time, h.seq)) < s
                }
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => return None,
            };
            let entry = if from_heap {
                self.heap.pop().map(|Reverse(e)| e)
            } else {
                slot.and_then(|i| self.slots[i].take())
            }?;
            if let Some(i) = self.cancelled.iter().position(|&c| c == entry.seq) {
                self.cancelled.swap_remove(i);
                continue;
            }
            self.now = entry.time;
            return Some((entry.time, entry.event));
        }
    }

    /// The time of the next event, cancelled or not.
    pub fn peek_time(&self) -> Option<Minutes> {
        let heap = self.heap.peek().map(|Reverse(e)| e.time);
        let slot = self
            .first_slot()
            .and_then(|i| self.slots[i].as_ref().map(|e| e.time));
        match (heap, slot) {
            (Some(h), Some(s)) => Some(h.min(s)),
            (h, s) => h.or(s),
        }
    }

    /// Number of pending entries, cancelled ones included.
    pub fn len(&self) -> usize {
        self.heap.len() + self.slots.iter().filter(|s| s.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

        /// Events kept in slots leave in the same order as if they had been in the heap:
        /// a run where some events use slots pops the same sequence as one where none does.
        #[test]
        fn slots_keep_the_order(
            steps in proptest::collection::vec((0u64..30, 0usize..4), 1..200),
            cancel in proptest::collection::vec(any::<bool>(), 200),
        ) {
            // Each step pops one event (if any) and schedules one, `delay` minutes on, either in the
            // heap (choice 0 or 1) or in a slot when that slot is free (choice 2 or 3).
            let run = |use_slots: bool| {
                let mut q = EventQueue::new();
                let mut in_slot = [None; SLOTS];
                let mut out = Vec::new();
                for (i, &(delay, choice)) in steps.iter().enumerate() {
                    if i % 3 == 2 && let Some((t, e)) = q.pop() {
                        out.push((t, e));
                        in_slot.iter_mut().for_each(|s| if *s == Some(e) { *s = None });
                    }
                    let slot = choice.checked_sub(2).filter(|&s| use_slots && in_slot[s].is_none());
                    let id = match slot {
                        Some(s) => {
                            in_slot[s] = Some(i);
                            q.schedule_slot_in(s, delay, i)
                        }
                        None => q.schedule_in(delay, i),
                    };
                    // Only events meant for the heap are cancelled, in both runs alike.
                    if cancel[i] && choice < 2 {
                        q.cancel(id);
                    }
                }
                while let Some((t, e)) = q.pop() {
                    out.push((t, e));
                }
                out
            };
            prop_assert_eq!(run(true), run(false));
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
