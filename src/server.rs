//! Starting the service: configuration from the environment, the listener,
//! and a clean stop on Ctrl-C.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::api::{self, AppState, SolveSettings};
use crate::auth::{throttle::Limits, SignIns};
use crate::ops::logging::LogFormat;
use crate::store::{Store, StoreError};
use crate::travel::{self, TravelConfig, TravelError};

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("travel times: {0}")]
    Travel(#[from] TravelError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("configuration: {0}")]
    Config(String),
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://giro.db";

/// Opens the database and builds the shared state.
pub async fn state(database_url: &str, travel: &TravelConfig) -> Result<AppState, ServerError> {
    let store = Store::connect(database_url).await?;
    Ok(AppState {
        store,
        travel: travel::from_config(travel),
        solve: SolveSettings::default(),
        secure_cookies: std::env::var("GIRO_SECURE_COOKIES").is_ok_and(|v| v == "1" || v == "true"),
        solving: std::sync::Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        )),
        sign_ins: Arc::new(SignIns::new(
            Limits::default(),
            trusted_proxies(std::env::var("GIRO_TRUSTED_PROXY").ok().as_deref())?,
        )),
        night_before: night_before_sender()?,
        metrics: Arc::new(crate::ops::Metrics::new()),
    })
}

/// The night-before sender: by e-mail when `GIRO_SMTP_URL` is set (a build
/// with the `smtp` feature), else the log.
fn night_before_sender(
) -> Result<Arc<dyn crate::service::night_before::NightBeforeSender>, ServerError> {
    let url = std::env::var("GIRO_SMTP_URL")
        .ok()
        .filter(|u| !u.is_empty());
    match url {
        None => Ok(Arc::new(crate::service::night_before::LogSender)),
        #[cfg(feature = "smtp")]
        Some(url) => {
            let from = std::env::var("GIRO_SMTP_FROM").map_err(|_| {
                ServerError::Config("GIRO_SMTP_FROM is required with GIRO_SMTP_URL".into())
            })?;
            Ok(Arc::new(
                crate::service::smtp::SmtpSender::new(&url, &from).map_err(ServerError::Config)?,
            ))
        }
        #[cfg(not(feature = "smtp"))]
        Some(_) => Err(ServerError::Config(
            "GIRO_SMTP_URL is set but this build has no `smtp` feature".into(),
        )),
    }
}

/// `GIRO_TRUSTED_PROXY`: the addresses of the reverse proxies in front,
/// comma-separated. Only requests from them may name the client in
/// `X-Forwarded-For`; without the setting the peer address is the client.
fn trusted_proxies(setting: Option<&str>) -> Result<Vec<IpAddr>, ServerError> {
    setting
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse().map_err(|_| {
                ServerError::Config(format!("GIRO_TRUSTED_PROXY: {s:?} is not an IP address"))
            })
        })
        .collect()
}

/// Binds `addr` (port 0 picks a free one) and serves until Ctrl-C.
pub async fn serve(state: AppState, addr: SocketAddr) -> Result<(), ServerError> {
    let listener = TcpListener::bind(addr).await?;
    // Personal data kept no longer than the period (tests serve without it).
    let days =
        crate::service::personal::retention::period_from_env().map_err(ServerError::Config)?;
    tokio::spawn(crate::service::personal::retention::daily(
        state.store.clone(),
        days,
    ));
    serve_on(state, listener, stop_signal()).await
}

pub async fn serve_on(
    state: AppState,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    // The peer address reaches handlers: sign-ins are throttled per client.
    let app = api::app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Ctrl-C, or SIGTERM from a service manager.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// For the command line: the travel configuration from `GIRO_*` variables.
pub fn travel_config() -> Result<TravelConfig, ServerError> {
    Ok(TravelConfig::from_env()?)
}

/// Logging for the binary: `GIRO_LOG_FORMAT` (`text` or `json`); `RUST_LOG`
/// overrides the default filter.
pub fn init_logging() -> Result<(), ServerError> {
    let setting = std::env::var("GIRO_LOG_FORMAT").ok();
    let format = LogFormat::parse(setting.as_deref()).map_err(ServerError::Config)?;
    crate::ops::logging::init(format);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn trusted_proxies_are_listed_addresses_or_none() {
        assert!(super::trusted_proxies(None).unwrap().is_empty());
        assert_eq!(
            super::trusted_proxies(Some(" 10.0.0.1, ::1 ")).unwrap(),
            vec![
                "10.0.0.1".parse::<std::net::IpAddr>().unwrap(),
                "::1".parse().unwrap()
            ]
        );
        assert!(super::trusted_proxies(Some("proxy.local")).is_err());
    }
}
