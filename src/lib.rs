//! giro plans and runs the daily rounds of a town's social services.

pub mod api;
pub mod auth;
pub mod bench;
pub mod blocking;
pub mod csv;
pub mod demo;
pub mod domain;
pub mod formats;
pub mod ops;
pub mod planning;
pub mod server;
pub mod service;
pub mod solver;
pub mod store;
pub mod travel;
pub mod web;
