//! 设岗定责: the branch sets up posts with duties (政策宣传岗, 环境监督岗, 矛盾调解岗…) and gives
//! them to members, above all to members without a post of their own (无职党员); a member
//! records a duty done, which the branch approves into points (the `m_manual` rule).

/// Posts the seeds name, offered first; a branch may name its own.
pub const PRESET_POSTS: [&str; 6] = [
    "政策宣传岗",
    "环境监督岗",
    "矛盾调解岗",
    "平安巡防岗",
    "帮扶关爱岗",
    "志愿服务岗",
];
pub const MAX_POST_NAME: usize = 20;
pub const MAX_DUTIES: usize = 300;
pub const MAX_DUTY_NOTE: usize = 200;

/// Checks a new post; Err is (field, reason).
pub fn validate_post(name: &str, duties: &str) -> Result<(), (&'static str, &'static str)> {
    let n = name.trim().chars().count();
    if n == 0 {
        return Err(("post_name", "required"));
    }
    if n > MAX_POST_NAME {
        return Err(("post_name", "too_long"));
    }
    let d = duties.trim().chars().count();
    if d == 0 {
        return Err(("duties", "required"));
    }
    if d > MAX_DUTIES {
        return Err(("duties", "too_long"));
    }
    Ok(())
}

/// Checks a duty record's note; Err is (field, reason).
pub fn validate_duty(note: &str) -> Result<(), (&'static str, &'static str)> {
    match note.trim().chars().count() {
        0 => Err(("duty_note", "required")),
        n if n > MAX_DUTY_NOTE => Err(("duty_note", "too_long")),
        _ => Ok(()),
    }
}

/// Members who hold none of the branch's posts, given every member and each post's holders:
/// the ones a secretary should give a post to first.
pub fn without_post(members: &[i64], holders: &[i64]) -> Vec<i64> {
    members
        .iter()
        .copied()
        .filter(|m| !holders.contains(m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_and_duties_say_something() {
        assert!(validate_post(PRESET_POSTS[0], "宣传惠农政策，每月入户讲解一次").is_ok());
        assert_eq!(validate_post(" ", "x"), Err(("post_name", "required")));
        assert_eq!(
            validate_post(&"岗".repeat(MAX_POST_NAME + 1), "x"),
            Err(("post_name", "too_long"))
        );
        assert_eq!(validate_post("环境监督岗", ""), Err(("duties", "required")));
        assert_eq!(validate_duty(""), Err(("duty_note", "required")));
        assert!(validate_duty("清理了村口垃圾").is_ok());
        assert_eq!(
            validate_duty(&"字".repeat(MAX_DUTY_NOTE + 1)),
            Err(("duty_note", "too_long"))
        );
    }

    #[test]
    fn members_without_a_post_come_first() {
        assert_eq!(without_post(&[1, 2, 3, 4], &[2, 4, 4]), vec![1, 3]);
        assert!(without_post(&[1], &[1]).is_empty());
    }
}
