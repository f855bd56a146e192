//! Login throttling: five failures lock an account for thirty minutes.

pub const MAX_FAILURES: i64 = 5;
pub const LOCK_SECONDS: i64 = 30 * 60;
/// Sessions end after thirty minutes without a request.
pub const SESSION_IDLE_SECONDS: i64 = 30 * 60;

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

    /// The state after one more wrong password. A lock that has expired starts a fresh count.
    pub fn after_failure(self, now: i64) -> LoginState {
        let failures = if self.locked_until != 0 && self.locked_until <= now {
            1
        } else {
            self.failures + 1
        };
        if failures >= MAX_FAILURES {
            LoginState {
                failures,
                locked_until: now + LOCK_SECONDS,
            }
        } else {
            LoginState {
                failures,
                locked_until: 0,
            }
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

    #[test]
    fn fifth_failure_locks_for_thirty_minutes() {
        let mut s = LoginState::after_success();
        for _ in 0..4 {
            s = s.after_failure(1000);
            assert!(!s.is_locked(1000));
        }
        s = s.after_failure(1000);
        assert!(s.is_locked(1000));
        assert!(s.is_locked(1000 + LOCK_SECONDS - 1));
        assert!(!s.is_locked(1000 + LOCK_SECONDS));
        assert_eq!(s.minutes_left(1000), 30);
    }

    #[test]
    fn expired_lock_starts_counting_again() {
        let mut s = LoginState::after_success();
        for _ in 0..5 {
            s = s.after_failure(0);
        }
        let later = LOCK_SECONDS + 1;
        let s = s.after_failure(later);
        assert_eq!(s.failures, 1);
        assert!(!s.is_locked(later));
    }
}
