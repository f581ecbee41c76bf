//! What the audit log says: which action on which kind of record. One enum
//! each, snake case in JSON and in the table, one text per value (`as_str`),
//! so the store, the API and the pages name them alike. The texts are those
//! the rows written before these types carry.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    /// A person's record or a manifest was read (GDPR art. 9 data).
    Read,
    /// A person's identifying fields were replaced for good.
    Anonymise,
    /// Everything held on a person was handed out (subject access).
    Export,
    Login,
    Revoke,
    Cancel,
    Call,
    Generate,
    Hold,
    KeepReturn,
    NoShow,
    UndoNoShow,
    Restore,
    Publish,
    Edit,
    Solve,
    Suspend,
    /// The retention job cleared the personal fields of old records.
    Purge,
}

str_enum!(AuditAction {
    Create => "create", Update => "update", Delete => "delete", Read => "read",
    Anonymise => "anonymise", Export => "export", Login => "login", Revoke => "revoke",
    Cancel => "cancel", Call => "call", Generate => "generate", Hold => "hold",
    KeepReturn => "keep_return", NoShow => "no_show", UndoNoShow => "undo_no_show",
    Restore => "restore", Publish => "publish", Edit => "edit", Solve => "solve",
    Suspend => "suspend", Purge => "purge"
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditEntity {
    ApiToken,
    ClosingDay,
    Donor,
    DriverLink,
    Eligibility,
    FeeRules,
    /// A driver's published stops of a date (`entity_id` the volunteer,
    /// `detail` the date).
    Manifest,
    MealRecipient,
    MealSettings,
    Organisation,
    Person,
    Place,
    Plan,
    Request,
    RidePolicy,
    Route,
    Shift,
    StandingOrder,
    StopEvent,
    SurplusSettings,
    Solve,
    User,
    Vehicle,
    VehicleBlock,
    Volunteer,
}

str_enum!(AuditEntity {
    ApiToken => "api_token", ClosingDay => "closing_day", Donor => "donor",
    DriverLink => "driver_link", Eligibility => "eligibility", FeeRules => "fee_rules",
    Manifest => "manifest", MealRecipient => "meal_recipient", MealSettings => "meal_settings",
    Organisation => "organisation", Person => "person", Place => "place", Plan => "plan",
    Request => "request", RidePolicy => "ride_policy", Route => "route", Shift => "shift",
    StandingOrder => "standing_order", StopEvent => "stop_event",
    SurplusSettings => "surplus_settings", Solve => "solve", User => "user",
    Vehicle => "vehicle", VehicleBlock => "vehicle_block", Volunteer => "volunteer"
});

impl AuditEntity {
    /// As `parse`, and the one text rows written before these types used
    /// otherwise (a deleted vehicle block was logged as "vehicle block").
    pub fn read(s: &str) -> Option<Self> {
        match s {
            "vehicle block" => Some(Self::VehicleBlock),
            _ => Self::parse(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_text_is_the_json_name_and_reads_back() {
        for a in [
            AuditAction::KeepReturn,
            AuditAction::Anonymise,
            AuditAction::Read,
        ] {
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.as_str()));
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        }
        for e in [
            AuditEntity::VehicleBlock,
            AuditEntity::Person,
            AuditEntity::ApiToken,
        ] {
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.as_str()));
            assert_eq!(AuditEntity::read(e.as_str()), Some(e));
        }
        assert_eq!(
            AuditEntity::read("vehicle block"),
            Some(AuditEntity::VehicleBlock)
        );
        assert_eq!(AuditEntity::parse("vehicle block"), None);
    }
}
