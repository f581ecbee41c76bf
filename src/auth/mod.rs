//! Secrets: password hashes (argon2) and random tokens for sessions and API
//! access; sign-in throttling and the bounded pool that checks passwords.

pub mod password;
pub mod throttle;
pub mod token;
pub mod verifier;

use std::net::IpAddr;

/// What guards every way of signing in: the throttle, the password checks'
/// bound, and the proxies whose `X-Forwarded-For` names the client.
pub struct SignIns {
    pub throttle: throttle::Throttle,
    pub verifier: verifier::Verifier,
    /// Empty unless `GIRO_TRUSTED_PROXY` names them: otherwise the peer is the client.
    pub trusted_proxies: Vec<IpAddr>,
}

impl SignIns {
    pub fn new(limits: throttle::Limits, trusted_proxies: Vec<IpAddr>) -> Self {
        SignIns {
            throttle: throttle::Throttle::new(limits),
            verifier: verifier::Verifier::for_this_machine(),
            trusted_proxies,
        }
    }
}
