use serde::{Deserialize, Serialize};

use crate::domain::roles::Role;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: i64,
    pub unit_name: String,
    /// The password was given out once: it must be changed before anything else.
    pub must_change_password: bool,
}
