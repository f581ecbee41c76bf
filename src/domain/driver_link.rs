//! A driver's personal sign-in link (a long random secret, kept only as a
//! hash) and the optional short PIN that goes with it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Id, Invalid};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DriverLink {
    pub id: Id,
    pub user_id: Id,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Wrong PINs in a row that revoke the link.
pub const MAX_FAILED_PINS: i64 = 5;

/// Where the pages serve a link's secret.
pub fn link_path(secret: &str) -> String {
    format!("/d/{secret}")
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinInput {
    /// 4 to 8 digits; `null` removes the PIN. Required, so that an empty
    /// body never clears a PIN by accident.
    #[schema(example = "1234", pattern = "^[0-9]{4,8}$", required = true)]
    #[serde(deserialize_with = "Option::deserialize")]
    pub pin: Option<String>,
}

/// 4 to 8 digits, so it is quick to type on a phone.
pub fn check_pin_form(pin: &str) -> Result<(), Invalid> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Invalid::one("pin", "must be 4 to 8 digits"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pins_are_four_to_eight_digits() {
        for ok in ["1234", "00000000", "987654"] {
            assert!(super::check_pin_form(ok).is_ok(), "{ok}");
        }
        for bad in ["123", "123456789", "12a4", "", " 1234", "١٢٣٤"] {
            assert_eq!(super::check_pin_form(bad).unwrap_err().0[0].field, "pin");
        }
    }
}
