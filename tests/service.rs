//! The service end to end: real HTTP on port 0, a fresh database per test
//! (SQLite, or PostgreSQL when TEST_POSTGRES_URL is set).

mod service {
    mod authz;
    mod crud;
    mod pages_board;
    mod pages_portal;
    mod plans;
    pub mod support;
    mod validation;
}
