//! Small pieces every scoreboard shows: the link to a score's ledger, stars as text.

use crate::domain::scoring::Subject;

pub fn ledger_href(subject: Subject, id: i64, period: &str) -> String {
    format!(
        "/scores/ledger?subject={}&id={id}&period={period}",
        subject.as_str()
    )
}

pub fn star_text(n: u8) -> String {
    "★".repeat(n as usize) + &"☆".repeat(5usize.saturating_sub(n as usize))
}
