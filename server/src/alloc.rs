//! One allocator setting, made before anything runs. glibc serves a large block (a 19 MiB
//! argon2 hash, a decoded photo) from the heap once one has been freed — its mmap threshold
//! rises to the largest freed block — and small allocations then split the freed space, so each
//! burst of sign-ins left another few hundred megabytes behind for good (measured with
//! `server bench --only security`). A fixed threshold keeps every block of 1 MiB or more in its
//! own mapping, given back to the system when freed.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune() {
    const MIB: i32 = 1 << 20;
    // SAFETY: mallopt only changes allocator parameters; it is called once, before any thread
    // that allocates is started.
    let ok = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MIB) };
    if ok != 1 {
        eprintln!("warning: could not set the allocator's mmap threshold");
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}
