//! Party life: branch meetings (三会一课, 主题党日) planned by the secretary, members' check-in
//! with the code shown in the room, absences with a reason, and the compliance matrix the
//! township and county follow. Attendance earns branch-life points through the ledger.
//! Residents' small wishes (党群微心愿), claimed and fulfilled by members of the area; member
//! development (发展党员) through its 25 steps; the branch's housekeeping (支部事务: 换届, 党费,
//! 组织关系转接, 请假, 加分申报).

pub mod affairs_api;
pub mod affairs_page;
#[cfg(feature = "ssr")]
pub mod affairs_repo;
pub mod api;
#[cfg(feature = "ssr")]
pub mod checkin_qr;
pub mod compliance_page;
pub mod dev_api;
pub mod dev_page;
#[cfg(feature = "ssr")]
pub mod dev_repo;
pub mod links_api;
pub mod links_page;
#[cfg(feature = "ssr")]
pub mod links_repo;
pub mod meeting_page;
pub mod page;
pub mod posts_api;
pub mod posts_page;
#[cfg(feature = "ssr")]
pub mod posts_repo;
pub mod rectify_api;
pub mod rectify_page;
#[cfg(feature = "ssr")]
pub mod rectify_repo;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod requirements_view;
pub mod types;
pub mod wish_api;
pub mod wish_page;
#[cfg(feature = "ssr")]
pub mod wish_repo;
