//! The compile-time check of a parameter count `P`, with an error that names the right number.
//!
//! Stable Rust cannot format numbers in a `const` panic (`panic!("{}", n)` takes only `&str`
//! arguments there), so the message is rendered into a byte buffer by a `const fn` and panicked
//! with as one `&str`: `Dense<A, I, O, P>: P = 4, but the sizes give O*I + O = 3 parameters:
//! write 3 for P`.

/// Room for the rendered message: the longest prefix and formula in the crate plus two numbers.
const CAPACITY: usize = 256;

/// Append `text` to `buf[len..]`; returns the new length (truncating at the capacity).
const fn push_str(buf: &mut [u8; CAPACITY], mut len: usize, text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && len < CAPACITY {
        buf[len] = bytes[i];
        len += 1;
        i += 1;
    }
    len
}

/// Append the decimal digits of `n`; returns the new length.
const fn push_number(buf: &mut [u8; CAPACITY], mut len: usize, n: usize) -> usize {
    let mut digits = [0u8; 20];
    let (mut count, mut rest) = (0, n);
    loop {
        digits[count] = b'0' + (rest % 10) as u8;
        count += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    while count > 0 && len < CAPACITY {
        count -= 1;
        buf[len] = digits[count];
        len += 1;
    }
    len
}

/// Fail compilation (when evaluated in a `const` block) unless `given == expected`, with a
/// message that names both numbers and the fix: `{what}: P = {given}, but the sizes give
/// {formula} = {expected} parameters: write {expected} for P`.
///
/// A message longer than [`CAPACITY`] bytes is cut there (if the cut splits a character, the
/// message is a plain "wrong parameter count P"); no caller in the crate comes near it.
pub(crate) const fn check_count(what: &str, formula: &str, expected: usize, given: usize) {
    if given == expected {
        return;
    }
    let mut buf = [0u8; CAPACITY];
    let len = push_str(&mut buf, 0, what);
    let len = push_str(&mut buf, len, ": P = ");
    let len = push_number(&mut buf, len, given);
    let len = push_str(&mut buf, len, ", but the sizes give ");
    let len = push_str(&mut buf, len, formula);
    let len = push_str(&mut buf, len, " = ");
    let len = push_number(&mut buf, len, expected);
    let len = push_str(&mut buf, len, " parameters: write ");
    let len = push_number(&mut buf, len, expected);
    let len = push_str(&mut buf, len, " for P");
    let (message, _) = buf.split_at(len);
    match std::str::from_utf8(message) {
        Ok(text) => panic!("{}", text),
        Err(_) => panic!("wrong parameter count P"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rendered message, as the `const` panic shows it (captured at run time).
    fn message(what: &str, formula: &str, expected: usize, given: usize) -> String {
        let e = std::panic::catch_unwind(|| check_count(what, formula, expected, given))
            .expect_err("a wrong count panics");
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .expect("a text message")
    }

    #[test]
    fn names_both_numbers_and_the_fix() {
        assert_eq!(
            message("Dense<A, I, O, P>", "O*I + O", 15, 4),
            "Dense<A, I, O, P>: P = 4, but the sizes give O*I + O = 15 parameters: write 15 for P"
        );
        // zero, and the largest usize (20 digits)
        let m = message("N", "f", 0, usize::MAX);
        assert_eq!(
            m,
            format!(
                "N: P = {}, but the sizes give f = 0 parameters: write 0 for P",
                usize::MAX
            )
        );
    }

    #[test]
    fn a_right_count_passes() {
        check_count("Dense<A, I, O, P>", "O*I + O", 15, 15);
    }

    #[test]
    fn a_long_message_is_cut_not_overflowed() {
        let long = "x".repeat(2 * CAPACITY);
        let m = message(&long, "f", 1, 2);
        assert_eq!(m.len(), CAPACITY);
    }
}
