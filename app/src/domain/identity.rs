//! Resident identifiers: GB 11643 citizen ID check digit, and masking of ID numbers and phones.

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The ISO 7064 MOD 11-2 check character for the first 17 digits, or None if they are not digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    Some(CHECK[(sum % 11) as usize])
}

pub fn is_valid_id_number(id: &str) -> bool {
    id.len() == 18
        && id.is_ascii()
        && id_check_char(&id[..17]) == Some(id.as_bytes()[17].to_ascii_uppercase() as char)
}

/// Keeps the region prefix and the check digit: `330825********123X`.
pub fn mask_id_number(id: &str) -> String {
    mask_middle(id, 6, 4)
}

/// A mainland mobile number: eleven digits starting with 1.
pub fn is_mobile_phone(p: &str) -> bool {
    p.len() == 11 && p.starts_with('1') && p.bytes().all(|b| b.is_ascii_digit())
}

/// Keeps the carrier prefix and the last four digits: `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    mask_middle(phone, 3, 4)
}

/// Keeps the surname (the first character): `张**`. For lists shown to many, such as credit
/// rankings on a screen.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

fn mask_middle(s: &str, keep_head: usize, keep_tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= keep_head + keep_tail {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_head || i >= chars.len() - keep_tail {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_only_the_surname() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李"), "李");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn mobile_numbers() {
        assert!(is_mobile_phone("13800138000"));
        assert!(!is_mobile_phone("23800138000"));
        assert!(!is_mobile_phone("1380013800"));
        assert!(!is_mobile_phone("138001380001"));
        assert!(!is_mobile_phone("1380013800a"));
    }
    use proptest::prelude::*;

    #[test]
    fn known_valid_numbers() {
        // The worked example of GB 11643-1999.
        assert!(is_valid_id_number("11010519491231002X"));
        assert!(is_valid_id_number("11010519491231002x"));
        assert!(!is_valid_id_number("110105194912310021"));
        assert!(!is_valid_id_number("1101051949123100"));
    }

    #[test]
    fn masks() {
        assert_eq!(mask_id_number("11010519491231002X"), "110105********002X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("123"), "***");
    }

    proptest! {
        #[test]
        fn computed_check_digit_validates(body in "[0-9]{17}") {
            let c = id_check_char(&body).unwrap();
            let id = format!("{body}{c}");
            prop_assert!(is_valid_id_number(&id));
        }

        #[test]
        fn any_single_digit_change_is_caught(body in "[0-9]{17}", pos in 0usize..17, delta in 1u32..10) {
            let c = id_check_char(&body).unwrap();
            let mut digits: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap()).collect();
            digits[pos] = (digits[pos] + delta) % 10;
            let changed: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            let id = format!("{changed}{c}");
            prop_assert!(!is_valid_id_number(&id));
        }

        #[test]
        fn masking_keeps_length(s in "[0-9]{0,20}") {
            prop_assert_eq!(mask_phone(&s).chars().count(), s.chars().count());
        }
    }
}
