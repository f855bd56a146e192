//! One page of a long list: which page a request gets and what it skips.

/// The page shown of `count`, numbered from 1, and how many rows come before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub number: usize,
    pub count: usize,
    pub skip: usize,
}

impl Page {
    /// `asked` outside the pages (0, or past the last) gets the nearest one, so an old link
    /// to a page that no longer exists still shows rows. An empty list is one empty page.
    pub fn of(total: usize, per: usize, asked: usize) -> Page {
        let per = per.max(1);
        let count = total.div_ceil(per).max(1);
        let number = asked.clamp(1, count);
        Page {
            number,
            count,
            skip: (number - 1) * per,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pages_of_a_thousand_branches() {
        assert_eq!(
            Page::of(1000, 100, 3),
            Page {
                number: 3,
                count: 10,
                skip: 200
            }
        );
        assert_eq!(Page::of(1001, 100, 99).number, 11);
        assert_eq!(Page::of(0, 100, 2), Page::of(0, 100, 1));
        assert_eq!(Page::of(5, 100, 0).skip, 0);
    }

    proptest! {
        #[test]
        fn the_pages_cover_every_row_once(total in 0usize..5000, per in 1usize..300) {
            let first = Page::of(total, per, 1);
            let mut seen = 0;
            for n in 1..=first.count {
                let p = Page::of(total, per, n);
                prop_assert_eq!(p.skip, seen);
                seen += per.min(total - p.skip);
            }
            prop_assert_eq!(seen, total);
        }
    }
}
