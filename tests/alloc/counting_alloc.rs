//! A counting global allocator for the allocation tests. The `#[global_allocator]` below applies
//! to the whole test crate that declares this module, so it is declared in one binary only,
//! `tests/alloc`, and every test that counts allocations lives there.
//!
//! It wraps the system allocator and counts, per thread, the calls to `alloc`, `alloc_zeroed`
//! and `realloc` made while a measurement is running. The count is thread-local, so the test
//! harness and other test threads cannot disturb it; `assert_counter_works` is the control that
//! makes a zero mean something.
//!
//! (`#![forbid(unsafe_code)]` is a lint of the library; an integration test is its own crate and
//! needs `unsafe impl GlobalAlloc`.)
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

struct CountingAllocator;

thread_local! {
    /// Whether this thread is being measured, and how many allocations it made meanwhile.
    /// `const` initialisation and no destructor: using them allocates nothing.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn record() {
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; `record` only
// touches const-initialised thread-locals of `Copy` types, which never allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// The number of heap allocations this thread makes while running `f`.
pub fn allocations<R>(f: impl FnOnce() -> R) -> usize {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    black_box(f());
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.with(Cell::get)
}

/// The control: the counter sees an allocation, so the zeros below mean something.
pub fn assert_counter_works() {
    let n = allocations(|| Vec::<f64>::with_capacity(black_box(10)));
    assert!(
        n >= 1,
        "the counting allocator missed a Vec::with_capacity(10)"
    );
    let n = allocations(|| Box::new(black_box([1.0_f64; 4])));
    assert!(n >= 1, "the counting allocator missed a Box::new");
}
