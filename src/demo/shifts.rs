//! Covering the vehicles' windows with volunteer shifts (pure, on positions).

use std::cmp::Reverse;

use crate::domain::{Clock, Window};

/// One shift of the cover: positions of the vehicle and of the volunteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cover {
    pub(super) vehicle: usize,
    pub(super) volunteer: usize,
    pub(super) window: Window,
}

/// Covers each vehicle's window (`vehicles[v]`) with volunteers
/// (`volunteers[j]` = their availability and the vehicles they may drive),
/// vehicle by vehicle, sweeping each window from its start. At each point the
/// next shift goes to the volunteer free earliest; among those, to whoever
/// stays longest (covers the most of what is left); on a tie, to whoever
/// becomes available first, then the one listed first. A shift runs from the
/// point to the end of the volunteer's free time, within the vehicle's window.
/// So shifts of one vehicle never overlap, nor do two shifts of one volunteer.
/// A stretch nobody can drive stays without a shift.
pub(super) fn cover_shifts(vehicles: &[Window], volunteers: &[(Window, Vec<usize>)]) -> Vec<Cover> {
    let mut order: Vec<usize> = (0..volunteers.len()).collect();
    order.sort_by_key(|&j| volunteers[j].0.start);
    let mut busy: Vec<Vec<Window>> = vec![Vec::new(); volunteers.len()];
    let mut out = Vec::new();
    for (v, w) in vehicles.iter().enumerate() {
        let mut cursor = w.start;
        while cursor < w.end {
            let mut best: Option<(usize, Window)> = None;
            for &j in &order {
                let (available, allowed) = &volunteers[j];
                if !allowed.contains(&v) {
                    continue;
                }
                let Some(stretch) = free_stretch(*available, &busy[j], cursor, w.end) else {
                    continue;
                };
                let rank = |s: Window| (s.start, Reverse(s.end));
                if best.is_none_or(|(_, b)| rank(stretch) < rank(b)) {
                    best = Some((j, stretch));
                }
            }
            let Some((j, window)) = best else { break };
            busy[j].push(window);
            busy[j].sort_by_key(|b| b.start);
            out.push(Cover {
                vehicle: v,
                volunteer: j,
                window,
            });
            cursor = window.end;
        }
    }
    out
}

/// The first stretch of `available` inside [`from`, `until`] that overlaps none
/// of `busy` (sorted by start, not overlapping each other), if not empty.
fn free_stretch(available: Window, busy: &[Window], from: Clock, until: Clock) -> Option<Window> {
    let mut start = available.start.max(from);
    let mut end = available.end.min(until);
    for b in busy {
        if b.end <= start {
            continue;
        }
        if b.start <= start {
            start = b.end;
        } else {
            end = end.min(b.start);
            break;
        }
    }
    (start < end).then(|| Window::new(start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(a: &str, b: &str) -> Window {
        Window::new(a.parse().unwrap(), b.parse().unwrap())
    }

    #[test]
    fn covers_the_demo_vehicles() {
        // van, car-1, car-2 and the eight volunteers of data/demo.
        let vehicles = [
            w("07:30", "18:00"),
            w("10:30", "14:30"),
            w("10:30", "14:30"),
        ];
        let volunteers = vec![
            (w("07:15", "13:00"), vec![0]),       // giorgio
            (w("07:30", "11:30"), vec![0, 1, 2]), // paolo
            (w("08:00", "14:30"), vec![0, 2]),    // silvia
            (w("12:45", "18:15"), vec![0]),       // elena
            (w("13:00", "18:00"), vec![0, 1]),    // lucia
            (w("10:15", "14:45"), vec![1, 2]),    // marco
            (w("10:15", "14:45"), vec![2]),       // anna
            (w("10:30", "14:30"), vec![1]),       // franco
        ];
        let cover = cover_shifts(&vehicles, &volunteers);
        let c = |vehicle, volunteer, a, b| Cover {
            vehicle,
            volunteer,
            window: w(a, b),
        };
        assert_eq!(
            cover,
            vec![
                c(0, 0, "07:30", "13:00"),
                c(0, 3, "13:00", "18:00"),
                c(1, 5, "10:30", "14:30"),
                c(2, 2, "10:30", "14:30"),
            ]
        );
    }

    #[test]
    fn leaves_gaps_and_skips_busy_volunteers() {
        let vehicles = [w("08:00", "12:00"), w("08:00", "12:00")];
        let volunteers = vec![
            (w("09:00", "10:00"), vec![0]),
            (w("08:00", "12:00"), vec![0, 1]),
            (w("10:30", "11:00"), vec![0]),
            (w("08:00", "09:30"), vec![1]),
        ];
        // Vehicle 0 takes volunteer 1 for the whole morning; vehicle 1 then
        // finds only volunteer 3, and nobody after 09:30.
        let cover = cover_shifts(&vehicles, &volunteers);
        assert_eq!(cover.len(), 2);
        assert_eq!(
            (cover[0].volunteer, cover[0].window),
            (1, w("08:00", "12:00"))
        );
        assert_eq!(
            (cover[1].volunteer, cover[1].window),
            (3, w("08:00", "09:30"))
        );

        // Without volunteer 1: a gap before 09:00 and one from 10:00 to 10:30.
        let without: Vec<_> = [0, 2].map(|j| volunteers[j].clone()).into();
        let cover = cover_shifts(&vehicles[..1], &without);
        let got: Vec<_> = cover.iter().map(|c| (c.volunteer, c.window)).collect();
        assert_eq!(
            got,
            vec![(0, w("09:00", "10:00")), (1, w("10:30", "11:00"))]
        );
    }

    #[test]
    fn a_volunteer_split_by_another_shift_drives_around_it() {
        // Volunteer 0 is only one for vehicle 0 at 10:00–11:00, so vehicle 1
        // gets volunteer 0 before and after it.
        let vehicles = [w("10:00", "11:00"), w("09:00", "12:00")];
        let volunteers = vec![(w("09:00", "12:00"), vec![0, 1])];
        let cover = cover_shifts(&vehicles, &volunteers);
        let got: Vec<_> = cover.iter().map(|c| (c.vehicle, c.window)).collect();
        assert_eq!(
            got,
            vec![
                (0, w("10:00", "11:00")),
                (1, w("09:00", "10:00")),
                (1, w("11:00", "12:00")),
            ]
        );
    }
}
