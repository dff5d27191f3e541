//! Numbers in reports a person reads: scientific notation with few digits, counted nouns.

use std::fmt;

/// A number in scientific notation with at most four significant digits and no trailing zeros
/// (`9.437e-9`, `1e-8`, `0e0`), for reports a person reads.
pub(crate) struct Sci(pub(crate) f64);

impl fmt::Display for Sci {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = format!("{:.3e}", self.0);
        match s.split_once('e') {
            Some((mantissa, exp)) if mantissa.contains('.') => {
                let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
                write!(f, "{mantissa}e{exp}")
            }
            _ => f.write_str(&s), // inf, NaN
        }
    }
}

/// `n` followed by the noun, plural unless `n == 1` (`1 iteration`, `2 iterations`).
pub(crate) struct Count(pub(crate) usize, pub(crate) &'static str);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.0 == 1 { "" } else { "s" };
        write!(f, "{} {}{plural}", self.0, self.1)
    }
}
