//! Sign-in throttling: failed attempts per account and per client address,
//! counted with governor's GCRA. An attempt takes a cell *before* the password
//! is checked, so a burst of parallel guesses cannot slip past the count; a
//! successful one gives its cell back, so people who know their password are
//! never slowed down by their own sign-ins. Refused attempts take nothing:
//! hammering a throttled account does not lengthen the wait.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use governor::clock::Clock;
use governor::nanos::Nanos;
use governor::state::keyed::{DashMapStateStore, ShrinkableKeyedStateStore};
use governor::state::StateStore;
use governor::{Quota, RateLimiter};

/// How many failures a key may have in a row, and how fast it earns one back.
#[derive(Clone, Copy, Debug)]
pub struct Allowance {
    pub burst: u32,
    pub every: Duration,
}

/// The limits, in one place.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub account: Allowance,
    pub address: Allowance,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // An account (by e-mail, from anywhere): 5 wrong passwords in a
            // row, then one more try a minute. Online guessing stays below
            // 1 440 tries a day per account, while someone who locks a known
            // e-mail on purpose only delays its owner by up to a minute: the
            // account is slowed, never shut.
            account: Allowance {
                burst: 5,
                every: Duration::from_secs(60),
            },
            // A client address (IPv6 by /64), across accounts and PINs: 10
            // failures, then 10 a minute. Enough for an office behind one
            // address where people mistype; each try costs argon2 work, so a
            // single source cannot spray guesses over many accounts.
            address: Allowance {
                burst: 10,
                every: Duration::from_secs(6),
            },
        }
    }
}

/// Refused: try again after `wait`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttled {
    pub wait: Duration,
}

impl Throttled {
    /// Whole seconds for `Retry-After`, rounded up and at least one.
    pub fn seconds(&self) -> u64 {
        self.wait.as_secs_f64().ceil().max(1.0) as u64
    }
}

/// Monotonic time that tests move forward instead of sleeping.
#[derive(Clone, Debug, Default)]
pub struct ThrottleClock {
    skipped_ns: Arc<AtomicU64>,
}

impl Clock for ThrottleClock {
    type Instant = Instant;

    fn now(&self) -> Instant {
        Instant::now() + Duration::from_nanos(self.skipped_ns.load(Ordering::Relaxed))
    }
}

/// Keys above which stale states are swept out (an attacker may invent e-mails).
const SWEEP_ABOVE: usize = 10_000;

/// governor's keyed store, shared so that a success can give its cell back
/// (governor itself only takes cells).
struct Shared<K: Hash + Eq + Clone>(Arc<DashMapStateStore<K>>);

impl<K: Hash + Eq + Clone> StateStore for Shared<K> {
    type Key = K;

    fn measure_and_replace<T, F, E>(&self, key: &K, f: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        self.0.measure_and_replace(key, f)
    }
}

impl<K: Hash + Eq + Clone> ShrinkableKeyedStateStore<K> for Shared<K> {
    fn retain_recent(&self, drop_below: Nanos) {
        self.0.retain_recent(drop_below)
    }

    fn len(&self) -> usize {
        ShrinkableKeyedStateStore::len(self.0.as_ref())
    }

    fn is_empty(&self) -> bool {
        ShrinkableKeyedStateStore::is_empty(self.0.as_ref())
    }
}

/// Failures per key.
struct Counter<K: Hash + Eq + Clone> {
    limiter: RateLimiter<K, Shared<K>, ThrottleClock>,
    store: Arc<DashMapStateStore<K>>,
    /// What one cell is worth in the store's time.
    cell: Nanos,
}

impl<K: Hash + Eq + Clone> Counter<K> {
    fn new(allowance: Allowance, clock: ThrottleClock) -> Self {
        let every = allowance.every.max(Duration::from_millis(1));
        let quota = Quota::with_period(every)
            .expect("a positive period")
            .allow_burst(NonZeroU32::new(allowance.burst.max(1)).expect("at least one"));
        let store = Arc::new(DashMapStateStore::default());
        Counter {
            limiter: RateLimiter::new(quota, Shared(store.clone()), clock),
            store,
            cell: every.into(),
        }
    }

    fn take(&self, key: &K) -> Result<(), Throttled> {
        if self.limiter.len() > SWEEP_ABOVE {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(key).map_err(|not_until| Throttled {
            wait: not_until.wait_time_from(self.limiter.clock().now()),
        })
    }

    fn give_back(&self, key: &K) {
        let cell = self.cell;
        let _ = self.store.measure_and_replace(key, |tat| {
            Ok::<_, ()>(((), tat.unwrap_or_default().saturating_sub(cell)))
        });
    }
}

/// The sign-in throttle of one instance.
pub struct Throttle {
    accounts: Counter<String>,
    addresses: Counter<IpAddr>,
    clock: ThrottleClock,
}

/// One attempt under way: its cells stay taken (a failure) unless it is
/// [`refunded`](Attempt::refund).
#[must_use = "dropping an attempt counts it as a failure"]
pub struct Attempt<'a> {
    throttle: &'a Throttle,
    account: Option<String>,
    address: IpAddr,
}

impl Attempt<'_> {
    /// The attempt succeeded, or was never judged: it does not count.
    pub fn refund(self) {
        if let Some(a) = &self.account {
            self.throttle.accounts.give_back(a);
        }
        self.throttle.addresses.give_back(&self.address);
    }
}

impl Throttle {
    pub fn new(limits: Limits) -> Self {
        let clock = ThrottleClock::default();
        Throttle {
            accounts: Counter::new(limits.account, clock.clone()),
            addresses: Counter::new(limits.address, clock.clone()),
            clock,
        }
    }

    /// Takes a cell for the address and, for a password, the account; refused
    /// when either has none left.
    pub fn attempt(
        &self,
        account: Option<&str>,
        address: IpAddr,
    ) -> Result<Attempt<'_>, Throttled> {
        let address = address_key(address);
        self.addresses.take(&address)?;
        let account = account.map(account_key);
        if let Some(a) = &account {
            if let Err(t) = self.accounts.take(a) {
                self.addresses.give_back(&address);
                return Err(t);
            }
        }
        Ok(Attempt {
            throttle: self,
            account,
            address,
        })
    }

    /// Moves this throttle's time forward: tests pass a window without sleeping.
    pub fn skip(&self, by: Duration) {
        let ns = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        self.clock.skipped_ns.fetch_add(ns, Ordering::Relaxed);
    }
}

/// E-mails compare without case or surrounding blanks, and are cut short:
/// a key is never larger than an address can be.
fn account_key(email: &str) -> String {
    email
        .trim()
        .chars()
        .take(320)
        .collect::<String>()
        .to_lowercase()
}

/// One key per IPv4 address and per IPv6 /64 (what one subscriber gets).
fn address_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(burst: u32, secs: u64) -> Limits {
        let a = Allowance {
            burst,
            every: Duration::from_secs(secs),
        };
        Limits {
            account: a,
            address: Allowance {
                burst: 100,
                every: Duration::from_secs(1),
            },
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn failures_are_counted_successes_given_back() {
        let t = Throttle::new(limits(3, 60));
        let from = ip("192.0.2.1");
        for _ in 0..10 {
            t.attempt(Some("a@x.it"), from).unwrap().refund();
        }
        for _ in 0..3 {
            drop(t.attempt(Some("A@x.it "), from).unwrap());
        }
        let refused = t.attempt(Some("a@x.it"), from).err().unwrap();
        assert!(
            refused.seconds() >= 1 && refused.seconds() <= 60,
            "{refused:?}"
        );
        // Another account is not touched.
        t.attempt(Some("b@x.it"), from).unwrap().refund();
        // A cell comes back after the wait, one at a time.
        t.skip(refused.wait);
        drop(t.attempt(Some("a@x.it"), from).unwrap());
        assert!(t.attempt(Some("a@x.it"), from).is_err());
    }

    #[test]
    fn a_refused_attempt_takes_nothing_from_the_other_key() {
        let t = Throttle::new(Limits {
            account: Allowance {
                burst: 1,
                every: Duration::from_secs(60),
            },
            address: Allowance {
                burst: 2,
                every: Duration::from_secs(60),
            },
        });
        let from = ip("192.0.2.1");
        drop(t.attempt(Some("a@x.it"), from).unwrap());
        // The account refuses: the address keeps its last cell.
        assert!(t.attempt(Some("a@x.it"), from).is_err());
        drop(t.attempt(Some("b@x.it"), from).unwrap());
        assert!(t.attempt(Some("c@x.it"), from).is_err());
    }

    #[test]
    fn an_ipv6_subscriber_is_one_address() {
        assert_eq!(
            address_key(ip("2001:db8:1:2:aaaa::1")),
            address_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            address_key(ip("2001:db8:1:2::1")),
            address_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(address_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
