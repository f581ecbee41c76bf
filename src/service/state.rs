//! What every use case may reach: storage, travel times, solve settings.

use std::sync::Arc;

use super::SolveSettings;
use crate::store::Store;
use crate::travel::TravelTimes;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub travel: Arc<dyn TravelTimes>,
    pub solve: SolveSettings,
    /// Mark the session cookie `Secure` (set `GIRO_SECURE_COOKIES=1` behind HTTPS).
    pub secure_cookies: bool,
    /// Solves this instance may run at once: each takes a core.
    pub solving: Arc<tokio::sync::Semaphore>,
    /// Sign-in throttling and the bound on password checks (`auth::SignIns`).
    pub sign_ins: Arc<crate::auth::SignIns>,
    /// Where night-before lists go (`service::night_before`).
    pub night_before: Arc<dyn super::night_before::NightBeforeSender>,
    /// This instance's Prometheus series (`ops::metrics`).
    pub metrics: Arc<crate::ops::Metrics>,
}
