//! People served: riders and meal recipients. Needs, never diagnoses.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::mobility::{Mobility, Party};
use super::{Checks, Id, Invalid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assistance {
    None,
    AccompanyToDoor,
    NeedsCompanion,
}

macro_rules! str_enum {
    ($t:ty { $($v:ident => $s:literal),* }) => {
        impl $t {
            /// Every value, in the order declared here (for choices in a form).
            #[allow(dead_code)]
            pub const VARIANTS: &'static [Self] = &[$(Self::$v),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)* _ => None }
            }
        }
    };
}
pub(crate) use str_enum;

str_enum!(Assistance { None => "none", AccompanyToDoor => "accompany_to_door", NeedsCompanion => "needs_companion" });

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Person {
    pub id: Id,
    /// The association that books for this person (or the municipality).
    pub organisation_id: Id,
    pub name: String,
    pub phone: Option<String>,
    pub home_place_id: Id,
    pub mobility: Mobility,
    pub assistance: Assistance,
    /// A guide or assistance dog travels along.
    pub service_animal: bool,
    /// What the driver needs to know: access, aids, how to help. No diagnoses.
    pub driver_notes: Option<String>,
}

impl Person {
    /// Companions who travel when a booking names none: one when the person
    /// needs a companion.
    pub fn usual_companions(&self) -> u32 {
        u32::from(self.assistance == Assistance::NeedsCompanion)
    }

    /// The party of a ride for this person (see `domain::mobility`).
    pub fn party(&self, companions: u32) -> Party {
        Party {
            mobility: self.mobility,
            companions,
            service_animal: self.service_animal,
        }
    }

    /// The room a ride takes.
    pub fn ride_load(&self, companions: u32) -> std::collections::BTreeMap<String, u32> {
        self.party(companions).needs().load
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// Members may leave it out: it defaults to their association.
    #[serde(default)]
    pub organisation_id: Option<Id>,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 40, pattern = r"^[0-9 +\-()/.]*$")]
    pub phone: Option<String>,
    pub home_place_id: Id,
    pub mobility: Mobility,
    pub assistance: Assistance,
    #[serde(default)]
    pub service_animal: bool,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub driver_notes: Option<String>,
}

impl PersonInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        c.text("name", &self.name, 200);
        c.optional_text("phone", &self.phone, 40);
        if let Some(p) = &self.phone {
            c.require(
                p.chars()
                    .all(|ch| ch.is_ascii_digit() || " +-()/.".contains(ch)),
                "phone",
                "may hold only digits, spaces and + - ( ) / .",
            );
        }
        c.optional_text("driver_notes", &self.driver_notes, 1000);
        c.done()
    }
}
