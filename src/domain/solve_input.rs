//! What a dispatcher may set when starting a solve.

use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolveInput {
    /// Seconds the search may take; the server's default when left out.
    #[serde(default)]
    pub time_limit_s: Option<f64>,
    #[serde(default)]
    pub seed: Option<u64>,
}
