//! Argon2id at OWASP's first recommended cost (19 MiB, two passes, one lane),
//! which is argon2's default. A stored hash carries its own parameters, so
//! hashes made at any other cost still verify. Hashing is CPU work: callers on
//! the async runtime run it on a blocking thread (see `verifier`).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// The hash of a password nobody has, at the current cost: checked when an
/// e-mail is unknown, so that the answer takes as long as for a real account.
pub const STAND_IN: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$750tumBOMtRf3B+8vV6UdA$cKUVmatIC5hZ2J1bpymUd0DLAybH6kTBui7/l0JimlE";

/// m = 19 MiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with valid parameters accepts any password")
        .to_string()
}

/// False for a wrong password and for a malformed stored hash alike.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn verifies_only_the_right_password() {
        let h = super::hash("correct horse");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(super::verify("correct horse", &h));
        assert!(!super::verify("correct horse.", &h));
        assert!(!super::verify("correct horse", "not a hash"));
    }

    #[test]
    fn the_stand_in_costs_as_much_as_a_real_hash() {
        let real = super::hash("x");
        let cost = |h: &str| h.split('$').nth(3).unwrap().to_string();
        assert_eq!(cost(super::STAND_IN), cost(&real));
        assert!(super::verify("no such user", super::STAND_IN));
    }

    #[test]
    fn hashes_made_at_another_cost_still_verify() {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let cheap = argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(8 * 1024, 1, 1, None).unwrap(),
        );
        let salt = SaltString::encode_b64(b"sixteen byte sal").unwrap();
        let h = cheap.hash_password(b"pw", &salt).unwrap().to_string();
        assert!(super::verify("pw", &h));
        assert!(!super::verify("px", &h));
    }
}
