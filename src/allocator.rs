//! When freed memory goes back to the system. The `lectern` binary allocates with
//! jemalloc (see `main.rs`), which keeps freed pages for a while to reuse them.

/// Sites of more documents than this give freed memory back at once.
pub const LARGE_SITE: usize = 2_000;

/// Sets how soon freed pages go back to the system, for a site of `documents`.
///
/// A large site's build frees each batch of pages on both threads; given back at once,
/// its peak memory is what it holds rather than what it has freed (10,000 pages: ~117
/// against ~126 MB). A smaller site keeps jemalloc's default: giving pages back and
/// faulting them in again made the memorial's build about a fifth slower.
pub fn fit_to_site(documents: usize) {
    if documents <= LARGE_SITE {
        return;
    }
    // SAFETY (each call): the name is a NUL-terminated jemalloc setting of the type
    // given. A failure (an arena not in use, another allocator) only leaves that
    // arena's default in place.
    let arenas: u32 = unsafe { tikv_jemalloc_ctl::raw::read(b"arenas.narenas\0") }.unwrap_or(0);
    for setting in ["dirty_decay_ms", "muzzy_decay_ms"] {
        // Arenas made from now on, then each one in use (setting it purges it now).
        let _ = unsafe {
            tikv_jemalloc_ctl::raw::write(format!("arenas.{setting}\0").as_bytes(), 0isize)
        };
        for arena in 0..arenas {
            let name = format!("arena.{arena}.{setting}\0");
            let _ = unsafe { tikv_jemalloc_ctl::raw::write(name.as_bytes(), 0isize) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirty_decay_ms() -> isize {
        // SAFETY: a NUL-terminated jemalloc setting of type ssize_t.
        unsafe { tikv_jemalloc_ctl::raw::read(b"arenas.dirty_decay_ms\0") }.unwrap()
    }

    #[test]
    fn only_a_large_site_gives_freed_memory_back_at_once() {
        let default = dirty_decay_ms();
        assert!(default > 0);
        fit_to_site(LARGE_SITE);
        assert_eq!(dirty_decay_ms(), default);
        fit_to_site(LARGE_SITE + 1);
        assert_eq!(dirty_decay_ms(), 0);
    }
}
