//! Plan revisions per date. A solve adds a draft; publishing makes one revision
//! the drivers' plan. Every change checks the version it was made on, so of two
//! concurrent publishes or edits one wins and the other gets a conflict.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::{json, now, parse_date, parse_instant, to_json, Actor, Store, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{
    Clock, Figures, Id, Invalid, NewPlan, NewRoute, Plan, PlanStatus, PlanStop, Route, RouteEdit,
    StopKey, StopRole,
};

const PLAN_COLUMNS: &str =
    "id, date, revision, status, version, created_at, published_at, figures, unassigned";

fn decode_plan(r: &AnyRow) -> Result<Plan, StoreError> {
    let date: String = r.try_get("date")?;
    let status: String = r.try_get("status")?;
    let created: String = r.try_get("created_at")?;
    let published: Option<String> = r.try_get("published_at")?;
    let figures: String = r.try_get("figures")?;
    let unassigned: String = r.try_get("unassigned")?;
    Ok(Plan {
        id: r.try_get("id")?,
        date: parse_date(&date)?,
        revision: r.try_get("revision")?,
        status: PlanStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("plan status {status:?}")))?,
        version: r.try_get("version")?,
        created_at: parse_instant(&created)?,
        published_at: published.as_deref().map(parse_instant).transpose()?,
        figures: json(&figures)?,
        routes: Vec::new(),
        unassigned: json(&unassigned)?,
    })
}

/// Serialises writers on one date, across instances: in PostgreSQL this takes
/// the date row's lock (created on first use), in SQLite the transaction
/// already holds the write lock. Checks that follow see committed state.
pub(crate) async fn lock_date(tx: &mut Tx, date: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO plan_dates (date) VALUES ($1) ON CONFLICT (date) DO NOTHING")
        .bind(date)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE plan_dates SET date = date WHERE date = $1")
        .bind(date)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn load_routes(conn: &mut sqlx::AnyConnection, plan: &mut Plan) -> Result<(), StoreError> {
    let rows = sqlx::query(
        "SELECT id, shift_id, vehicle_id, volunteer_id, layout, start_min, end_min, distance_km, \
         locked FROM routes WHERE plan_id = $1 ORDER BY seq",
    )
    .bind(plan.id)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        let locked: i64 = r.try_get("locked")?;
        plan.routes.push(Route {
            id: r.try_get("id")?,
            shift_id: r.try_get("shift_id")?,
            vehicle_id: r.try_get("vehicle_id")?,
            volunteer_id: r.try_get("volunteer_id")?,
            layout: r.try_get("layout")?,
            start_min: r.try_get("start_min")?,
            end_min: r.try_get("end_min")?,
            distance_km: r.try_get("distance_km")?,
            locked: locked != 0,
            stops: Vec::new(),
        });
    }
    let stops = sqlx::query(
        "SELECT s.id, s.route_id, s.seq, s.request_id, s.role, s.place_id, s.arrival_min, \
         s.start_min, s.departure_min FROM stops s JOIN routes r ON r.id = s.route_id \
         WHERE r.plan_id = $1 ORDER BY s.route_id, s.seq",
    )
    .bind(plan.id)
    .fetch_all(&mut *conn)
    .await?;
    for s in &stops {
        let route_id: Id = s.try_get("route_id")?;
        let role: String = s.try_get("role")?;
        let start: f64 = s.try_get("start_min")?;
        let request_id: Id = s.try_get("request_id")?;
        let role = StopRole::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("stop role {role:?}")))?;
        let stop = PlanStop {
            id: s.try_get("id")?,
            key: StopKey::new(request_id, role),
            seq: s.try_get("seq")?,
            request_id,
            role,
            place_id: s.try_get("place_id")?,
            arrival_min: s.try_get("arrival_min")?,
            start_min: start,
            departure_min: s.try_get("departure_min")?,
            time: Clock::from_minutes_f64(start),
        };
        if let Some(route) = plan.routes.iter_mut().find(|r| r.id == route_id) {
            route.stops.push(stop);
        }
    }
    Ok(())
}

async fn insert_plan(
    tx: &mut Tx,
    date: &str,
    plan: &NewPlan,
    actor: Actor,
) -> Result<Id, StoreError> {
    let revision: i64 =
        sqlx::query("SELECT COALESCE(MAX(revision), 0) + 1 AS next FROM plans WHERE date = $1")
            .bind(date)
            .fetch_one(&mut **tx)
            .await?
            .try_get("next")?;
    let plan_id: Id = sqlx::query(
        "INSERT INTO plans (date, revision, status, version, created_at, created_by, figures, \
         unassigned) VALUES ($1, $2, 'draft', 1, $3, $4, $5, $6) RETURNING id",
    )
    .bind(date)
    .bind(revision)
    .bind(now())
    .bind(actor.0)
    .bind(to_json(&plan.figures))
    .bind(to_json(&plan.unassigned))
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    let mut route_ids = Vec::with_capacity(plan.routes.len());
    for (seq, route) in plan.routes.iter().enumerate() {
        let route_id: Id = sqlx::query(
            "INSERT INTO routes (plan_id, seq, shift_id, vehicle_id, volunteer_id, layout, \
             start_min, end_min, distance_km, locked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
             $9, $10) RETURNING id",
        )
        .bind(plan_id)
        .bind(seq as i64)
        .bind(route.shift_id)
        .bind(route.vehicle_id)
        .bind(route.volunteer_id)
        .bind(&route.layout)
        .bind(route.start_min)
        .bind(route.end_min)
        .bind(route.distance_km)
        .bind(i64::from(route.locked))
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
        insert_stops(tx, route_id, route).await?;
        route_ids.push(route_id);
    }
    write_verdict(tx, plan_id, plan, &route_ids).await?;
    record(
        tx,
        actor,
        AuditAction::Create,
        AuditEntity::Plan,
        Some(plan_id),
        Some(format!("{date} r{revision}")),
    )
    .await?;
    Ok(plan_id)
}

async fn insert_stops(tx: &mut Tx, route_id: Id, route: &NewRoute) -> Result<(), StoreError> {
    for (i, s) in route.stops.iter().enumerate() {
        sqlx::query(
            "INSERT INTO stops (route_id, seq, request_id, role, place_id, arrival_min, \
             start_min, departure_min) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(route_id)
        .bind(i as i64)
        .bind(s.request_id)
        .bind(s.role.as_str())
        .bind(s.place_id)
        .bind(s.arrival_min)
        .bind(s.start_min)
        .bind(s.departure_min)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The figures with the checker's verdict, its routes named by their ids now
/// that they have them.
async fn write_verdict(
    tx: &mut Tx,
    plan_id: Id,
    plan: &NewPlan,
    route_ids: &[Id],
) -> Result<(), StoreError> {
    let figures = Figures {
        violations: plan
            .violations
            .iter()
            .map(|v| v.stored(route_ids))
            .collect(),
        ..plan.figures.clone()
    };
    sqlx::query("UPDATE plans SET figures = $1, unassigned = $2 WHERE id = $3")
        .bind(to_json(&figures))
        .bind(to_json(&plan.unassigned))
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    pub async fn save_plan(
        &self,
        actor: Actor,
        date: NaiveDate,
        plan: &NewPlan,
    ) -> Result<Plan, StoreError> {
        let d = date.to_string();
        let mut tx = self.begin().await?;
        lock_date(&mut tx, &d).await?;
        let id = insert_plan(&mut tx, &d, plan, actor).await?;
        tx.commit().await?;
        self.plan_by_id(id).await
    }

    pub async fn plan_by_id(&self, id: Id) -> Result<Plan, StoreError> {
        let row = sqlx::query(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("plan"))?;
        let mut plan = decode_plan(&row)?;
        let mut conn = self.pool.acquire().await?;
        load_routes(&mut conn, &mut plan).await?;
        Ok(plan)
    }

    /// The newest revision of a date, or a given one.
    pub async fn plan(&self, date: NaiveDate, revision: Option<i64>) -> Result<Plan, StoreError> {
        let row = match revision {
            None => {
                sqlx::query(&format!(
                "SELECT {PLAN_COLUMNS} FROM plans WHERE date = $1 ORDER BY revision DESC LIMIT 1"
            ))
                .bind(date.to_string())
                .fetch_optional(&self.pool)
                .await?
            }
            Some(n) => {
                sqlx::query(&format!(
                    "SELECT {PLAN_COLUMNS} FROM plans WHERE date = $1 AND revision = $2"
                ))
                .bind(date.to_string())
                .bind(n)
                .fetch_optional(&self.pool)
                .await?
            }
        };
        let row = row.ok_or(StoreError::NotFound("plan"))?;
        self.plan_by_id(row.try_get("id")?).await
    }

    /// The revision drivers follow, if any.
    pub async fn published_plan(&self, date: NaiveDate) -> Result<Option<Plan>, StoreError> {
        let row = sqlx::query("SELECT id FROM plans WHERE date = $1 AND status = 'published'")
            .bind(date.to_string())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some(self.plan_by_id(r.try_get("id")?).await?)),
        }
    }

    pub async fn publish(
        &self,
        actor: Actor,
        date: NaiveDate,
        revision: i64,
        version: i64,
    ) -> Result<Plan, StoreError> {
        let d = date.to_string();
        let mut tx = self.begin().await?;
        lock_date(&mut tx, &d).await?;
        let row =
            sqlx::query("SELECT id, status, version FROM plans WHERE date = $1 AND revision = $2")
                .bind(&d)
                .bind(revision)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("plan"))?;
        let id: Id = row.try_get("id")?;
        let status: String = row.try_get("status")?;
        let current: i64 = row.try_get("version")?;
        if current != version {
            return Err(StoreError::Conflict(format!(
                "plan {d} revision {revision} is at version {current}, not {version}: reload it"
            )));
        }
        if status != "draft" {
            return Err(StoreError::Conflict(format!(
                "plan {d} revision {revision} is {status}, only a draft can be published"
            )));
        }
        let newer = sqlx::query(
            "SELECT revision FROM plans WHERE date = $1 AND status = 'published' AND revision > $2",
        )
        .bind(&d)
        .bind(revision)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(r) = newer {
            let published: i64 = r.try_get("revision")?;
            return Err(StoreError::Conflict(format!(
                "revision {published} of {d} is published and newer than {revision}"
            )));
        }
        sqlx::query(
            "UPDATE plans SET status = 'superseded' WHERE date = $1 AND status = 'published'",
        )
        .bind(&d)
        .execute(&mut *tx)
        .await?;
        let n = sqlx::query(
            "UPDATE plans SET status = 'published', version = version + 1, published_at = $1, \
             published_by = $2 WHERE id = $3 AND version = $4",
        )
        .bind(now())
        .bind(actor.0)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(StoreError::Conflict(
                "the plan changed meanwhile: reload it".into(),
            ));
        }
        record(
            &mut tx,
            actor,
            AuditAction::Publish,
            AuditEntity::Plan,
            Some(id),
            Some(format!("{d} r{revision}")),
        )
        .await?;
        tx.commit().await?;
        self.plan_by_id(id).await
    }

    /// Changes the driver of a route in the newest revision. A published
    /// revision is never changed in place: the edit goes into a new draft, so
    /// drivers keep what was published until the next publish.
    pub async fn edit_route(
        &self,
        actor: Actor,
        date: NaiveDate,
        route_id: Id,
        edit: &RouteEdit,
    ) -> Result<Plan, StoreError> {
        let d = date.to_string();
        let mut tx = self.begin().await?;
        lock_date(&mut tx, &d).await?;
        let latest = sqlx::query(&format!(
            "SELECT {PLAN_COLUMNS} FROM plans WHERE date = $1 ORDER BY revision DESC LIMIT 1"
        ))
        .bind(&d)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("plan"))?;
        let mut plan = decode_plan(&latest)?;
        let owner: Id = sqlx::query("SELECT plan_id FROM routes WHERE id = $1")
            .bind(route_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("route"))?
            .try_get("plan_id")?;
        if owner != plan.id {
            return Err(StoreError::Conflict(format!(
                "route {route_id} is not in the newest revision ({}) of {d}: reload the plan",
                plan.revision
            )));
        }
        load_routes(&mut tx, &mut plan).await?;
        let route_pos = plan
            .routes
            .iter()
            .position(|r| r.id == route_id)
            .ok_or(StoreError::NotFound("route"))?;
        if plan.version != edit.version {
            return Err(StoreError::Conflict(format!(
                "plan {d} revision {} is at version {}, not {}: reload it",
                plan.revision, plan.version, edit.version
            )));
        }
        let vehicle = plan.routes[route_pos].vehicle_id;
        if let Some(v) = edit.volunteer_id {
            let allowed = sqlx::query(
                "SELECT 1 FROM volunteer_vehicles WHERE volunteer_id = $1 AND vehicle_id = $2",
            )
            .bind(v)
            .bind(vehicle)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
            if !allowed {
                return Err(Invalid::one(
                    "volunteer_id",
                    "no such volunteer allowed to drive this vehicle",
                )
                .into());
            }
            let route = &plan.routes[route_pos];
            let busy = plan.routes.iter().find(|r| {
                r.id != route.id
                    && r.volunteer_id == Some(v)
                    && r.start_min < route.end_min
                    && route.start_min < r.end_min
            });
            if let Some(other) = busy {
                return Err(Invalid::one(
                    "volunteer_id",
                    format!("already drives route {} at that time", other.id),
                )
                .into());
            }
        }
        // Claim the version first: of two edits made on it, only one gets a row.
        let n =
            sqlx::query("UPDATE plans SET version = version + 1 WHERE id = $1 AND version = $2")
                .bind(plan.id)
                .bind(edit.version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n != 1 {
            return Err(StoreError::Conflict(
                "the plan changed meanwhile: reload it".into(),
            ));
        }
        let (target_plan, target_route) = if plan.status == PlanStatus::Draft {
            (plan.id, route_id)
        } else {
            let copy = plan.as_new();
            let new_id = insert_plan(&mut tx, &d, &copy, actor).await?;
            let new_route: Id =
                sqlx::query("SELECT id FROM routes WHERE plan_id = $1 AND seq = $2")
                    .bind(new_id)
                    .bind(route_pos as i64)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("id")?;
            (new_id, new_route)
        };
        sqlx::query("UPDATE routes SET volunteer_id = $1 WHERE id = $2")
            .bind(edit.volunteer_id)
            .bind(target_route)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Edit,
            AuditEntity::Route,
            Some(target_route),
            Some(format!("volunteer {:?}", edit.volunteer_id)),
        )
        .await?;
        tx.commit().await?;
        self.plan_by_id(target_plan).await
    }

    /// Stores an edit made on `base`, the newest revision of `date` as read.
    /// A draft changes in place (its routes keep their ids); a published
    /// revision is copied into a new draft first. `plan` has `base`'s routes in
    /// the same order. A conflict, with nothing written, when the newest
    /// revision or its version has moved on.
    pub async fn save_edit(
        &self,
        actor: Actor,
        date: NaiveDate,
        base: &Plan,
        plan: &NewPlan,
        detail: String,
    ) -> Result<Plan, StoreError> {
        let d = date.to_string();
        let mut tx = self.begin().await?;
        lock_date(&mut tx, &d).await?;
        let newest = sqlx::query(
            "SELECT id, revision, version FROM plans WHERE date = $1 ORDER BY revision DESC LIMIT 1",
        )
        .bind(&d)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("plan"))?;
        let (id, revision, version): (Id, i64, i64) = (
            newest.try_get("id")?,
            newest.try_get("revision")?,
            newest.try_get("version")?,
        );
        if id != base.id || version != base.version || plan.routes.len() != base.routes.len() {
            return Err(StoreError::Conflict(format!(
                "plan {d} is at revision {revision} version {version}, not revision {} version {}: \
                 reload it",
                base.revision, base.version
            )));
        }
        // Claim the version first: of two edits made on it, only one gets a row.
        let n =
            sqlx::query("UPDATE plans SET version = version + 1 WHERE id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n != 1 {
            return Err(StoreError::Conflict(
                "the plan changed meanwhile: reload it".into(),
            ));
        }
        let target = if base.status == PlanStatus::Draft {
            let mut route_ids = Vec::with_capacity(base.routes.len());
            for (old, new) in base.routes.iter().zip(&plan.routes) {
                sqlx::query(
                    "UPDATE routes SET volunteer_id = $1, layout = $2, start_min = $3, \
                     end_min = $4, distance_km = $5, locked = $6 WHERE id = $7",
                )
                .bind(new.volunteer_id)
                .bind(&new.layout)
                .bind(new.start_min)
                .bind(new.end_min)
                .bind(new.distance_km)
                .bind(i64::from(new.locked))
                .bind(old.id)
                .execute(&mut *tx)
                .await?;
                if NewRoute::from(old).stops != new.stops {
                    sqlx::query("DELETE FROM stops WHERE route_id = $1")
                        .bind(old.id)
                        .execute(&mut *tx)
                        .await?;
                    insert_stops(&mut tx, old.id, new).await?;
                }
                route_ids.push(old.id);
            }
            write_verdict(&mut tx, id, plan, &route_ids).await?;
            id
        } else {
            insert_plan(&mut tx, &d, plan, actor).await?
        };
        record(
            &mut tx,
            actor,
            AuditAction::Edit,
            AuditEntity::Plan,
            Some(target),
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        self.plan_by_id(target).await
    }
}
