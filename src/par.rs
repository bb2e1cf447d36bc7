//! Work spread over the cores: the years of a build, the outputs of one year.
//! Threads take the next item as they come free (years and outputs differ in
//! cost), the calling thread works too, and no more threads start than there are
//! cores or items: a thread that starts costs a fresh allocator heap and its
//! page faults, which for a one-year build cost more than the work it would do.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads the machine runs at once. Asked once a process: the
/// answer reads the cgroup files under /proc and /sys each time.
pub fn workers() -> usize {
    static WORKERS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WORKERS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `f` over every item on up to [`workers`] threads; results in the order of
/// `items`. A panic in a worker is raised again here, with its own payload:
/// never dropped.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_map_on(workers(), items, f)
}

/// [`par_map`] on at most `threads` threads, the caller's included.
pub fn par_map_on<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut all = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in handles {
            match h.join() {
                Ok(done) => all.extend(done),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        all
    });
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::{par_map, par_map_on};

    #[test]
    fn results_keep_their_order() {
        let items: Vec<u32> = (0..100).collect();
        let doubled: Vec<u32> = (0..100).map(|x| x * 2).collect();
        assert_eq!(par_map(&items, |x| x * 2), doubled);
        for threads in [0, 1, 2, 3, 7, 200] {
            assert_eq!(
                par_map_on(threads, &items, |x| x * 2),
                doubled,
                "{threads} threads"
            );
        }
        assert!(par_map(&Vec::<u32>::new(), |x| *x).is_empty());
    }

    #[test]
    fn no_more_threads_start_than_asked() {
        let items: Vec<u32> = (0..64).collect();
        let ids = par_map_on(3, &items, |_| {
            // Long enough that every thread asked for gets items.
            std::thread::sleep(std::time::Duration::from_millis(1));
            std::thread::current().id()
        });
        let mut distinct = ids.clone();
        distinct.sort_by_key(|id| format!("{id:?}"));
        distinct.dedup();
        assert!(distinct.len() <= 3, "{} threads ran", distinct.len());
        assert!(
            ids.contains(&std::thread::current().id()),
            "the caller works too"
        );
        let alone = par_map_on(1, &items, |_| std::thread::current().id());
        assert!(alone.iter().all(|id| *id == std::thread::current().id()));
    }

    #[test]
    fn a_panic_in_a_worker_is_raised_again_not_lost() {
        let items: Vec<u32> = (0..8).collect();
        for threads in [1, 2, 4] {
            let caught = std::panic::catch_unwind(|| {
                par_map_on(threads, &items, |x| {
                    if *x == 5 {
                        panic!("render worker failed on item {x}");
                    }
                    *x
                })
            });
            let payload = caught.expect_err("the panic must reach the caller");
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            assert_eq!(message, "render worker failed on item 5");
        }
    }
}
