//! Service hours, kept in tenths of an hour so sums are exact.

/// The hours an activity credits each volunteer who checked in: its planned length, in whole
/// tenths of an hour, never more than `MAX_MINUTES`.
pub fn credited_tenths(starts_at: i64, ends_at: i64) -> i64 {
    let minutes = ((ends_at - starts_at) / 60).clamp(0, super::MAX_MINUTES);
    minutes / 6
}

/// `25` → `"2.5"`.
pub fn hours_text(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

/// A ranking: entries ordered by hours, most first, ties by name then id so the order is
/// stable; each entry's rank is shared by equal hours (1, 2, 2, 4).
pub fn rank<T: Ord>(mut rows: Vec<(T, String, i64)>) -> Vec<(usize, T, String, i64)> {
    rows.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    let mut out = Vec::with_capacity(rows.len());
    let mut last: Option<(i64, usize)> = None;
    for (i, (id, name, tenths)) in rows.into_iter().enumerate() {
        let r = match last {
            Some((h, r)) if h == tenths => r,
            _ => i + 1,
        };
        last = Some((tenths, r));
        out.push((r, id, name, tenths));
    }
    out
}
