//! A financial disclosure's table: amounts in fen (分) so sums are exact.

use serde::{Deserialize, Serialize};

/// At most this many lines in one table.
pub const MAX_LINES: usize = 60;
/// No single amount above 一亿元 (in fen): a typing slip, not a village's month.
pub const MAX_FEN: i64 = 10_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub item: String,
    pub income_fen: i64,
    pub expense_fen: i64,
}

/// `"1234.5"` / `"1,234.56"` / `"¥12"` → fen; an empty text is 0; None for anything else
/// (negative, more than two decimals, not a number, too large).
pub fn parse_yuan(s: &str) -> Option<i64> {
    let t: String = s
        .trim()
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    if t.is_empty() {
        return Some(0);
    }
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 11
    {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let fen = w.checked_mul(100)?.checked_add(f)?;
    (fen <= MAX_FEN).then_some(fen)
}

/// `123456` → `"1,234.56"`.
pub fn yuan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let f = fen.unsigned_abs();
    let whole = (f / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", f % 100)
}

/// The checked table: its lines and totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub lines: Vec<Line>,
    pub income_fen: i64,
    pub expense_fen: i64,
}

impl Table {
    pub fn balance_fen(&self) -> i64 {
        self.income_fen - self.expense_fen
    }
}

/// A row of the form as typed: (item, income, expense). Blank rows are skipped. The declared
/// totals must equal the sums, so a slip in one line or in the total is caught before anything
/// is published. Errors are (field, reason) for the form.
pub fn check_table(
    rows: &[(String, String, String)],
    declared_income: &str,
    declared_expense: &str,
) -> Result<Table, (&'static str, &'static str)> {
    let mut lines = Vec::new();
    for (item, inc, exp) in rows {
        let item = item.trim();
        if item.is_empty() && inc.trim().is_empty() && exp.trim().is_empty() {
            continue;
        }
        if item.is_empty() {
            return Err(("line_item", "required"));
        }
        if item.chars().count() > 60 {
            return Err(("line_item", "too_long"));
        }
        let income_fen = parse_yuan(inc).ok_or(("line_amount", "bad_amount"))?;
        let expense_fen = parse_yuan(exp).ok_or(("line_amount", "bad_amount"))?;
        if income_fen == 0 && expense_fen == 0 {
            return Err(("line_amount", "required"));
        }
        lines.push(Line {
            item: item.to_string(),
            income_fen,
            expense_fen,
        });
    }
    if lines.is_empty() {
        return Err(("line_item", "required"));
    }
    if lines.len() > MAX_LINES {
        return Err(("line_item", "out_of_range"));
    }
    let income_fen: i64 = lines.iter().map(|l| l.income_fen).sum();
    let expense_fen: i64 = lines.iter().map(|l| l.expense_fen).sum();
    let di = parse_yuan(declared_income).ok_or(("income_total", "bad_amount"))?;
    let de = parse_yuan(declared_expense).ok_or(("expense_total", "bad_amount"))?;
    if di != income_fen {
        return Err(("income_total", "totals_differ"));
    }
    if de != expense_fen {
        return Err(("expense_total", "totals_differ"));
    }
    Ok(Table {
        lines,
        income_fen,
        expense_fen,
    })
}
