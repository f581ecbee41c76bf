//! Peak resident memory, read from Linux's `/proc/self/status` (`VmHWM`).
//! Writing 5 to `/proc/self/clear_refs` resets the peak, so each instance of a
//! set gets its own figure. Elsewhere there is no figure.

pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The resident size now, for the test.
    fn rss_mib() -> f64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<f64>()
            .unwrap()
            / 1024.0
    }

    // Other tests of the process allocate and free at the same time: the peak
    // is held against what the process holds with the block, not against
    // the peak before it.
    #[test]
    fn the_peak_grows_with_what_the_process_holds() {
        super::reset_peak();
        let block = vec![1u8; 64 << 20];
        std::hint::black_box(&block);
        let held = rss_mib();
        let peak = super::peak_mib().expect("Linux reports VmHWM");
        assert!(held >= 60.0, "the block is resident: {held} MiB");
        assert!(
            peak >= held - 1.0,
            "peak {peak} MiB below what is held, {held} MiB"
        );
        drop(block);
    }
}
