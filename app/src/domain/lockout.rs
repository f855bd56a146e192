//! Login throttling: five failures lock an account for thirty minutes.
//!
//! An attempt is *claimed* before its password is checked: the claim counts it as a failure in
//! advance, and a correct password then clears the count. So however many guesses arrive at
//! once, no more than five are ever checked before the lock (the store makes the claim one
//! atomic `UPDATE … RETURNING` that mirrors `claim` below, tested against it).

pub const MAX_FAILURES: i64 = 5;
pub const LOCK_SECONDS: i64 = 30 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginState {
    pub failures: i64,
    /// Unix seconds until which the account is locked; 0 when it is not.
    pub locked_until: i64,
}

impl LoginState {
    pub fn is_locked(&self, now: i64) -> bool {
        self.locked_until > now
    }

    /// Minutes (rounded up) until the lock lifts.
    pub fn minutes_left(&self, now: i64) -> i64 {
        ((self.locked_until - now).max(0) + 59) / 60
    }

    /// What a refused claim tells the user: the lock's minutes, or a full lock period while
    /// the last permitted guesses are still being checked.
    pub fn refusal_minutes(&self, now: i64) -> i64 {
        if self.is_locked(now) {
            self.minutes_left(now)
        } else {
            LOCK_SECONDS / 60
        }
    }

    /// Claims one attempt: the state with it counted, or None when no attempt is allowed now
    /// (locked, or all permitted attempts are already being checked). A lock that has expired
    /// starts a fresh count.
    pub fn claim(self, now: i64) -> Option<LoginState> {
        if self.is_locked(now) {
            return None;
        }
        if self.locked_until != 0 {
            return Some(LoginState {
                failures: 1,
                locked_until: 0,
            });
        }
        (self.failures < MAX_FAILURES).then_some(LoginState {
            failures: self.failures + 1,
            locked_until: 0,
        })
    }

    /// After a claimed attempt failed: the lock starts once the count has reached the limit.
    pub fn after_failed_claim(self, now: i64) -> LoginState {
        if self.failures >= MAX_FAILURES && self.locked_until <= now {
            LoginState {
                failures: self.failures,
                locked_until: now + LOCK_SECONDS,
            }
        } else {
            self
        }
    }

    pub fn after_success() -> LoginState {
        LoginState {
            failures: 0,
            locked_until: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One wrong password, as the server runs it: claim, check, record the failure.
    fn wrong(s: LoginState, now: i64) -> Option<LoginState> {
        s.claim(now).map(|c| c.after_failed_claim(now))
    }

    #[test]
    fn fifth_failure_locks_for_thirty_minutes() {
        let mut s = LoginState::after_success();
        for _ in 0..4 {
            s = wrong(s, 1000).unwrap();
            assert!(!s.is_locked(1000));
        }
        s = wrong(s, 1000).unwrap();
        assert!(s.is_locked(1000));
        assert!(s.is_locked(1000 + LOCK_SECONDS - 1));
        assert!(!s.is_locked(1000 + LOCK_SECONDS));
        assert_eq!(s.minutes_left(1000), 30);
        assert_eq!(s.claim(1000), None);
    }

    #[test]
    fn the_fifth_attempt_may_still_be_right() {
        let mut s = LoginState::after_success();
        for _ in 0..4 {
            s = wrong(s, 0).unwrap();
        }
        assert!(s.claim(0).is_some());
    }

    #[test]
    fn parallel_claims_stop_at_the_limit() {
        // Thirty guesses claimed before any is checked: only five get a claim.
        let mut s = LoginState::after_success();
        let granted = (0..30)
            .filter(|_| match s.claim(0) {
                Some(next) => {
                    s = next;
                    true
                }
                None => false,
            })
            .count();
        assert_eq!(granted as i64, MAX_FAILURES);
        assert_eq!(s.refusal_minutes(0), 30);
    }

    #[test]
    fn expired_lock_starts_counting_again() {
        let mut s = LoginState::after_success();
        for _ in 0..5 {
            s = wrong(s, 0).unwrap();
        }
        let later = LOCK_SECONDS + 1;
        let s = wrong(s, later).unwrap();
        assert_eq!(s.failures, 1);
        assert!(!s.is_locked(later));
    }
}
