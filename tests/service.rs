//! The service end to end: real HTTP on port 0, a fresh database per test
//! (SQLite, or PostgreSQL when TEST_POSTGRES_URL is set).

mod service {
    mod admin_cli;
    mod authz;
    mod checked;
    mod contract;
    mod crud;
    mod demo_publish;
    mod driver_link;
    mod driver_page;
    mod edits;
    mod events;
    mod export;
    mod fees;
    mod fleet;
    mod html;
    mod hygiene;
    mod import;
    mod lifecycle;
    mod links;
    mod live;
    mod meals;
    mod migrations;
    mod night_before;
    mod ops;
    mod other_day;
    mod pages_board;
    mod pages_live_day;
    mod pages_meals;
    mod pages_portal;
    mod pages_portal_booking;
    mod pages_shifts;
    mod pages_surplus;
    mod pages_vehicles;
    mod personal_data;
    mod plans;
    mod promised;
    mod proved;
    mod replan;
    mod reports;
    mod rides;
    mod solve_death;
    mod standing;
    pub mod support;
    mod surplus;
    mod throttle;
    mod validation;
    mod vehicle_sharing;
}
