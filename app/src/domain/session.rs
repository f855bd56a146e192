//! How long a sign-in lasts: thirty minutes without a request ends it (sliding), and twelve
//! hours after signing in it ends whatever happens (absolute). An open live view (the command
//! room's queue, a wall screen) counts as use.

/// Idle limit: a session not used for this long is over.
pub const IDLE_SECONDS: i64 = 30 * 60;
/// Absolute limit from sign-in.
pub const MAX_SECONDS: i64 = 12 * 60 * 60;
/// Activity is written back at most this often, so a busy page does not write on every request.
pub const TOUCH_EVERY_SECONDS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Still good and recently marked used.
    Keep,
    /// Still good: record the use now (slides the idle limit).
    Touch,
    /// Over: sign the user out.
    End,
}

/// The verdict at `now` for a session signed in at `since` and last marked used at `seen`.
pub fn verdict(since: i64, seen: i64, now: i64) -> Verdict {
    if now - since >= MAX_SECONDS || now - seen >= IDLE_SECONDS || since > now + 60 {
        Verdict::End
    } else if now - seen >= TOUCH_EVERY_SECONDS {
        Verdict::Touch
    } else {
        Verdict::Keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slides_while_used_and_stops_at_the_cap() {
        let t0 = 1_000_000;
        assert_eq!(verdict(t0, t0, t0 + 10), Verdict::Keep);
        assert_eq!(verdict(t0, t0, t0 + TOUCH_EVERY_SECONDS), Verdict::Touch);
        assert_eq!(verdict(t0, t0, t0 + IDLE_SECONDS - 1), Verdict::Touch);
        assert_eq!(verdict(t0, t0, t0 + IDLE_SECONDS), Verdict::End);
        // Used every ten minutes: alive after two hours, because each use slides the limit.
        let mut seen = t0;
        let mut now = t0;
        for _ in 0..12 {
            now += 600;
            assert_ne!(verdict(t0, seen, now), Verdict::End);
            seen = now;
        }
        // However busy, twelve hours after sign-in it is over.
        assert_eq!(
            verdict(t0, t0 + MAX_SECONDS - 5, t0 + MAX_SECONDS),
            Verdict::End
        );
    }

    #[test]
    fn a_sign_in_from_the_future_is_not_trusted() {
        assert_eq!(verdict(5_000, 5_000, 1_000), Verdict::End);
    }
}
