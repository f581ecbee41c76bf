//! The drivers' use cases: reporting what happened at a stop (once per device
//! event id, by the stop's key), and signing in with a personal link and PIN.
//! The API and the pages call these; handlers only translate.

mod error;
mod events;
mod links;

pub use error::DriverError;
pub use events::{events_of_stop_row, report, report_on_stop_row, Reported};
pub use links::{
    check_pin, create_link, revoke_links, set_pin, user_for_link, LinkedDriver, NewLink, PinCheck,
};
