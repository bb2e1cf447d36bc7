//! Exact numbers: every figure and metric is a big rational from the moment it is
//! read until it is displayed. This module is the one place that rounds, and it
//! rounds once, when a value is turned into text.

use std::fmt;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// How a value is rounded to its displayed number of decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rounding {
    /// 四舍五入: ties go away from zero (the everyday rule, and the default).
    #[default]
    HalfAwayFromZero,
    /// 四舍六入五成双 (GB/T 8170-2008): ties go to the even neighbour.
    HalfEven,
}

impl Rounding {
    /// The spelling used in `nianbao.toml`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "half-away-from-zero" | "half-up" => Some(Self::HalfAwayFromZero),
            "half-even" => Some(Self::HalfEven),
            _ => None,
        }
    }
}

/// The most bits the numerator or the denominator of a value may have. Values are
/// exact rationals, and without a bound a small formula can make them as large as
/// memory allows (`x * x`, squared again and again, doubles its size each time, and
/// every step costs more than the one before). 4,096 bits is a number of about
/// 1,233 decimal digits, or a fraction as fine as 10^-1233: a report's figures,
/// and any rate built from them, never come near it, while each operation on such
/// values stays in the microseconds.
pub const MAX_BITS: u64 = 4096;

/// The most decimal digits a written number may stand for, counting the zeros its
/// exponent adds: a quick bound on the text, before the exact one on the value.
const MAX_DIGITS: i64 = 1240;

/// Why a written number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a decimal (or integer) at all.
    Invalid,
    /// More than [`MAX_BITS`] bits in its numerator or denominator.
    TooLarge,
}

/// What the message of a value over the limit says about the limit, in one place.
pub const LIMIT_HELP: &str = "values are exact fractions whose numerator and denominator may have up to 4,096 bits (about 1,233 decimal digits); report figures never come near that";

/// An exact rational number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Exact(pub BigRational);

impl Exact {
    /// Zero.
    pub fn zero() -> Self {
        Exact(BigRational::zero())
    }

    /// An integer.
    pub fn from_int(n: i64) -> Self {
        Exact(BigRational::from_integer(BigInt::from(n)))
    }

    /// Parses a decimal as TOML or a formula writes it: optional sign, digits with
    /// optional `_` separators, optional fraction, optional exponent. The text is
    /// taken at its written value; no binary float is involved. `None` when it is
    /// not a decimal or is too large ([`read_decimal`](Self::read_decimal) says which).
    pub fn parse_decimal(text: &str) -> Option<Self> {
        Self::read_decimal(text).ok()
    }

    /// [`parse_decimal`](Self::parse_decimal), saying why a text is refused. The
    /// size is checked on the written digits before any big-number arithmetic, so
    /// a figure of a million digits costs no more than reading its text.
    pub fn read_decimal(text: &str) -> Result<Self, NumberError> {
        let text = text.trim();
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            Some(_) => (false, text),
            None => return Err(NumberError::Invalid),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => {
                let exp = rest[at + 1..].replace('_', "");
                let digits = exp.trim_start_matches(['-', '+']);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(NumberError::Invalid);
                }
                // An exponent too long for an i64 is certainly too large.
                let exp: i64 = exp.parse().map_err(|_| NumberError::TooLarge)?;
                (&rest[..at], exp)
            }
            None => (rest, 0),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
            None => (mantissa, ""),
        };
        let int_digits = int_part.replace('_', "");
        let frac_digits = frac_part.replace('_', "");
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(NumberError::Invalid);
        }
        if !int_digits
            .bytes()
            .chain(frac_digits.bytes())
            .all(|b| b.is_ascii_digit())
        {
            return Err(NumberError::Invalid);
        }
        let digits = format!("{int_digits}{frac_digits}");
        let significant = digits.trim_start_matches('0');
        let scale = exponent.saturating_sub(frac_digits.len() as i64);
        if significant.is_empty() {
            // Zero, however many zeros or whatever exponent it is written with.
            return Ok(Exact::zero());
        }
        // The value is `significant × 10^scale`: refuse it on its written size
        // before building it; the exact limit is checked on the result.
        // Saturating: an exponent near i64::MAX must not wrap round to a small
        // (or negative) size and pass.
        let numer_digits = (significant.len() as i64).saturating_add(scale.max(0));
        if numer_digits > MAX_DIGITS || scale < -MAX_DIGITS {
            return Err(NumberError::TooLarge);
        }
        let mut numer: BigInt = significant.parse().map_err(|_| NumberError::Invalid)?;
        if negative {
            numer = -numer;
        }
        let value = if scale >= 0 {
            BigRational::from_integer(numer * pow10(scale as u32))
        } else {
            reduced(numer, pow10((-scale) as u32))
        };
        Exact(value).checked()
    }

    /// Parses an integer written in base `radix` (TOML allows 0x, 0o, 0b).
    pub fn parse_integer(text: &str, radix: u32) -> Option<Self> {
        Self::read_integer(text, radix).ok()
    }

    /// [`parse_integer`](Self::parse_integer), saying why a text is refused.
    pub fn read_integer(text: &str, radix: u32) -> Result<Self, NumberError> {
        let cleaned = text.replace('_', "");
        let digits = cleaned
            .trim_start_matches(['-', '+'])
            .trim_start_matches('0');
        // Each digit is at least one bit (binary); a decimal digit is over three.
        let bits_per_digit = f64::from(radix.max(2)).log2();
        if (digits.len() as f64) * bits_per_digit > (MAX_BITS + 8) as f64 {
            return Err(NumberError::TooLarge);
        }
        let n = BigInt::parse_bytes(cleaned.as_bytes(), radix).ok_or(NumberError::Invalid)?;
        Exact(BigRational::from_integer(n)).checked()
    }

    /// The value, or [`NumberError::TooLarge`] when its numerator or denominator
    /// has more than [`MAX_BITS`] bits.
    pub fn checked(self) -> Result<Self, NumberError> {
        if self.fits() {
            Ok(self)
        } else {
            Err(NumberError::TooLarge)
        }
    }

    /// True when the numerator and the denominator each have at most [`MAX_BITS`]
    /// bits: the values nianbao computes with. Checked after every operation of a
    /// formula, so a runaway formula stops at its first step over the limit.
    pub fn fits(&self) -> bool {
        self.0.numer().bits() <= MAX_BITS && self.0.denom().bits() <= MAX_BITS
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// True below zero.
    pub fn is_negative(&self) -> bool {
        self.0.is_negative()
    }

    /// The absolute value.
    pub fn abs(&self) -> Self {
        Exact(self.0.abs())
    }

    /// `self / other`, or `None` when `other` is zero.
    pub fn checked_div(&self, other: &Exact) -> Option<Exact> {
        if other.is_zero() {
            None
        } else {
            let quotient = small(self, other).and_then(|(a, b, c, d)| {
                let (n, m) = (a.checked_mul(d)?, b.checked_mul(c)?);
                small_ratio(n, m)
            });
            Some(Exact(quotient.unwrap_or_else(|| &self.0 / &other.0)))
        }
    }

    /// The value scaled by `10^decimals` and rounded to an integer: the one rounding step.
    pub fn round_scaled(&self, decimals: u32, mode: Rounding) -> BigInt {
        let (numer, denom) = (self.0.numer(), self.0.denom());
        if denom.is_one() {
            // Most figures are counts: nothing to round.
            return numer * pow10(decimals);
        }
        // Rounding `numer × 10^decimals / denom` needs its quotient and whether
        // the remainder is under, at or over half the divisor: the fraction need
        // not be reduced (the gcd was most of the cost), and when the numbers fit
        // in 128 bits, as every figure a report holds does, no big integer is made.
        let round_up = |quotient_is_odd: bool, half: std::cmp::Ordering| match half {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => match mode {
                Rounding::HalfAwayFromZero => true,
                Rounding::HalfEven => quotient_is_odd,
            },
        };
        let small = numer.to_i128().zip(denom.to_u128()).and_then(|(n, d)| {
            let scaled = n
                .unsigned_abs()
                .checked_mul(10u128.checked_pow(decimals)?)?;
            let (quotient, remainder) = (scaled / d, scaled % d);
            // 2 × remainder against the divisor, without overflowing.
            let up = round_up(quotient % 2 == 1, remainder.cmp(&(d - remainder)));
            // `denom` > 1 here, so the quotient is below u128::MAX.
            Some((n < 0, quotient + u128::from(up)))
        });
        if let Some((negative, magnitude)) = small {
            let magnitude = BigInt::from(magnitude);
            return if negative { -magnitude } else { magnitude };
        }
        let (quotient, remainder) = (numer.abs() * pow10(decimals)).div_rem(denom);
        let twice: BigInt = remainder * 2;
        let magnitude = if round_up(quotient.is_odd(), twice.cmp(denom)) {
            quotient + 1
        } else {
            quotient
        };
        if numer.is_negative() {
            -magnitude
        } else {
            magnitude
        }
    }

    /// The value rounded to `decimals` places, as a plain decimal string with exactly
    /// that many places and no grouping: `"4655"`, `"12.50"`, `"-0.13"`. Never `-0`.
    pub fn to_fixed(&self, decimals: u32, mode: Rounding) -> String {
        format_scaled(&self.round_scaled(decimals, mode), decimals)
    }

    /// The value rounded as [`to_fixed`](Self::to_fixed) does, then turned back into an
    /// exact number (for comparisons that must agree with what is displayed).
    pub fn rounded(&self, decimals: u32, mode: Rounding) -> Exact {
        Exact(reduced(self.round_scaled(decimals, mode), pow10(decimals)))
    }

    /// The unrounded value as a decimal string: all of it when the decimal expansion
    /// terminates, otherwise the first [`EXACT_DIGITS`] significant digits (truncated,
    /// so every digit shown is a true digit of the value), and never fewer than
    /// [`EXACT_EXTRA_PLACES`] decimal places: a large value keeps a fraction, so
    /// that it does not look like a whole number.
    pub fn to_exact_string(&self) -> String {
        self.to_exact_string_for(0)
    }

    /// [`Exact::to_exact_string`] for a value shown at `decimals` places: a value
    /// that does not terminate carries at least `decimals` + [`EXACT_EXTRA_PLACES`]
    /// places as well as [`EXACT_DIGITS`] significant digits, so that rounding the
    /// text at `decimals` gives the value shown (truncating past the places where a
    /// rounding is decided cannot cross the half-way point, which has fewer places).
    pub fn to_exact_string_for(&self, decimals: u32) -> String {
        if self.0.is_integer() {
            return self.0.numer().to_string();
        }
        if let Some(places) = terminating_places(&self.0) {
            return self.to_fixed(places, Rounding::HalfEven);
        }
        let magnitude = self.0.abs();
        let (numer, denom) = (magnitude.numer(), magnitude.denom());
        // The places that give EXACT_DIGITS significant digits, from the position
        // of the first one (never fewer than none: a large value shows its
        // integer part whole); then one integer division, truncating.
        let exponent = floor_log10(numer, denom);
        let mut places = (i64::from(EXACT_DIGITS) - 1 - exponent)
            .max(i64::from(decimals.saturating_add(EXACT_EXTRA_PLACES)))
            as u32;
        let mut truncated = (numer * pow10(places)) / denom;
        // Truncating can land exactly on the half-way point (0.125000… for a value
        // just above 0.125), which half-even rounds the other way: more places,
        // until a digit past the half shows it is not one. The value does not
        // terminate, so such a digit comes.
        let tail = |t: &BigInt, places: u32| {
            let unit = pow10(places - decimals);
            (t % &unit) * BigInt::from(2) == unit
        };
        while places > decimals && tail(&truncated, places) {
            places += 8;
            truncated = (numer * pow10(places)) / denom;
        }
        let signed = if self.0.is_negative() {
            -truncated
        } else {
            truncated
        };
        format_scaled(&signed, places)
    }

    /// A small integer, when the value is one (for years and counts in templates).
    pub fn to_i64(&self) -> Option<i64> {
        if self.0.is_integer() {
            self.0.to_integer().to_i64()
        } else {
            None
        }
    }
}

/// Significant digits shown for a value whose decimal expansion does not terminate.
pub const EXACT_DIGITS: u32 = 24;

/// The decimal places an exact string that does not terminate carries beyond the
/// places its value is shown with.
pub const EXACT_EXTRA_PLACES: u32 = 3;

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_exact_string())
    }
}

// The four operations on figures, which fit in 128 bits, in 128-bit integers:
// the big-integer gcd that keeps a fraction reduced was most of their cost.
// The result is the same reduced fraction either way.

impl std::ops::Add for &Exact {
    type Output = Exact;
    fn add(self, rhs: &Exact) -> Exact {
        let sum = small(self, rhs).and_then(|(a, b, c, d)| {
            let n = a.checked_mul(d)?.checked_add(c.checked_mul(b)?)?;
            small_ratio(n, b.checked_mul(d)?)
        });
        Exact(sum.unwrap_or_else(|| &self.0 + &rhs.0))
    }
}

impl std::ops::Sub for &Exact {
    type Output = Exact;
    fn sub(self, rhs: &Exact) -> Exact {
        let difference = small(self, rhs).and_then(|(a, b, c, d)| {
            let n = a.checked_mul(d)?.checked_sub(c.checked_mul(b)?)?;
            small_ratio(n, b.checked_mul(d)?)
        });
        Exact(difference.unwrap_or_else(|| &self.0 - &rhs.0))
    }
}

impl std::ops::Mul for &Exact {
    type Output = Exact;
    fn mul(self, rhs: &Exact) -> Exact {
        let product = small(self, rhs)
            .and_then(|(a, b, c, d)| small_ratio(a.checked_mul(c)?, b.checked_mul(d)?));
        Exact(product.unwrap_or_else(|| &self.0 * &rhs.0))
    }
}

/// `x = a/b` and `y = c/d` as 128-bit integers, when all four fit.
fn small(x: &Exact, y: &Exact) -> Option<(i128, i128, i128, i128)> {
    Some((
        x.0.numer().to_i128()?,
        x.0.denom().to_i128()?,
        y.0.numer().to_i128()?,
        y.0.denom().to_i128()?,
    ))
}

/// `n/d` reduced, its denominator positive; `None` when `d` is zero or a step
/// would overflow (the caller then works in big integers).
fn small_ratio(n: i128, d: i128) -> Option<BigRational> {
    if d == 0 {
        return None;
    }
    let g = n.unsigned_abs().gcd(&d.unsigned_abs());
    // g divides both, and is at least 1 since d is not zero.
    let (mut n, mut d) = (n / i128::try_from(g).ok()?, d / i128::try_from(g).ok()?);
    if d < 0 {
        (n, d) = (n.checked_neg()?, d.checked_neg()?);
    }
    Some(BigRational::new_raw(BigInt::from(n), BigInt::from(d)))
}

/// `numer/denom` reduced (`denom` not zero), without a big-integer gcd when both
/// fit in 128 bits.
fn reduced(numer: BigInt, denom: BigInt) -> BigRational {
    match numer
        .to_i128()
        .zip(denom.to_i128())
        .and_then(|(n, d)| small_ratio(n, d))
    {
        Some(r) => r,
        None => BigRational::new(numer, denom),
    }
}

impl std::ops::Neg for &Exact {
    type Output = Exact;
    fn neg(self) -> Exact {
        Exact(-&self.0)
    }
}

fn pow10(exp: u32) -> BigInt {
    num_traits::pow(BigInt::from(10), exp as usize)
}

/// `⌊log10(numer / denom)⌋` for positive `numer` and `denom`: the position of the
/// first significant digit. The bit lengths put it within two of the answer (the
/// estimate is an exponent, not a value, so a float is fine for it); a few
/// comparisons with powers of ten settle it, whatever the size of the value.
fn floor_log10(numer: &BigInt, denom: &BigInt) -> i64 {
    let bits = numer.bits() as f64 - denom.bits() as f64;
    let mut e = (bits * std::f64::consts::LOG10_2).floor() as i64;
    // numer / denom >= 10^e, without division.
    let at_least = |e: i64| {
        let p = pow10(e.unsigned_abs() as u32);
        if e >= 0 {
            *numer >= denom * p
        } else {
            numer * p >= *denom
        }
    };
    while !at_least(e) {
        e -= 1;
    }
    while at_least(e + 1) {
        e += 1;
    }
    e
}

/// The number of decimal places of a terminating expansion, or `None` when the
/// denominator has a prime factor other than 2 and 5.
fn terminating_places(value: &BigRational) -> Option<u32> {
    let mut denom = value.denom().clone();
    let two = BigInt::from(2);
    let five = BigInt::from(5);
    let (mut twos, mut fives) = (0u32, 0u32);
    while denom.is_even() {
        denom /= &two;
        twos += 1;
    }
    while (&denom % &five).is_zero() {
        denom /= &five;
        fives += 1;
    }
    denom.is_one().then_some(twos.max(fives))
}

/// Writes an integer that stands for `n / 10^decimals` as a decimal string.
fn format_scaled(n: &BigInt, decimals: u32) -> String {
    let digits = n.magnitude().to_string();
    let negative = n.sign() == Sign::Minus;
    let decimals = decimals as usize;
    let body = if decimals == 0 {
        digits
    } else {
        let padded = format!("{digits:0>width$}", width = decimals + 1);
        let (int, frac) = padded.split_at(padded.len() - decimals);
        format!("{int}.{frac}")
    };
    // A value that rounds to zero is shown as zero, never "-0" or "-0.00".
    if negative { format!("-{body}") } else { body }
}

/// Inserts thousands separators into a plain decimal string (`"151837.5"` →
/// `"151,837.5"`), as English text writes numbers.
pub fn group_thousands(plain: &str) -> String {
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (int, frac) = match rest.find('.') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    if int.len() <= 3 {
        return plain.to_string();
    }
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}{frac}")
}

#[cfg(test)]
mod tests;
