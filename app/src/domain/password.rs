//! What a chosen password must be: long enough, not the name, not the one it replaces.

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

/// Ok, or the reason (an i18n key under `errors.`).
pub fn check_new(new: &str, username: &str, current: &str) -> Result<(), &'static str> {
    let n = new.chars().count();
    if n < MIN_LEN {
        return Err("password_short");
    }
    if n > MAX_LEN {
        return Err("too_long");
    }
    if new == current {
        return Err("password_same");
    }
    let lower = new.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err("password_name");
    }
    let letters = new.chars().any(|c| c.is_alphabetic());
    let others = new.chars().any(|c| !c.is_alphabetic());
    if !(letters && others) {
        return Err("password_simple");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_is_long_mixed_and_new() {
        assert_eq!(check_new("Short1", "admin", "x"), Err("password_short"));
        assert_eq!(
            check_new("abcdefghijkl", "admin", "x"),
            Err("password_simple")
        );
        assert_eq!(
            check_new("1234567890123", "admin", "x"),
            Err("password_simple")
        );
        assert_eq!(
            check_new("myAdmin-2026x", "admin", "x"),
            Err("password_name")
        );
        assert_eq!(
            check_new("Longer-pass-99", "admin", "Longer-pass-99"),
            Err("password_same")
        );
        assert_eq!(check_new("河边-路灯-2026年", "admin", "x"), Ok(()));
        assert_eq!(check_new("correct horse 7", "admin", "x"), Ok(()));
    }
}
