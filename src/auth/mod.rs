//! Secrets: password hashes (argon2) and random tokens for sessions and API access.

pub mod password;
pub mod token;
