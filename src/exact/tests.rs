//! Unit tests of exact values: parsing, arithmetic, rounding and display.

use super::*;

fn ex(text: &str) -> Exact {
    Exact::parse_decimal(text).unwrap()
}

fn ratio(a: i64, b: i64) -> Exact {
    Exact::from_int(a).checked_div(&Exact::from_int(b)).unwrap()
}

use Rounding::{HalfAwayFromZero as Away, HalfEven as Even};

#[test]
fn ties_round_away_from_zero_by_default_and_to_even_on_request() {
    let v = &ratio(57, 200) * &Exact::from_int(100);
    assert_eq!(v.to_fixed(0, Away), "29");
    assert_eq!(v.to_fixed(0, Even), "28");
    assert_eq!(ratio(201, 200).to_fixed(2, Away), "1.01");
    assert_eq!(ratio(201, 200).to_fixed(2, Even), "1.00");
    assert_eq!(ratio(-1, 8).to_fixed(2, Away), "-0.13");
    assert_eq!(ratio(-1, 8).to_fixed(2, Even), "-0.12");
    assert_eq!(ex("0.125").to_fixed(2, Even), "0.12");
    assert_eq!(ex("0.135").to_fixed(2, Even), "0.14");
}

#[test]
fn decimals_are_read_as_written() {
    assert_eq!(ex("12.35").to_fixed(1, Away), "12.4");
    assert_eq!(ex("12.35").to_fixed(1, Even), "12.4");
    assert_eq!(ex("2.675").to_fixed(2, Away), "2.68");
    assert_eq!(ex("1_000.5"), ratio(2001, 2));
    assert_eq!(ex("1.5e3"), Exact::from_int(1500));
    assert_eq!(ex("-2E-2"), ratio(-1, 50));
    assert!(Exact::parse_decimal("nan").is_none());
    assert!(Exact::parse_decimal("inf").is_none());
    assert!(Exact::parse_decimal("1e99999").is_none());
    assert!(Exact::parse_decimal(".").is_none());
}

#[test]
fn one_seventh_times_three_and_a_half_is_exactly_a_half() {
    let v = &ratio(1, 7) * &ex("3.5");
    assert_eq!(v, ratio(1, 2));
    assert_eq!(v.to_fixed(0, Away), "1");
    assert_eq!(v.to_fixed(0, Even), "0");
}

#[test]
fn never_negative_zero() {
    assert_eq!(ex("-0.001").to_fixed(2, Away), "0.00");
    assert_eq!(ex("-0.001").to_fixed(2, Even), "0.00");
    assert_eq!(ex("-0.4").to_fixed(0, Away), "0");
    assert_eq!(ex("-0.5").to_fixed(0, Away), "-1");
}

#[test]
fn exact_strings_terminate_or_carry_enough_digits() {
    assert_eq!(ex("12.50").to_exact_string(), "12.5");
    assert_eq!(Exact::from_int(4655).to_exact_string(), "4655");
    assert_eq!(ratio(-1, 8).to_exact_string(), "-0.125");
    assert_eq!(ratio(1, 3).to_exact_string(), "0.333333333333333333333333");
    assert_eq!(
        (&ratio(1335, 151837) * &Exact::from_int(1000)).to_exact_string(),
        "8.79232334674684036170366"
    );
    assert_eq!(
        ratio(2, 3000).to_exact_string(),
        "0.000666666666666666666666666"
    );
}

/// Issue 11, item 4: the leading zeros of a tiny value were found by
/// multiplying by ten up to 10,000 times (a gcd each: seconds), and a value
/// with more zeros than that came out as zeros alone, no significant digit.
#[test]
fn exact_strings_of_tiny_and_huge_values_have_their_significant_digits() {
    let third_of = |zeros: usize| {
        Exact(BigRational::new(
            BigInt::from(1),
            BigInt::from(3) * pow10(zeros as u32),
        ))
    };
    for zeros in [0, 1, 5, 1_200, 12_000] {
        let text = third_of(zeros).to_exact_string();
        let expected = format!("0.{}{}", "0".repeat(zeros), "3".repeat(24));
        assert_eq!(text, expected, "1/(3·10^{zeros})");
    }
    let huge = Exact(BigRational::new(pow10(3_000) * 2, BigInt::from(3)));
    let text = huge.to_exact_string();
    assert_eq!(text.len(), 3_004);
    assert!(
        text.starts_with("666666") && text.ends_with("6.666"),
        "{text}"
    );
    assert_eq!(
        ratio(-2, 3).to_exact_string(),
        "-0.666666666666666666666666"
    );
    assert_eq!(ratio(1, 7).to_exact_string(), "0.142857142857142857142857");
    assert_eq!(ratio(100, 7).to_exact_string(), "14.2857142857142857142857");
    assert_eq!(
        ratio(1, 10 * 7).to_exact_string(),
        "0.0142857142857142857142857"
    );
}

/// Issue 11, item 4: a number is refused on its written size, before any
/// arithmetic, and a value is checked against the limit.
#[test]
fn numbers_over_the_limit_are_refused_as_too_large() {
    let read = Exact::read_decimal;
    assert_eq!(read("1e5000"), Err(NumberError::TooLarge));
    assert_eq!(read("1e-5000"), Err(NumberError::TooLarge));
    assert_eq!(read(&"7".repeat(2_000)), Err(NumberError::TooLarge));
    assert_eq!(
        read(&format!("0.{}1", "0".repeat(1_300))),
        Err(NumberError::TooLarge)
    );
    assert_eq!(read(&"9".repeat(10_000_000)), Err(NumberError::TooLarge));
    assert_eq!(
        read("1e99999999999999999999999"),
        Err(NumberError::TooLarge)
    );
    assert_eq!(read("0e99999"), Ok(Exact::zero()));
    // An exponent near i64::MAX: the size check once overflowed (the fuzzer's
    // crash-202668478a, `999…9.900e000…0009223372036854775807`).
    assert_eq!(
        read(&format!(
            "{}.900e{}9223372036854775807",
            "9".repeat(27),
            "0".repeat(60)
        )),
        Err(NumberError::TooLarge)
    );
    assert_eq!(read("12.5e9223372036854775807"), Err(NumberError::TooLarge));
    assert_eq!(read("1e9223372036854775807"), Err(NumberError::TooLarge));
    assert_eq!(read("1e-9223372036854775808"), Err(NumberError::TooLarge));
    assert_eq!(read("1e1e"), Err(NumberError::Invalid));
    assert_eq!(read("1e"), Err(NumberError::Invalid));
    assert_eq!(read("-"), Err(NumberError::Invalid));
    assert_eq!(read(""), Err(NumberError::Invalid));
    assert!(read("1e1200").is_ok());
    assert!(read(&format!("0.{}1", "0".repeat(1_200))).is_ok());
    assert_eq!(
        Exact::read_integer(&"1".repeat(5_000), 10),
        Err(NumberError::TooLarge)
    );
    assert_eq!(
        Exact::read_integer(&"f".repeat(1_030), 16),
        Err(NumberError::TooLarge)
    );
    assert!(Exact::read_integer(&"f".repeat(1_024), 16).is_ok());
    assert!(Exact(BigRational::from_integer(pow10(1_233))).fits());
    assert!(!Exact(BigRational::from_integer(pow10(1_234))).fits());
}

#[test]
fn grouping() {
    assert_eq!(group_thousands("151837"), "151,837");
    assert_eq!(group_thousands("-1234567.25"), "-1,234,567.25");
    assert_eq!(group_thousands("999"), "999");
    assert_eq!(group_thousands("1000"), "1,000");
}

/// The reference: num-rational's own rounding (`round` goes half away from
/// zero), and for ties to even, floor plus a comparison of the fraction with ½.
fn reference(x: &BigRational, decimals: u32, mode: Rounding) -> BigInt {
    let scaled = x * BigRational::from_integer(pow10(decimals));
    match mode {
        Rounding::HalfAwayFromZero => scaled.round().to_integer(),
        Rounding::HalfEven => {
            let floor = scaled.floor();
            let fraction = &scaled - &floor;
            let half = BigRational::new(BigInt::from(1), BigInt::from(2));
            let floor = floor.to_integer();
            match fraction.cmp(&half) {
                std::cmp::Ordering::Less => floor,
                std::cmp::Ordering::Greater => floor + 1,
                std::cmp::Ordering::Equal if floor.is_even() => floor,
                std::cmp::Ordering::Equal => floor + 1,
            }
        }
    }
}

/// The digits of a non-terminating value as the schoolbook does them: the
/// first significant digit found by multiplying by ten, then EXACT_DIGITS
/// digits truncated, and never fewer than EXACT_EXTRA_PLACES places. Slow, and
/// only a reference. A truncation that lands on the half-way point of the
/// integer part (`….500` for a value just above it) takes eight places more,
/// until it does not, as `to_exact_string` does (half-even would otherwise round
/// the text the other way from the value).
fn reference_exact_string(x: &BigRational) -> String {
    let magnitude = x.abs();
    let ten = BigRational::from_integer(BigInt::from(10));
    let mut places: i64 = i64::from(EXACT_DIGITS) - 1;
    let mut probe = magnitude.clone();
    while probe >= ten {
        probe /= &ten;
        places -= 1;
    }
    while probe < BigRational::one() {
        probe *= &ten;
        places += 1;
    }
    let mut places = places.max(i64::from(EXACT_EXTRA_PLACES)) as u32;
    let truncate =
        |places: u32| (&magnitude * BigRational::from_integer(pow10(places))).to_integer();
    let mut truncated = truncate(places);
    while BigRational::new(truncated.clone(), pow10(places)).fract()
        == BigRational::new(BigInt::one(), BigInt::from(2))
    {
        places += 8;
        truncated = truncate(places);
    }
    format_scaled(
        &if x.is_negative() {
            -truncated
        } else {
            truncated
        },
        places,
    )
}

proptest::proptest! {
    #[test]
    fn exact_strings_agree_with_a_reference(
        numer in -10_000_000_000i64..10_000_000_000,
        denom in 1i64..10_000_000,
        shift in -80i32..80,
    ) {
        let mut x = BigRational::new(BigInt::from(numer), BigInt::from(denom));
        if shift >= 0 {
            x *= BigRational::from_integer(pow10(shift as u32));
        } else {
            x /= BigRational::from_integer(pow10((-shift) as u32));
        }
        let exact = Exact(x.clone());
        if !x.is_integer() && terminating_places(&x).is_none() {
            proptest::prop_assert_eq!(exact.to_exact_string(), reference_exact_string(&x));
        }
    }

    #[test]
    fn rounding_agrees_with_a_reference_in_both_modes(
        numer in -10_000_000i64..10_000_000,
        denom in 1i64..100_000,
        // Exact ties are rare among random fractions: also try x/8, x/200 and the like.
        tie in proptest::bool::ANY,
        decimals in 0u32..6,
    ) {
        let denom = if tie { [2, 8, 20, 200, 2000][(denom % 5) as usize] } else { denom };
        let x = BigRational::new(BigInt::from(numer), BigInt::from(denom));
        for mode in [Away, Even] {
            let want = reference(&x, decimals, mode);
            let exact = Exact(x.clone());
            proptest::prop_assert_eq!(exact.round_scaled(decimals, mode), want.clone());
            let text = exact.to_fixed(decimals, mode);
            // The text has exactly `decimals` places, reads back as the rounded value,
            // and is never a negative zero.
            let places = text.split_once('.').map_or(0, |(_, f)| f.len());
            proptest::prop_assert_eq!(places, decimals as usize);
            proptest::prop_assert_eq!(
                Exact::parse_decimal(&text).unwrap().0,
                BigRational::new(want.clone(), pow10(decimals))
            );
            proptest::prop_assert!(!(text.starts_with('-') && want.is_zero()), "{}", text);
        }
    }

    #[test]
    fn rounding_of_values_past_128_bits_agrees_with_the_reference(
        numer in -10_000_000i64..10_000_000,
        denom in 1i64..100_000,
        shift in 40u32..60,
        decimals in 0u32..6,
    ) {
        // Numerators and denominators over 128 bits take the big-integer path,
        // ties (…5 at the last place) included.
        let big = BigRational::from_integer(pow10(shift));
        let tie = BigRational::new(BigInt::from(2 * numer + 1), BigInt::from(2 * 10i64.pow(decimals)));
        for x in [
            &tie + &big,
            &tie - &big,
            BigRational::new(BigInt::from(numer), BigInt::from(denom)) * &big,
            BigRational::new(BigInt::from(numer), BigInt::from(denom)) / &big,
            BigRational::new(BigInt::from(numer) * pow10(shift) + 1, BigInt::from(denom) * pow10(shift)),
        ] {
            for mode in [Away, Even] {
                proptest::prop_assert_eq!(Exact(x.clone()).round_scaled(decimals, mode), reference(&x, decimals, mode));
            }
        }
    }

    #[test]
    fn arithmetic_agrees_with_big_rationals_within_and_past_128_bits(
        a in proptest::num::i64::ANY,
        b in 1i64..i64::MAX,
        c in proptest::num::i64::ANY,
        d in 1i64..i64::MAX,
        shift in 0u32..30,
        negative_denominator in proptest::bool::ANY,
    ) {
        // Products of two i64 fractions reach 126 bits; scaled by up to 10^29 they
        // pass 128 bits and take the big-integer path.
        let scale = BigRational::from_integer(pow10(shift));
        let sign = if negative_denominator { -1 } else { 1 };
        let x = BigRational::new(BigInt::from(a), BigInt::from(b) * sign) * &scale;
        let y = BigRational::new(BigInt::from(c), BigInt::from(d));
        let (ex, ey) = (Exact(x.clone()), Exact(y.clone()));
        // The same numerator and denominator, not only the same value: reduced,
        // the denominator positive, as BigRational keeps them.
        let same = |got: &Exact, want: BigRational| {
            (got.0.numer(), got.0.denom()) == (want.numer(), want.denom())
        };
        proptest::prop_assert!(same(&(&ex + &ey), &x + &y));
        proptest::prop_assert!(same(&(&ex - &ey), &x - &y));
        proptest::prop_assert!(same(&(&ex * &ey), &x * &y));
        if !y.is_zero() {
            proptest::prop_assert!(same(&ex.checked_div(&ey).unwrap(), &x / &y));
        }
    }
}

/// Audit R7: 10^25 / 3 × 2 was shown as value "6666666666666666666666666.667" but
/// exact "6666666666666666666666666": less precise than the value, and looking
/// like a whole number.
#[test]
fn an_exact_string_that_does_not_terminate_rounds_to_the_value_shown() {
    let big = Exact(BigRational::new(pow10(25) * 2, BigInt::from(3)));
    assert_eq!(
        big.to_exact_string_for(3),
        "6666666666666666666666666.666666"
    );
    assert_eq!(
        big.to_fixed(3, Rounding::HalfAwayFromZero),
        "6666666666666666666666666.667"
    );
    assert_eq!(big.to_exact_string(), "6666666666666666666666666.666");
    // Small values keep their 24 significant digits, which are places enough.
    assert_eq!(
        ratio(1, 3).to_exact_string_for(2),
        "0.333333333333333333333333"
    );
    // Rounding the exact text gives the value, for any decimals.
    for decimals in [0, 1, 2, 5, 30] {
        for v in [
            &big,
            &ratio(-2, 3),
            &(&ratio(1335, 151837) * &Exact::from_int(1000)),
        ] {
            let text = v.to_exact_string_for(decimals);
            let back = Exact::parse_decimal(&text).unwrap();
            for mode in [Rounding::HalfAwayFromZero, Rounding::HalfEven] {
                assert_eq!(
                    back.to_fixed(decimals, mode),
                    v.to_fixed(decimals, mode),
                    "{text}"
                );
            }
        }
    }
    // A value that terminates is whole, whatever the decimals.
    assert_eq!(ex("12.5").to_exact_string_for(4), "12.5");
    assert_eq!(Exact::from_int(7).to_exact_string_for(4), "7");
}

/// Stop-21 audit: 0.125 + 1/(3×10^30) was exact "0.125000000000000000000000",
/// which half-even rounds to 0.12, beside the value 0.13: the truncation landed
/// on the half-way point. Past it, a digit shows the value is not a tie.
#[test]
fn an_exact_string_never_truncates_onto_a_tie() {
    let tiny = Exact(BigRational::new(BigInt::from(1), pow10(30) * 3));
    for (v, decimals) in [
        (&ex("0.125") + &tiny, 2),
        (&ex("-0.125") - &tiny, 2),
        (&ex("2.5") + &tiny, 0),
    ] {
        let text = v.to_exact_string_for(decimals);
        let back = Exact::parse_decimal(&text).unwrap();
        for mode in [Rounding::HalfAwayFromZero, Rounding::HalfEven] {
            assert_eq!(
                back.to_fixed(decimals, mode),
                v.to_fixed(decimals, mode),
                "{text}"
            );
        }
        assert!(text.trim_end_matches('0').ends_with('3'), "{text}");
    }
    // An ordinary value keeps its 24 digits.
    assert_eq!(
        ratio(1, 3).to_exact_string_for(2),
        "0.333333333333333333333333"
    );
}
