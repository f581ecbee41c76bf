//! Who may log in, and what each role may see.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Checks, Id, Invalid};

/// Roles, from the widest view to the narrowest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users and organisations, and can do all a dispatcher does.
    Admin,
    /// Plans and publishes the day; sees every association's people.
    Dispatcher,
    /// Books rides for the people of one association, and sees only those.
    Member,
    /// A volunteer driver: sees only his or her published stops.
    Driver,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Dispatcher, Role::Member, Role::Driver];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Dispatcher => "dispatcher",
            Self::Member => "member",
            Self::Driver => "driver",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Admins and dispatchers see the whole municipality.
    pub fn plans(self) -> bool {
        matches!(self, Self::Admin | Self::Dispatcher)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct User {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The association a member books for.
    pub organisation_id: Option<Id>,
    /// The volunteer record a driver drives as.
    pub volunteer_id: Option<Id>,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// Unique among users (409 otherwise).
    #[schema(
        max_length = 200,
        pattern = "^[^@ \\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]+@[^ \\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]+$"
    )]
    pub email: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub organisation_id: Option<Id>,
    #[serde(default)]
    pub volunteer_id: Option<Id>,
    /// Required when creating; on update, `null` keeps the current password.
    /// At least 10 characters and at most 1024 bytes of UTF-8.
    #[serde(default)]
    #[schema(min_length = 10, max_length = 1024)]
    pub password: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

pub const MIN_PASSWORD: usize = 10;

impl UserInput {
    pub fn validate(&self, creating: bool) -> Result<(), Invalid> {
        let mut c = Checks::default();
        c.text("email", &self.email, 200);
        let at = self.email.find('@');
        c.require(
            at.is_some_and(|i| i > 0 && i + 1 < self.email.len()) && !self.email.contains(' '),
            "email",
            "must be an e-mail address",
        );
        c.text("name", &self.name, 200);
        match (&self.password, creating) {
            (None, true) => c.fail("password", "is required for a new user"),
            (Some(p), _) if p.chars().count() < MIN_PASSWORD => c.fail(
                "password",
                format!("must be at least {MIN_PASSWORD} characters"),
            ),
            (Some(p), _) if p.len() > 1024 => c.fail("password", "is too long"),
            _ => {}
        }
        match self.role {
            Role::Member => c.require(
                self.organisation_id.is_some(),
                "organisation_id",
                "is required for an association member",
            ),
            _ => c.require(
                self.organisation_id.is_none(),
                "organisation_id",
                "is only for association members",
            ),
        }
        match self.role {
            Role::Driver => c.require(
                self.volunteer_id.is_some(),
                "volunteer_id",
                "is required for a driver",
            ),
            _ => c.require(
                self.volunteer_id.is_none(),
                "volunteer_id",
                "is only for drivers",
            ),
        }
        c.done()
    }
}
