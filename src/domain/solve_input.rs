//! What a dispatcher may set when starting a solve.

use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolveInput {
    /// Seconds the search may take; the server's default when left out.
    /// More than 0 and at most the server's limit (600 s by default).
    #[serde(default)]
    #[schema(exclusive_minimum = 0, maximum = 600)]
    pub time_limit_s: Option<f64>,
    #[serde(default)]
    #[schema(maximum = 9223372036854775807_u64)]
    pub seed: Option<u64>,
    /// Search from nothing instead of going on from the date's newest plan
    /// (its routes as they still fit the day; locked routes stay either way).
    #[serde(default)]
    pub fresh: bool,
}
