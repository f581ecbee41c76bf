//! What follows from how a rider moves. The one home of these rules: the
//! store, the planner, the portal and the demo all ask here.
//!
//! A wheelchair user who stays in the chair takes a wheelchair place and needs
//! the lift; one who transfers takes a seat (the folded chair rides in the
//! back). Companions and attendants take seats. Boarding minutes grow with
//! the help needed; the stop's fixed time (parking, deploying the lift) is the
//! place's and is paid once for riders boarding one after the other.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mobility {
    /// Walks unaided.
    None,
    /// Walker or crutches.
    Walker,
    /// Uses a wheelchair and moves to a seat for the ride.
    WheelchairTransfer,
    /// Stays in the wheelchair: a wheelchair place and the lift.
    Wheelchair,
}

str_enum!(Mobility {
    None => "none",
    Walker => "walker",
    WheelchairTransfer => "wheelchair_transfer",
    Wheelchair => "wheelchair"
});

/// The capacity dimensions a ride can take.
pub const SEATS: &str = "seats";
pub const WHEELCHAIRS: &str = "wheelchairs";
/// The equipment a rider who stays in the chair needs.
pub const LIFT: &str = "lift";

/// Minutes to park and get out at a stop, paid once per place visited.
pub const PARKING_MINUTES: u32 = 1;
/// Minutes to lower and raise the lift, paid once per place visited.
pub const LIFT_MINUTES: u32 = 3;

/// Who travels and what they take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party {
    pub mobility: Mobility,
    /// Companions and attendants: each takes a seat.
    pub companions: u32,
    pub service_animal: bool,
}

/// What a party needs from the vehicle and the stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needs {
    pub load: BTreeMap<String, u32>,
    pub skills: Vec<String>,
    /// The rider's own minutes to board (and, alike, to alight), beyond the
    /// stop's fixed time.
    pub board_minutes: u32,
    /// Whether the stop needs the lift lowered.
    pub lift: bool,
}

impl Party {
    pub fn needs(self) -> Needs {
        let in_chair = self.mobility == Mobility::Wheelchair;
        let own = match self.mobility {
            Mobility::None => 1,
            Mobility::Walker => 2,
            Mobility::WheelchairTransfer => 4,
            // Wheel on, strap four points; the lift itself is the stop's.
            Mobility::Wheelchair => 3,
        };
        Needs {
            load: BTreeMap::from([
                (SEATS.to_string(), self.companions + u32::from(!in_chair)),
                (WHEELCHAIRS.to_string(), u32::from(in_chair)),
            ]),
            skills: if in_chair {
                vec![LIFT.to_string()]
            } else {
                Vec::new()
            },
            board_minutes: own + self.companions + u32::from(self.service_animal),
            lift: in_chair,
        }
    }
}

/// The fixed minutes of a stop at a place: parking, and the lift when anyone
/// boarding or alighting there stays in the chair.
pub fn stop_setup_minutes(lift: bool) -> u32 {
    PARKING_MINUTES + if lift { LIFT_MINUTES } else { 0 }
}

/// Whether a vehicle with these skills and layouts can carry the party at all.
pub fn can_carry<'a>(
    needs: &Needs,
    skills: &[String],
    layouts: impl IntoIterator<Item = &'a BTreeMap<String, u32>>,
) -> bool {
    needs.skills.iter().all(|s| skills.contains(s))
        && layouts.into_iter().any(|cap| {
            needs
                .load
                .iter()
                .all(|(d, &q)| q == 0 || cap.get(d).is_some_and(|&c| c >= q))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(mobility: Mobility, companions: u32) -> Party {
        Party {
            mobility,
            companions,
            service_animal: false,
        }
    }

    #[test]
    fn a_rider_in_the_chair_takes_a_wheelchair_place_and_the_lift() {
        let n = party(Mobility::Wheelchair, 1).needs();
        assert_eq!(n.load[WHEELCHAIRS], 1);
        assert_eq!(n.load[SEATS], 1, "the companion's seat");
        assert_eq!(n.skills, vec![LIFT.to_string()]);
        assert!(n.lift);
    }

    #[test]
    fn a_rider_who_transfers_takes_a_seat_and_no_lift() {
        let n = party(Mobility::WheelchairTransfer, 0).needs();
        assert_eq!((n.load[SEATS], n.load[WHEELCHAIRS]), (1, 0));
        assert!(n.skills.is_empty() && !n.lift);
        assert!(n.board_minutes > party(Mobility::None, 0).needs().board_minutes);
    }

    #[test]
    fn companions_and_animals_add_minutes() {
        let alone = party(Mobility::Walker, 0).needs().board_minutes;
        let mut p = party(Mobility::Walker, 2);
        p.service_animal = true;
        assert_eq!(p.needs().board_minutes, alone + 3);
        assert_eq!(p.needs().load[SEATS], 3);
    }

    #[test]
    fn the_lift_makes_the_stop_longer() {
        assert!(stop_setup_minutes(true) > stop_setup_minutes(false));
    }

    #[test]
    fn carrying_needs_the_skill_and_one_layout_with_room() {
        let needs = party(Mobility::Wheelchair, 0).needs();
        let seats_only = BTreeMap::from([(SEATS.to_string(), 8)]);
        let mixed = BTreeMap::from([(SEATS.to_string(), 4), (WHEELCHAIRS.to_string(), 1)]);
        let lift = vec![LIFT.to_string()];
        assert!(!can_carry(&needs, &lift, [&seats_only]));
        assert!(!can_carry(&needs, &[], [&mixed]));
        assert!(can_carry(&needs, &lift, [&seats_only, &mixed]));
    }
}
