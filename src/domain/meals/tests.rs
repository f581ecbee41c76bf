use super::*;
use serde_json::json;

fn input(v: serde_json::Value) -> MealRecipientInput {
    serde_json::from_value(v).unwrap()
}

fn good() -> serde_json::Value {
    json!({
        "person_id": 3,
        "window": {"start": "11:30", "end": "13:00"},
        "schedule": [{"weekday": "mon", "meals": 1, "meal_type": "hot"},
                     {"weekday": "thu", "meals": 2, "meal_type": "cold"}],
        "starts_on": "2026-11-02",
        "diets": ["diabetico"],
        "holds": [{"from": "2026-11-24", "resume_on": "2026-11-26"}]
    })
}

fn fields(v: serde_json::Value) -> Vec<String> {
    input(v)
        .validate(&MealSettings::default())
        .unwrap_err()
        .0
        .into_iter()
        .map(|f| f.field)
        .collect()
}

fn ymd(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

#[test]
fn bad_plans_are_named_by_field() {
    assert_eq!(input(good()).validate(&MealSettings::default()), Ok(()));
    let mut v = good();
    v["schedule"] = json!([]);
    v["window"] = json!({"start": "13:00", "end": "12:00"});
    v["diets"] = json!(["diabetico", "keto"]);
    v["holds"] = json!([{"from": "2026-11-24", "resume_on": "2026-11-20"}]);
    assert_eq!(
        fields(v),
        ["window.end", "schedule", "diets[1]", "holds[0].resume_on"]
    );
    let mut v = good();
    v["schedule"][1]["weekday"] = json!("mon");
    v["schedule"][0]["meals"] = json!(0);
    assert_eq!(fields(v), ["schedule[0].meals", "schedule[1].weekday"]);
}

#[test]
fn a_hold_pauses_the_meal_until_its_resume_date_and_holidays_skip_it() {
    let r = MealRecipient::of(1, 2, &input(good()));
    let cal = Calendar::default();
    assert_eq!(r.serves(&cal, ymd(11, 23)).map(|d| d.meals), Some(1));
    assert!(r.serves(&cal, ymd(11, 24)).is_none(), "a Tuesday on hold");
    assert_eq!(r.serves(&cal, ymd(11, 26)).map(|d| d.meals), Some(2));
    assert!(
        r.serves(&cal, ymd(12, 8)).is_none(),
        "Immaculate Conception"
    );
    let inactive = MealRecipient { active: false, ..r };
    assert!(inactive.serves(&cal, ymd(11, 23)).is_none());
}

#[test]
fn the_day_request_fills_the_type_box_and_carries_diets_and_no_limit() {
    let r = MealRecipient::of(1, 2, &input(good()));
    let s = MealSettings::default();
    let day = r.day(chrono::Weekday::Thu).unwrap().clone();
    let q = r.request_for(&day, ymd(11, 26), (7, 8), &s);
    assert_eq!(q.load, Some(BTreeMap::from([("cold_boxes".into(), 2)])));
    assert_eq!(q.max_ride_minutes, None);
    assert_eq!(q.notes.as_deref(), Some("diete: diabetico"));
    assert_eq!(q.validate(), Ok(()));
}

#[test]
fn every_hot_meal_gets_the_tighter_limit_and_the_ready_time() {
    let s = MealSettings::default();
    let hot = BTreeMap::from([("hot_boxes".to_string(), 1)]);
    let cold = BTreeMap::from([("cold_boxes".to_string(), 1)]);
    assert_eq!(limits(&s, &hot, None).max_ride_minutes, Some(45));
    assert_eq!(limits(&s, &hot, Some(30)).max_ride_minutes, Some(30));
    assert_eq!(limits(&s, &hot, Some(90)).max_ride_minutes, Some(45));
    assert_eq!(limits(&s, &cold, None).max_ride_minutes, None);
    assert_eq!(limits(&s, &cold, None).leaves_after, s.ready_at);
    assert_eq!(s.boxes.type_of(&hot), Some(MealType::Hot));
    assert_eq!(s.boxes.type_of(&cold), Some(MealType::Cold));
}

#[test]
fn settings_name_their_faults() {
    let mut s = MealSettings::default();
    assert_eq!(s.validate(), Ok(()));
    s.hot_max_minutes = 0;
    s.diets.push("Keto!".into());
    s.boxes.cold = "hot_boxes".into();
    let f: Vec<String> = s
        .validate()
        .unwrap_err()
        .0
        .into_iter()
        .map(|f| f.field)
        .collect();
    assert_eq!(f, ["hot_max_minutes", "diets[6]", "boxes.hot"]);
}

#[test]
fn production_sums_by_type_and_diets() {
    let list = ProductionList::of(
        ymd(11, 23),
        [
            (MealType::Hot, vec![], 2),
            (MealType::Hot, vec!["morbido".into(), "diabetico".into()], 1),
            (MealType::Hot, vec!["diabetico".into(), "morbido".into()], 1),
            (MealType::Cold, vec![], 1),
        ],
    );
    assert_eq!(list.total, 5);
    assert_eq!(list.by_type[0].meals, 4);
    assert_eq!(list.lines.len(), 3);
    assert_eq!(list.lines[1].diets, ["diabetico", "morbido"]);
    assert_eq!(list.lines[1].meals, 2);
}
