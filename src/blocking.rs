//! CPU work off the async threads (building a day, a search, a fit, a large
//! matrix, a password hash). A panic there is resumed in the caller, as if
//! the work had run in place; work that a runtime shutting down cancels
//! before it ran is an error, never a panic of its own.

/// The runtime is shutting down: the work was dropped before it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the server is shutting down")]
pub struct ShuttingDown;

pub async fn run<T, F>(work: F) -> Result<T, ShuttingDown>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(done) => Ok(done),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Err(ShuttingDown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_work_is_done_and_a_panic_comes_back_as_one() {
        assert_eq!(run(|| 6 * 7).await, Ok(42));
        let caught = tokio::spawn(run(|| -> u8 { panic!("inside") })).await;
        assert!(caught.is_err_and(|e| e.is_panic()));
    }
}
