//! Where screenshots go: `target/browser-artifacts/<test>/<page>-<size>.png`
//! on every run, and the README's pictures when `GIRO_SCREENSHOTS` names a
//! folder (`GIRO_SCREENSHOTS=docs/screenshots cargo test --test browser`).

use std::path::PathBuf;

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"),
    }
}

/// The run's artifact folder (created).
pub fn dir() -> PathBuf {
    let dir = target_dir().join("browser-artifacts");
    std::fs::create_dir_all(&dir).expect("artifact folder");
    dir
}

/// The README's screenshot folder, when asked for (relative to the crate).
pub fn readme_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GIRO_SCREENSHOTS").filter(|d| !d.is_empty())?;
    let dir = PathBuf::from(dir);
    Some(if dir.is_absolute() {
        dir
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir)
    })
}
