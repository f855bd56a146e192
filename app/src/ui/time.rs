//! Times as people read them: local (UTC+8) date and minute.

/// `2026-11-30 14:05` in China's time, whatever the browser's zone.
pub fn when(at: i64) -> String {
    let day = crate::domain::calendar::local_day(at);
    let secs = (at + 8 * 3600).rem_euclid(86_400);
    format!("{day} {:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}
