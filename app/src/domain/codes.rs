//! GB/T 2260 administrative division codes as used by the national data:
//! county 6 digits, township 9, village 12.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DivisionLevel {
    County,
    Township,
    Village,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("division code must be digits only: {0}")]
    NotDigits(String),
    #[error("division code must have 6, 9 or 12 digits: {0}")]
    BadLength(String),
    #[error("division code {child} does not lie under {parent}")]
    NotUnder { child: String, parent: String },
}

/// Classifies a code by its length, rejecting anything that is not a GB/T 2260 code shape.
pub fn division_level(code: &str) -> Result<DivisionLevel, CodeError> {
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeError::NotDigits(code.to_string()));
    }
    match code.len() {
        6 => Ok(DivisionLevel::County),
        9 => Ok(DivisionLevel::Township),
        12 => Ok(DivisionLevel::Village),
        _ => Err(CodeError::BadLength(code.to_string())),
    }
}

/// A township code must extend its county's code, a village code its township's.
pub fn check_parent(child: &str, parent: &str) -> Result<(), CodeError> {
    let child_level = division_level(child)?;
    let parent_level = division_level(parent)?;
    let nested = matches!(
        (parent_level, child_level),
        (DivisionLevel::County, DivisionLevel::Township)
            | (DivisionLevel::Township, DivisionLevel::Village)
    );
    if nested && child.starts_with(parent) {
        Ok(())
    } else {
        Err(CodeError::NotUnder {
            child: child.to_string(),
            parent: parent.to_string(),
        })
    }
}

/// Grids have no national code; ours extend the village code with a two-digit serial.
pub fn grid_code(village_code: &str, serial: u32) -> String {
    format!("{village_code}{serial:02}")
}

/// Buildings and hamlets extend the grid code with a two-digit serial.
pub fn building_code(grid_code: &str, serial: u32) -> String {
    format!("{grid_code}{serial:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_by_length() {
        assert_eq!(division_level("330825"), Ok(DivisionLevel::County));
        assert_eq!(division_level("330825001"), Ok(DivisionLevel::Township));
        assert_eq!(division_level("330825001001"), Ok(DivisionLevel::Village));
        assert!(matches!(
            division_level("33082"),
            Err(CodeError::BadLength(_))
        ));
        assert!(matches!(
            division_level("33o825"),
            Err(CodeError::NotDigits(_))
        ));
        assert!(matches!(division_level(""), Err(CodeError::NotDigits(_))));
    }

    #[test]
    fn parent_must_prefix_child() {
        assert!(check_parent("330825001", "330825").is_ok());
        assert!(check_parent("330825001001", "330825001").is_ok());
        assert!(check_parent("330826001", "330825").is_err());
        assert!(check_parent("330825001001", "330825").is_err());
    }

    #[test]
    fn grid_and_building_codes_extend_parents() {
        let g = grid_code("330825001001", 3);
        assert_eq!(g, "33082500100103");
        assert_eq!(building_code(&g, 12), "3308250010010312");
    }
}
