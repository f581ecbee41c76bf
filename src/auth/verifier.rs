//! Password checks off the async threads, a bounded number at a time. One
//! argon2 check takes 19 MiB and tens of milliseconds of a core, so a flood of
//! sign-ins would otherwise take every core from the rest of the server; with
//! half the cores for checks and a short queue, a flood is turned away at once
//! and the other half keeps answering.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::password;

/// Too many checks already running and waiting: try again shortly.
#[derive(Debug, PartialEq, Eq)]
pub struct Busy;

pub struct Verifier {
    running: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
}

/// Counts a caller waiting for a slot until it has one or gives up.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Verifier {
    /// `running` checks at once, and at most `queue` more waiting for a slot.
    pub fn new(running: usize, queue: usize) -> Self {
        Verifier {
            running: Arc::new(Semaphore::new(running.max(1))),
            waiting: AtomicUsize::new(0),
            queue,
        }
    }

    /// Half the cores (at least one), and a queue of eight per slot: a caller
    /// waits well under a second or is told at once to come back.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let running = (cores / 2).max(1);
        Self::new(running, 8 * running)
    }

    /// A slot for one check; hold it while the check runs.
    pub async fn slot(&self) -> Result<OwnedSemaphorePermit, Busy> {
        if let Ok(p) = self.running.clone().try_acquire_owned() {
            return Ok(p);
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(Busy);
        }
        let _waiting = Waiting(&self.waiting);
        self.running.clone().acquire_owned().await.map_err(|_| Busy)
    }

    /// Checks `password` against `stored` on a blocking thread. The slot goes
    /// with the work, so a caller who hangs up does not free it early.
    pub async fn verify(&self, password: String, stored: String) -> Result<bool, Busy> {
        let slot = self.slot().await?;
        tokio::task::spawn_blocking(move || {
            let ok = password::verify(&password, &stored);
            drop(slot);
            ok
        })
        .await
        .map_err(|_| Busy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_is_refused_at_once() {
        let v = Arc::new(Verifier::new(1, 1));
        let held = v.slot().await.unwrap();
        // One caller may wait…
        let waiter = {
            let v = v.clone();
            tokio::spawn(async move { v.slot().await.map(drop) })
        };
        while v.waiting.load(Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        // …the next is turned away without waiting.
        assert_eq!(v.slot().await.err(), Some(Busy));
        drop(held);
        assert_eq!(waiter.await.unwrap(), Ok(()));
        assert_eq!(v.waiting.load(Ordering::Acquire), 0);
        // Free again: a check runs.
        let h = password::hash("pw");
        assert_eq!(v.verify("pw".into(), h.clone()).await, Ok(true));
        assert_eq!(v.verify("nope".into(), h).await, Ok(false));
    }
}
