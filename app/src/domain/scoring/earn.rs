use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::Date;

use super::period::Period;
use super::rules::{award, RuleBook, Source, Subject};

/// Something that happened and may earn points: a subject, what kind of thing, which one, and the
/// local day it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    pub subject: Subject,
    pub subject_id: i64,
    pub source: Source,
    /// `event:12`, `rating:7`, `activity:3`: one occurrence earns once per rule.
    pub reference: String,
    pub day: Date,
}

/// What an occurrence earns under one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Earning {
    pub rule_code: String,
    pub rule_from: Date,
    pub amount: i64,
    pub period: Period,
}

/// The running totals a subject has per rule and period, so caps hold across occurrences.
pub type Totals = HashMap<(String, Subject, i64, Period), i64>;

/// What `o` earns under the rules in force on its day, given the totals so far; the totals are
/// updated. Rules that need approval never earn automatically, and an occurrence that would earn
/// nothing because the cap is reached yields no line at all.
pub fn earn(book: &RuleBook, o: &Occurrence, totals: &mut Totals) -> Vec<Earning> {
    let period = Period::containing(o.subject.period_kind(), o.day);
    book.for_source(o.subject, o.source, o.day)
        .into_iter()
        .filter(|r| !r.needs_approval)
        .filter_map(|r| {
            let key = (r.code.clone(), o.subject, o.subject_id, period);
            let so_far = totals.entry(key).or_insert(0);
            let amount = award(r, *so_far);
            if amount == 0 {
                return None;
            }
            *so_far += amount;
            Some(Earning {
                rule_code: r.code.clone(),
                rule_from: r.effective_from,
                amount,
                period,
            })
        })
        .collect()
}
