//! The five levels of the org network and the materialised path that makes subtree checks cheap.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum OrgLevel {
    County,
    Township,
    Village,
    Grid,
    Building,
}

impl OrgLevel {
    pub const ALL: [OrgLevel; 5] = [
        OrgLevel::County,
        OrgLevel::Township,
        OrgLevel::Village,
        OrgLevel::Grid,
        OrgLevel::Building,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgLevel::County => "county",
            OrgLevel::Township => "township",
            OrgLevel::Village => "village",
            OrgLevel::Grid => "grid",
            OrgLevel::Building => "building",
        }
    }

    pub fn parse(s: &str) -> Option<OrgLevel> {
        OrgLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn child(self) -> Option<OrgLevel> {
        match self {
            OrgLevel::County => Some(OrgLevel::Township),
            OrgLevel::Township => Some(OrgLevel::Village),
            OrgLevel::Village => Some(OrgLevel::Grid),
            OrgLevel::Grid => Some(OrgLevel::Building),
            OrgLevel::Building => None,
        }
    }
}

/// `/1/7/42/`: the ids from the root down to and including the node.
pub fn child_path(parent_path: &str, id: i64) -> String {
    format!("{parent_path}{id}/")
}

pub fn root_path(id: i64) -> String {
    format!("/{id}/")
}

/// True when `path` is `ancestor` itself or lies below it.
pub fn path_within(path: &str, ancestor: &str) -> bool {
    !ancestor.is_empty() && path.starts_with(ancestor)
}

/// The path of `path`'s ancestor at `level` (the node itself when it is at that level); None
/// when `path` lies above it. Paths start at the county.
pub fn ancestor_path(path: &str, level: OrgLevel) -> Option<String> {
    let depth = OrgLevel::ALL.iter().position(|l| *l == level)? + 1;
    let ids = path_ids(path);
    (ids.len() >= depth).then(|| {
        ids[..depth]
            .iter()
            .fold(String::from("/"), |p, id| format!("{p}{id}/"))
    })
}

/// The ids on a path, root first.
pub fn path_ids(path: &str) -> Vec<i64> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_and_nest() {
        for l in OrgLevel::ALL {
            assert_eq!(OrgLevel::parse(l.as_str()), Some(l));
        }
        assert_eq!(OrgLevel::County.child(), Some(OrgLevel::Township));
        assert_eq!(OrgLevel::Building.child(), None);
        assert_eq!(OrgLevel::parse("province"), None);
    }

    #[test]
    fn paths() {
        let county = root_path(1);
        let town = child_path(&county, 7);
        let village = child_path(&town, 42);
        assert_eq!(village, "/1/7/42/");
        assert!(path_within(&village, &town));
        assert!(path_within(&town, &town));
        assert!(!path_within(&town, &village));
        // "/1/7/" must not match "/1/70/".
        assert!(!path_within("/1/70/", "/1/7/"));
        assert!(!path_within("/1/", ""));
        assert_eq!(path_ids(&village), vec![1, 7, 42]);
    }

    #[test]
    fn ancestors_by_level() {
        let grid = "/1/7/42/99/";
        assert_eq!(
            ancestor_path(grid, OrgLevel::Village).as_deref(),
            Some("/1/7/42/")
        );
        assert_eq!(
            ancestor_path(grid, OrgLevel::County).as_deref(),
            Some("/1/")
        );
        assert_eq!(ancestor_path(grid, OrgLevel::Grid).as_deref(), Some(grid));
        assert_eq!(ancestor_path("/1/7/", OrgLevel::Village), None);
        assert_eq!(ancestor_path("", OrgLevel::County), None);
    }
}
