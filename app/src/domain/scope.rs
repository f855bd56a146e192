//! Where a caller may act: the subtree of the org unit their account belongs to.
//! Anything outside it must look exactly like something that does not exist.

use serde::{Deserialize, Serialize};

use super::org::path_within;
use super::roles::{Capability, Role};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub user_id: i64,
    pub role: Role,
    /// Materialised path of the caller's org unit, e.g. `/1/7/`.
    pub unit_path: String,
    /// The resident record of a resident or party member account, if linked.
    pub resident_id: Option<i64>,
    /// The department (条线站所) of a department staff account.
    pub department_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// Outside the caller's subtree (or not there at all): answer "not found".
    NotFound,
    /// Inside the subtree but the role may not do this.
    Forbidden,
}

impl Caller {
    /// May the caller use `cap` on the org unit at `target_path`?
    pub fn check(&self, cap: Capability, target_path: &str) -> Result<(), Denial> {
        if !self.role.can(Capability::ViewOrg) && cap != Capability::ViewOwnRecords {
            // A resident must not even learn that the unit exists.
            return Err(Denial::NotFound);
        }
        if !path_within(target_path, &self.unit_path) {
            return Err(Denial::NotFound);
        }
        if self.role.can(cap) {
            Ok(())
        } else {
            Err(Denial::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, path: &str) -> Caller {
        Caller {
            user_id: 1,
            role,
            unit_path: path.into(),
            resident_id: None,
            department_id: None,
        }
    }

    #[test]
    fn subtree_only() {
        let c = caller(Role::TownshipDispatcher, "/1/7/");
        assert_eq!(c.check(Capability::ViewOrg, "/1/7/42/"), Ok(()));
        assert_eq!(c.check(Capability::ViewOrg, "/1/8/"), Err(Denial::NotFound));
        assert_eq!(c.check(Capability::ViewOrg, "/1/"), Err(Denial::NotFound));
        assert_eq!(c.check(Capability::EditOrg, "/1/7/42/"), Ok(()));
    }

    #[test]
    fn grid_worker_cannot_edit_and_resident_sees_nothing() {
        let g = caller(Role::GridWorker, "/1/7/42/99/");
        assert_eq!(
            g.check(Capability::EditOrg, "/1/7/42/99/"),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            g.check(Capability::EditOrg, "/1/7/42/98/"),
            Err(Denial::NotFound)
        );
        let r = caller(Role::Resident, "/1/7/42/99/");
        assert_eq!(
            r.check(Capability::ViewOrg, "/1/7/42/99/"),
            Err(Denial::NotFound)
        );
    }
}
