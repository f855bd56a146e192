use serde::{Deserialize, Serialize};

use crate::domain::jobs::Picture;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: i64,
    pub title: String,
    pub employer: String,
    /// `domain::jobs::Trade::as_str`.
    pub trade: String,
    pub place: String,
    pub wage_low: i64,
    pub wage_high: i64,
    pub headcount: i64,
    pub detail: String,
    /// Shown on the job's own page only (opening it counts a view).
    pub contact: String,
    pub posted_at: i64,
    pub until_at: i64,
    pub views: i64,
    pub interested: i64,
    /// The caller registered interest.
    pub mine: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobsHome {
    pub jobs: Vec<Job>,
    /// The caller posts jobs and reads the demand picture.
    pub desk: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobsDesk {
    pub area_name: String,
    pub days: i64,
    pub picture: Picture,
    /// The last week against the four before it (`domain::jobs::spike`).
    pub spike: Option<f64>,
    /// Jobs posted in the area, open or not, newest first.
    pub posted: Vec<Job>,
}
