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
    #[test]
    fn the_peak_grows_with_what_the_process_holds() {
        super::reset_peak();
        let before = super::peak_mib().expect("Linux reports VmHWM");
        let block = vec![1u8; 64 << 20];
        std::hint::black_box(&block);
        let after = super::peak_mib().unwrap();
        assert!(after >= before + 60.0, "{before} MiB then {after} MiB");
    }
}
