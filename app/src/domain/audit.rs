//! The audit trail's chain (MLPS 2.0: tamper-evident, kept at least six months). Every row
//! carries its place in the chain (`seq`), the hash of the row before it and its own hash over
//! both and its fields, so altering, removing or inserting a row breaks the chain there;
//! `Walker` names the first broken link. Rows archived past the retention period leave the
//! first remaining row's `prev` as the anchor the archive record keeps.

use sha2::{Digest, Sha256};

/// The `prev` of the first row ever written.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row as the chain sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub seq: i64,
    pub at: i64,
    pub user_id: Option<i64>,
    pub action: &'a str,
    pub target: &'a str,
    pub detail: &'a str,
}

/// The hash of `e` after `prev`: SHA-256 over a version tag and every field, each preceded by
/// its length, so no two different rows encode alike.
pub fn link(prev: &str, e: &Entry<'_>) -> String {
    let mut h = Sha256::new();
    let mut put = |b: &[u8]| {
        h.update((b.len() as u64).to_be_bytes());
        h.update(b);
    };
    put(b"lianxin-audit-v1");
    put(prev.as_bytes());
    put(&e.seq.to_be_bytes());
    put(&e.at.to_be_bytes());
    match e.user_id {
        Some(u) => put(&u.to_be_bytes()),
        None => put(b""),
    }
    put(e.action.as_bytes());
    put(e.target.as_bytes());
    put(e.detail.as_bytes());
    hex(&h.finalize())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The first broken link found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The row's fields or hash are not what was written.
    Altered { seq: i64 },
    /// The row does not follow the one before it (rows removed or inserted before it).
    Unlinked { seq: i64 },
    /// Rows are missing between `after` and `next`.
    Missing { after: i64, next: i64 },
    /// The chain ends before the last row written (`head`): rows removed from its end.
    Truncated { last: i64, head: i64 },
    /// A row without a place in the chain (put in beside it).
    Unchained,
}

/// Walks rows in `seq` order, one at a time (a verification reads the log in batches), from an
/// anchor: the genesis, or the last row archived (its `seq` and hash, kept by the archive record).
#[derive(Debug, Clone)]
pub struct Walker {
    seq: i64,
    hash: String,
    pub checked: u64,
}

impl Walker {
    /// From the first row ever written.
    pub fn new() -> Walker {
        Walker::after(0, GENESIS)
    }

    /// From the row after `seq`, whose hash was `hash`.
    pub fn after(seq: i64, hash: &str) -> Walker {
        Walker {
            seq,
            hash: hash.to_string(),
            checked: 0,
        }
    }

    /// Checks the next row: it follows the last one and hashes as stored.
    pub fn step(&mut self, e: &Entry<'_>, prev: &str, hash: &str) -> Result<(), Break> {
        if e.seq > self.seq + 1 {
            return Err(Break::Missing {
                after: self.seq,
                next: e.seq,
            });
        }
        if e.seq != self.seq + 1 || prev != self.hash {
            return Err(Break::Unlinked { seq: e.seq });
        }
        if link(prev, e) != hash {
            return Err(Break::Altered { seq: e.seq });
        }
        self.seq = e.seq;
        self.hash = hash.to_string();
        self.checked += 1;
        Ok(())
    }

    /// The end: the last row walked is the last one written (the head's `seq` and hash).
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), Break> {
        if self.seq < head_seq {
            return Err(Break::Truncated {
                last: self.seq,
                head: head_seq,
            });
        }
        if self.seq != head_seq || self.hash != head_hash {
            return Err(Break::Altered { seq: self.seq });
        }
        Ok(())
    }
}

impl Default for Walker {
    fn default() -> Self {
        Walker::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Row = (
        i64,
        i64,
        Option<i64>,
        String,
        String,
        String,
        String,
        String,
    );

    fn chain(n: usize) -> Vec<Row> {
        let mut prev = GENESIS.to_string();
        (1..=n as i64)
            .map(|seq| {
                let (action, target, detail) = (
                    format!("a{seq}"),
                    format!("t{}", seq % 3),
                    "详情".repeat(seq as usize % 4),
                );
                let e = Entry {
                    seq,
                    at: 1_000 + seq,
                    user_id: (seq % 2 == 0).then_some(seq),
                    action: &action,
                    target: &target,
                    detail: &detail,
                };
                let h = link(&prev, &e);
                let row = (
                    seq,
                    e.at,
                    e.user_id,
                    action.clone(),
                    target.clone(),
                    detail.clone(),
                    prev.clone(),
                    h.clone(),
                );
                prev = h;
                row
            })
            .collect()
    }

    fn entry(r: &Row) -> Entry<'_> {
        Entry {
            seq: r.0,
            at: r.1,
            user_id: r.2,
            action: &r.3,
            target: &r.4,
            detail: &r.5,
        }
    }

    fn walk_to_head(rows: &[Row], head: &Row) -> Result<(), Break> {
        let mut w = Walker::new();
        for r in rows {
            w.step(&entry(r), &r.6, &r.7)?;
        }
        w.finish(head.0, &head.7)
    }

    #[test]
    fn a_walk_may_start_after_what_was_archived() {
        let rows = chain(10);
        let mut w = Walker::after(rows[3].0, &rows[3].7);
        for r in &rows[4..] {
            assert_eq!(w.step(&entry(r), &r.6, &r.7), Ok(()));
        }
        assert_eq!(w.finish(10, &rows[9].7), Ok(()));
        assert_eq!(w.checked, 6);
    }

    #[test]
    fn an_untouched_chain_verifies_and_an_empty_one_too() {
        let rows = chain(20);
        assert_eq!(walk_to_head(&rows, &rows[19]), Ok(()));
        assert_eq!(Walker::new().finish(0, GENESIS), Ok(()));
        assert_eq!(
            Walker::new().finish(3, "x"),
            Err(Break::Truncated { last: 0, head: 3 })
        );
        // A row put back with the right fields but not after its predecessor.
        let mut w = Walker::new();
        let r = &rows[0];
        assert_eq!(
            w.step(&entry(r), "f00", &r.7),
            Err(Break::Unlinked { seq: 1 })
        );
    }

    #[test]
    fn fields_are_delimited() {
        let a = Entry {
            seq: 1,
            at: 1,
            user_id: None,
            action: "ab",
            target: "c",
            detail: "",
        };
        let b = Entry {
            seq: 1,
            at: 1,
            user_id: None,
            action: "a",
            target: "bc",
            detail: "",
        };
        assert_ne!(link(GENESIS, &a), link(GENESIS, &b));
        let c = Entry {
            user_id: Some(0),
            ..a.clone()
        };
        assert_ne!(link(GENESIS, &a), link(GENESIS, &c));
    }

    proptest! {
        #[test]
        fn any_change_breaks_the_chain_at_that_row(n in 2usize..30, pick in 0usize..30, what in 0u8..6) {
            let mut rows = chain(n);
            let head = rows[n - 1].clone();
            let i = pick % n;
            let seq = rows[i].0;
            match what {
                0 => rows[i].5.push('!'),
                1 => rows[i].1 += 1,
                2 => rows[i].2 = Some(rows[i].2.unwrap_or(0) + 7),
                3 => rows[i].3 = "改".into(),
                4 => { rows.remove(i); }
                _ => { rows.truncate(i); }
            }
            let got = walk_to_head(&rows, &head);
            match what {
                0..=3 => prop_assert_eq!(got, Err(Break::Altered { seq })),
                4 if i + 1 == n => prop_assert_eq!(got, Err(Break::Truncated { last: seq - 1, head: head.0 })),
                4 => prop_assert_eq!(got, Err(Break::Missing { after: seq - 1, next: seq + 1 })),
                _ => prop_assert_eq!(got, Err(Break::Truncated { last: seq - 1, head: head.0 })),
            }
        }
    }
}
