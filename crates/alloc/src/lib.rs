//! The memory allocator of Outpost's programs (the CLI, the desktop app, the benchmarks measuring
//! them): mimalloc, set to give freed memory back at once. `#[global_allocator] static A:
//! outpost_alloc::Allocator = outpost_alloc::Allocator;` in each binary.
//!
//! An import's reader thread allocates every cell the writer thread frees. With glibc's allocator each
//! such free takes the reader's arena lock: perf of a 1M-row import showed a fifth of its samples in
//! malloc, free and the futex waits between the two threads. mimalloc frees across threads without a
//! lock. Its defaults keep freed memory for a second and commit its arenas whole, which took the
//! import's peak RSS from 184 to 242 MB (the duplicate map, freed before the indexes are built, stayed
//! resident beside SQLite's sorter); both are set off before its first allocation, which creates the
//! arena. (They also override any MIMALLOC_PURGE_DELAY / MIMALLOC_ARENA_EAGER_COMMIT a user sets.)

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, Ordering};

use libmimalloc_sys as mi;
use mimalloc::MiMalloc;

/// mimalloc.h's `mi_option_arena_eager_commit` and `mi_option_purge_delay` (the same numbers in its
/// v2 and v3).
const ARENA_EAGER_COMMIT: mi::mi_option_t = 4;
const PURGE_DELAY: mi::mi_option_t = 15;

static TUNED: AtomicBool = AtomicBool::new(false);

/// mimalloc with its options set before its first allocation.
pub struct Allocator;

fn tune() {
    if !TUNED.load(Ordering::Relaxed) {
        // SAFETY: mi_option_set stores a number in mimalloc's option table; setting it twice (two
        // threads' first allocations at once) stores the same numbers.
        unsafe {
            mi::mi_option_set(ARENA_EAGER_COMMIT, 0);
            mi::mi_option_set(PURGE_DELAY, 0);
        }
        TUNED.store(true, Ordering::Relaxed);
    }
}

// SAFETY: every call goes to MiMalloc unchanged; `tune` neither allocates nor frees.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        tune();
        // SAFETY: the caller's contract for this method, passed on unchanged.
        unsafe { MiMalloc.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        tune();
        // SAFETY: the caller's contract for this method, passed on unchanged.
        unsafe { MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for this method, passed on unchanged.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for this method, passed on unchanged.
        unsafe { MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option numbers are mimalloc's enum positions: a mimalloc whose enum moved would have these
    /// set other options. Its defaults say which option a number is (this test runs without `tune`,
    /// and with no MIMALLOC_* variable set): 2 and 1000 ms are v3's, which the crate builds.
    #[test]
    fn option_numbers_name_the_options_meant() {
        // SAFETY: mi_option_get reads mimalloc's option table.
        let (eager, purge) = unsafe { (mi::mi_option_get(ARENA_EAGER_COMMIT), mi::mi_option_get(PURGE_DELAY)) };
        assert_eq!((eager, purge), (2, 1000), "arena_eager_commit defaults to 2, purge_delay to 1000 ms");
    }
}
