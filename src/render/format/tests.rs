/// A label `Sex | ratio` reached the table as `Sex \\| ratio`, which splits
/// the cell (found by an audit).
#[test]
fn a_table_cell_escapes_a_bar_once() {
    assert_eq!(super::table_cell("a|b"), "a\\|b");
    assert_eq!(super::table_cell("a\\|b"), "a\\|b");
    assert_eq!(super::table_cell("a\\\\|b"), "a\\\\\\|b");
    assert_eq!(super::table_cell("a\nb"), "a b");
}

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn periods() {
    assert_eq!(
        period(d(2005, 10, 1), d(2006, 9, 30), Lang::Zh),
        "2005年10月至2006年9月"
    );
    assert_eq!(
        period(d(2005, 10, 1), d(2006, 9, 30), Lang::En),
        "October 2005 – September 2006"
    );
    assert_eq!(
        period(d(2006, 1, 15), d(2006, 12, 31), Lang::En),
        "15 January 2006 – 31 December 2006"
    );
    assert_eq!(
        period(d(2006, 1, 15), d(2006, 12, 31), Lang::Zh),
        "2006年1月15日至2006年12月31日"
    );
}

#[test]
fn numbers_and_units() {
    let persons = Unit {
        zh: "人".into(),
        en: "persons".into(),
    };
    let permille = Unit {
        zh: "‰".into(),
        en: "‰".into(),
    };
    assert_eq!(
        with_unit(&number("151837", Lang::Zh), &persons, Lang::Zh),
        "151837人"
    );
    assert_eq!(
        with_unit(&number("151837", Lang::En), &persons, Lang::En),
        "151,837 persons"
    );
    assert_eq!(with_unit("8.79", &permille, Lang::En), "8.79‰");
    assert_eq!(with_unit(UNDEFINED, &permille, Lang::En), "—");
}

#[test]
fn outline_numbers_follow_the_four_levels() {
    assert_eq!(outline(2, 1, Lang::Zh), "二、");
    assert_eq!(outline(3, 2, Lang::Zh), "（三）");
    assert_eq!(outline(4, 3, Lang::Zh), "4.");
    assert_eq!(outline(5, 4, Lang::Zh), "（5）");
    assert_eq!(outline(4, 1, Lang::En), "IV. ");
    assert_eq!(outline(14, 1, Lang::En), "XIV. ");
    assert_eq!(outline(2, 2, Lang::En), "2. ");
    assert_eq!(outline(3, 3, Lang::En), "(3) ");
    assert_eq!(outline(28, 4, Lang::En), "(ab) ");
}

#[test]
fn numerals() {
    assert_eq!(chinese_numeral(1), "一");
    assert_eq!(chinese_numeral(10), "十");
    assert_eq!(chinese_numeral(12), "十二");
    assert_eq!(chinese_numeral(20), "二十");
    assert_eq!(chinese_numeral(35), "三十五");
    for (n, read) in [
        (0, "零"),
        (11, "十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (200, "二百"),
        (1000, "一千"),
        (1005, "一千零五"),
        (1010, "一千零一十"),
        (1050, "一千零五十"),
        (1500, "一千五百"),
        (9999, "九千九百九十九"),
        (10000, "一万"),
        (10001, "一万零一"),
        (10010, "一万零一十"),
        (10100, "一万零一百"),
        (11000, "一万一千"),
        (100000, "十万"),
        (110000, "十一万"),
        (101000, "十万一千"),
        (1000100, "一百万零一百"),
        (12345678, "一千二百三十四万五千六百七十八"),
        (100000000, "一亿"),
        (100000001, "一亿零一"),
        (100010000, "一亿零一万"),
        (100100000, "一亿零一十万"),
        (110000000, "一亿一千万"),
        (1000000000, "十亿"),
        (1000000000000, "一万亿"),
        (1000100000000, "一万零一亿"),
        (10000000000000000, "一亿亿"),
    ] {
        assert_eq!(chinese_numeral(n), read, "{n}");
    }
    assert_eq!(
        chinese_numeral(u64::MAX),
        "一千八百四十四亿六千七百四十四万零七百三十七亿零九百五十五万一千六百一十五"
    );
}

#[test]
fn signed_changes() {
    let m = Rounding::HalfAwayFromZero;
    assert_eq!(
        signed(&Exact::parse_decimal("1.284").unwrap(), 2, m, Lang::En),
        "+1.28"
    );
    assert_eq!(
        signed(&Exact::parse_decimal("-0.125").unwrap(), 2, m, Lang::En),
        "-0.13"
    );
    assert_eq!(
        signed(&Exact::parse_decimal("-0.001").unwrap(), 2, m, Lang::En),
        "0.00"
    );
    assert_eq!(
        signed(&Exact::parse_decimal("1234").unwrap(), 0, m, Lang::En),
        "+1,234"
    );
}
