//! What the process asks of the system's allocator (glibc's malloc on Linux; other systems'
//! allocators keep their own rules and these do nothing): one heap for a process that renders
//! one report, large blocks of its PDF export mapped on their own, and the heap's free memory
//! given back once typst's cache is emptied (issue 29).

/// Keeps the process's heap in one arena: called before any thread is begun, by a process that
/// renders one report. glibc gives each new thread an arena of its own (up to eight per core),
/// and what is freed goes back to the arena it came from, so what typst's layout freed on its
/// worker threads was not reused by PDF export on the main thread, which took fresh pages
/// instead. With one arena the 10 000-line detail report's peak RSS is 5 % lower (310 against
/// 327 MiB) and its CPU time 7 % (`README.md`, *One arena*). `render --each` keeps glibc's
/// arenas (its reports, laid out on two threads at once, were 1.28× slower in one), and so do
/// `serve`, whose requests run on threads at once, and `watch`, whose re-render showed no gain.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn one_arena() {
    /// glibc's `M_ARENA_MAX` parameter of `mallopt(3)`.
    const M_ARENA_MAX: std::ffi::c_int = -8;
    unsafe extern "C" {
        /// glibc's `mallopt(3)`: no preconditions, safe from any thread at any time.
        safe fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    mallopt(M_ARENA_MAX, 1);
}

/// Other systems' allocators keep their own rules.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn one_arena() {}

/// From now on, gives each block of 64 KiB or more pages of its own, returned to the system when
/// it is freed and grown without copying: called by a process that renders one report, once its
/// document is laid out and before it is exported. glibc's default starts at 128 KiB and rises
/// (up to 32 MiB) each time such a block is freed, and layout frees many, so that PDF export's
/// growing buffers (the PDF itself is 10 MB for 200 pages) were copied inside the heap, both
/// sizes at once, at the process's peak. With the view model dropped before typesetting, the
/// 10 000-line detail report's peak RSS is about 8 MiB lower (300.6 against 308.7 MiB, 0.99×
/// the time; `README.md`, *Large blocks of PDF export*). Set from the start instead, the
/// threshold saved 3 MiB more but cost the summary 3 % of its time (fresh pages for what layout
/// allocates and frees).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn map_large_blocks() {
    /// glibc's `M_MMAP_THRESHOLD` parameter of `mallopt(3)`.
    const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
    unsafe extern "C" {
        /// glibc's `mallopt(3)`: no preconditions, safe from any thread at any time.
        safe fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
}

/// Other systems' allocators keep their own rules.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn map_large_blocks() {}

/// Gives the heap's free memory back to the system, once typst's cache is emptied: glibc keeps
/// what is freed for the process's next allocations, in the arena it came from. Without this
/// (and before [`one_arena`], with the workers' arenas apart from PDF export's), a 924-page
/// listing's peak RSS was 2 253 MB, reached in PDF export, with 1 623 MB of heap in use there
/// (issue 29).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn release_freed_memory() {
    unsafe extern "C" {
        /// glibc's `malloc_trim(3)`: no preconditions, safe from any thread at any time.
        safe fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    malloc_trim(0);
}

/// Other systems' allocators return memory by their own rules.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn release_freed_memory() {}
