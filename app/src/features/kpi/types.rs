use serde::{Deserialize, Serialize};

use crate::domain::kpi::KpiCounts;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitKpi {
    pub id: i64,
    pub name: String,
    pub counts: KpiCounts,
}

/// The caller's unit over the last `days` days, and each unit one level down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiReport {
    pub unit: UnitKpi,
    pub days: i64,
    pub children: Vec<UnitKpi>,
}
