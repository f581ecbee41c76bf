//! What a rider is entitled to: the band of the family's ISEE (the Italian
//! means test), a disability recognised under L.104/1992, a social worker's
//! plan. Bands, not amounts: the service needs no more to set the fee.
//! `domain::fees` says what follows.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;
use super::{Checks, Id, Invalid};

/// Where the rider's ISEE falls against the thresholds the planners set
/// (`FeeRules::isee_low_up_to_eur`, `isee_middle_up_to_eur`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IseeBand {
    /// Up to the low threshold (by default 9 360 €).
    Low,
    /// Up to the middle threshold (by default 20 000 €).
    Middle,
    /// Above the middle threshold.
    High,
    /// No ISEE declared.
    Unknown,
}

str_enum!(IseeBand { Low => "low", Middle => "middle", High => "high", Unknown => "unknown" });

/// Recognition under L.104/1992, art. 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum L104 {
    None,
    /// Art. 3 comma 1: a recognised disability.
    Art3C1,
    /// Art. 3 comma 3: a disability of grave severity.
    Art3C3,
}

str_enum!(L104 { None => "none", Art3C1 => "art3_c1", Art3C3 => "art3_c3" });

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Eligibility {
    pub person_id: Id,
    pub isee_band: IseeBand,
    pub l104: L104,
    /// The social services follow the rider with a plan (progetto individuale).
    pub social_plan: bool,
    /// The plan's reference (protocol number), when there is a plan.
    pub plan_reference: Option<String>,
}

impl Eligibility {
    /// Nothing declared: no ISEE, no recognition, no plan.
    pub fn undeclared(person_id: Id) -> Self {
        Self {
            person_id,
            isee_band: IseeBand::Unknown,
            l104: L104::None,
            social_plan: false,
            plan_reference: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EligibilityInput {
    pub isee_band: IseeBand,
    pub l104: L104,
    pub social_plan: bool,
    /// Required with a plan, refused without one.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 100)]
    pub plan_reference: Option<String>,
}

impl EligibilityInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        match (&self.plan_reference, self.social_plan) {
            (Some(r), true) => c.text("plan_reference", r, 100),
            (None, true) => c.fail("plan_reference", "is required with a social worker's plan"),
            (Some(_), false) => c.fail(
                "plan_reference",
                "is given only with a social worker's plan",
            ),
            (None, false) => {}
        }
        c.done()
    }

    pub fn for_person(&self, person_id: Id) -> Eligibility {
        Eligibility {
            person_id,
            isee_band: self.isee_band,
            l104: self.l104,
            social_plan: self.social_plan,
            plan_reference: self.plan_reference.as_ref().map(|r| r.trim().to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(plan: bool, reference: Option<&str>) -> EligibilityInput {
        EligibilityInput {
            isee_band: IseeBand::Middle,
            l104: L104::None,
            social_plan: plan,
            plan_reference: reference.map(str::to_string),
        }
    }

    #[test]
    fn a_plan_reference_goes_with_a_plan_only() {
        assert!(input(true, Some(" PI-2026/14 ")).validate().is_ok());
        assert!(input(false, None).validate().is_ok());
        for bad in [
            input(true, None),
            input(false, Some("x")),
            input(true, Some("  ")),
        ] {
            assert_eq!(bad.validate().unwrap_err().0[0].field, "plan_reference");
        }
        let e = input(true, Some(" PI-2026/14 ")).for_person(7);
        assert_eq!(e.plan_reference.as_deref(), Some("PI-2026/14"));
        assert_eq!(IseeBand::parse("middle"), Some(IseeBand::Middle));
        assert_eq!(L104::parse("art3_c3"), Some(L104::Art3C3));
    }
}
