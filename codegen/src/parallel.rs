//! A work queue over all cores, for the stages whose items are independent (parsing
//! fragment files, formatting output files).

use std::sync::atomic::{AtomicUsize, Ordering};

/// Applies `work` to every item on as many threads as there are cores (at most one per
/// item), each thread taking the next item not yet taken, so list the costly items first.
/// The results come back in the order of `items`, whatever the scheduling.
///
/// A panic in `work` is a bug in the caller; it is raised again on the calling thread.
pub(crate) fn map_in_order<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    let next = AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, work(item)));
        }
    };
    let mut results = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads).map(|_| scope.spawn(take)).collect();
        let mut all = take();
        for worker in workers {
            all.extend(
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        all
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::map_in_order;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..200).collect();
        let squares = map_in_order(&items, |n| {
            // Uneven work, so threads finish items out of order.
            if n % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn no_items_give_no_results() {
        let none: Vec<u8> = Vec::new();
        assert!(map_in_order(&none, |n| *n).is_empty());
    }

    #[test]
    #[should_panic(expected = "item 3")]
    fn a_panic_in_the_work_reaches_the_caller() {
        let items: Vec<u8> = (0..8).collect();
        map_in_order(&items, |n| {
            assert_ne!(*n, 3, "item 3");
            *n
        });
    }
}
