//! The pages in headless Chromium, driven over WebDriver (`fantoccini` to a
//! local chromedriver): every flow of issue 7's "Must show", with an axe-core
//! scan, a no-foreign-request check and screenshots at phone and desktop size
//! for every page visited. Left out of plain `cargo test` (it needs
//! chromium and chromedriver); `.ci/run` runs it: `cargo test --test browser`.

mod artifacts;
mod checks;
mod gate;
mod harness;
mod suite;
#[allow(dead_code)]
#[path = "../service/support.rs"]
mod support;

mod flows {
    mod access;
    mod audit;
    mod board;
    mod driver;
    mod import;
    mod live_day;
    mod login;
    mod meal_pages;
    mod planning_pages;
    mod portal;
    mod reports;
    mod selftest;
}
