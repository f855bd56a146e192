//! What a database starts with — the catalogue, calendar, scoring rules and reply templates
//! (`catalogue`, always) — and the demo county, only on request (`demo` people, `history` of
//! events, `activities` and awards, branch `meetings`, small `wishes`, member `development`, member–household `links`, resident `services`, `volunteers`).

pub mod activities;
pub mod affairs;
pub mod catalogue;
pub mod demo;
pub mod development;
pub mod disclosures;
pub mod history;
pub mod jobs;
pub mod links;
pub mod meetings;
pub mod services;
pub mod texts;
pub mod volunteers;
pub mod wishes;

/// The materialised path of an imported county, by its code.
pub async fn county_path(pool: &sqlx::AnyPool, county: &str) -> anyhow::Result<String> {
    use anyhow::Context;
    sqlx::query_scalar("SELECT path FROM org_units WHERE code = $1 AND level = 'county'")
        .bind(county)
        .fetch_optional(pool)
        .await?
        .with_context(|| format!("county {county} is not imported"))
}
