//! Formatting for each language: numbers (grouped in English, plain in Chinese),
//! values with units, periods and Chinese numerals. Values arrive as exact numbers
//! and are rounded exactly once, here.

use chrono::{Datelike, NaiveDate};

use crate::compute::change::{Change, ChangeKind, Direction};
use crate::exact::{Exact, Rounding, group_thousands};
use crate::i18n::Lang;
use crate::model::{MetricDef, Unit};

/// The mark for an undefined value.
pub const UNDEFINED: &str = "—";

/// A number for running text: `151837` in Chinese, `151,837` in English.
pub fn number(plain: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => plain.to_string(),
        Lang::En => group_thousands(plain),
    }
}

/// A value rounded to `decimals` and formatted for `lang`, or "—".
pub fn value(v: Option<&Exact>, decimals: u32, mode: Rounding, lang: Lang) -> String {
    match v {
        Some(v) => number(&v.to_fixed(decimals, mode), lang),
        None => UNDEFINED.to_string(),
    }
}

/// A formatted number with its unit: `151837人`, `8.79‰`, `151,837 persons`.
pub fn with_unit(num: &str, unit: &Unit, lang: Lang) -> String {
    let u = unit.get(lang);
    if num == UNDEFINED || u.is_empty() {
        return num.to_string();
    }
    let attached = matches!(u, "%" | "‰" | "％" | "‱") || lang == Lang::Zh;
    if attached {
        format!("{num}{u}")
    } else {
        format!("{num} {u}")
    }
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A reporting period: `2005年10月至2006年9月`, `October 2005 – September 2006`.
/// Whole months are written as months; other periods name the days.
pub fn period(start: NaiveDate, end: NaiveDate, lang: Lang) -> String {
    let whole_months = start.day() == 1 && end.succ_opt().is_none_or(|next| next.day() == 1);
    let month_en = |d: NaiveDate| EN_MONTHS[d.month0() as usize];
    match (lang, whole_months) {
        (Lang::Zh, true) => format!(
            "{}年{}月至{}年{}月",
            start.year(),
            start.month(),
            end.year(),
            end.month()
        ),
        (Lang::Zh, false) => format!(
            "{}年{}月{}日至{}年{}月{}日",
            start.year(),
            start.month(),
            start.day(),
            end.year(),
            end.month(),
            end.day()
        ),
        (Lang::En, true) => format!(
            "{} {} – {} {}",
            month_en(start),
            start.year(),
            month_en(end),
            end.year()
        ),
        (Lang::En, false) => format!(
            "{} {} {} – {} {} {}",
            start.day(),
            month_en(start),
            start.year(),
            end.day(),
            month_en(end),
            end.year()
        ),
    }
}

/// A date for running text: `2006年9月30日`, `30 September 2006`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => format!(
            "{} {} {}",
            d.day(),
            EN_MONTHS[d.month0() as usize],
            d.year()
        ),
    }
}

/// The arrow of a change: `↑` up, `↓` down, `→` unchanged at the shown decimals;
/// nothing without a change (no previous value, or an undefined one).
pub fn arrow(direction: Option<Direction>) -> &'static str {
    match direction {
        Some(Direction::Up) => "↑",
        Some(Direction::Down) => "↓",
        Some(Direction::Flat) => "→",
        None => "",
    }
}

/// A change as a table shows it: the arrow (see [`arrow`]), the signed change, and
/// whether that is for the better, in words, so that the cue is not a colour alone:
/// `↓ -0.34个千分点，向好`, `↑ +0.72 pp, better`, `→ 0.00%`, `—`. The report's
/// indicator table and `nianbao diff` write it alike.
pub fn trend(arrow: &str, change: &str, good: Option<bool>, lang: Lang) -> String {
    let w = lang.words();
    let mut out = String::with_capacity(change.len() + 24);
    if !arrow.is_empty() {
        out.push_str(arrow);
        out.push(' ');
    }
    out.push_str(change);
    if let Some(good) = good {
        out.push_str(verdict_separator(lang));
        out.push_str(if good { w.better } else { w.worse });
    }
    out
}

/// What separates a change from its verdict: `，` in Chinese, `, ` in English.
pub fn verdict_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "，",
        Lang::En => ", ",
    }
}

/// Whether a table cell's text is a [`trend`] and its verdict: `Some(true)` for a
/// change for the better, `Some(false)` for the worse, `None` for any other text
/// (the HTML page colours the first two).
pub fn trend_verdict(cell: &str) -> Option<bool> {
    if !["↑ ", "↓ ", "→ "].iter().any(|a| cell.starts_with(a)) {
        return None;
    }
    Lang::ALL.iter().find_map(|&lang| {
        let w = lang.words();
        let verdict = cell
            .trim_end()
            .strip_suffix(w.better)
            .map(|rest| (rest, true));
        let verdict = verdict.or_else(|| {
            cell.trim_end()
                .strip_suffix(w.worse)
                .map(|rest| (rest, false))
        });
        match verdict {
            Some((rest, good)) if rest.ends_with(verdict_separator(lang)) => Some(good),
            _ => None,
        }
    })
}

/// A Chinese numeral, as a number is read out: 1 → 一, 10 → 十, 12 → 十二,
/// 110 → 一百一十, 1005 → 一千零五, 10000 → 一万, 100000 → 十万, 100010000 → 一亿零一万.
/// Digits go by 千 百 十 within each group of four, the groups by 万 and 亿 (亿 again
/// for 10¹⁶, after 万亿); a run of zeros inside is one 零, trailing zeros are not read,
/// and a number that starts with 一十 starts with 十.
pub fn chinese_numeral(n: u64) -> String {
    if n == 0 {
        return "零".to_string();
    }
    let mut out = String::new();
    push_chinese_numeral(&mut out, n);
    // 10–19 at the head of the number: 十, 十二, 十万, 十亿; inside it, 一百一十.
    match out.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => out,
    }
}

const CN_DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// `n` (not 0) read out in full, every 十 with its digit (一十).
fn push_chinese_numeral(out: &mut String, n: u64) {
    const YI: u64 = 100_000_000;
    const WAN: u64 = 10_000;
    let (high, unit, low, step) = if n >= YI {
        (n / YI, "亿", n % YI, YI)
    } else if n >= WAN {
        (n / WAN, "万", n % WAN, WAN)
    } else {
        push_four(out, n);
        return;
    };
    push_chinese_numeral(out, high);
    out.push_str(unit);
    if low > 0 {
        // A gap before the rest's first digit is read as 零: 一万零五, 一亿零一万.
        if low < step / 10 {
            out.push('零');
        }
        push_chinese_numeral(out, low);
    }
}

/// A number under 10000 (not 0) by 千 百 十: 1005 → 一千零五, 1050 → 一千零五十.
fn push_four(out: &mut String, n: u64) {
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let mut started = false;
    let mut gap = false;
    for (d, unit) in digits.into_iter().zip(UNITS) {
        if d == 0 {
            gap |= started;
            continue;
        }
        if gap {
            out.push('零');
            gap = false;
        }
        out.push_str(CN_DIGITS[d as usize]);
        out.push_str(unit);
        started = true;
    }
}

/// The number of a heading at one of the four levels of an official document
/// (GB/T 9704-2012 7.3.3): `一、` `（一）` `1.` `（1）` in Chinese; `I. ` `1. ` `(1) `
/// `(a) ` in English, each with what separates it from the heading.
pub fn outline(n: u64, level: u8, lang: Lang) -> String {
    match (lang, level) {
        (Lang::Zh, 1) => format!("{}、", chinese_numeral(n)),
        (Lang::Zh, 2) => format!("（{}）", chinese_numeral(n)),
        (Lang::Zh, 3) => format!("{n}."),
        (Lang::Zh, _) => format!("（{n}）"),
        (Lang::En, 1) => format!("{}. ", roman(n)),
        (Lang::En, 2) => format!("{n}. "),
        (Lang::En, 3) => format!("({n}) "),
        (Lang::En, _) => format!("({}) ", letter(n)),
    }
}

/// An upper-case Roman numeral (1 → I, 14 → XIV); the number itself past 3999.
fn roman(n: u64) -> String {
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    const PLACES: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (value, digits) in PLACES {
        while rest >= value {
            out.push_str(digits);
            rest -= value;
        }
    }
    out
}

/// A lower-case letter for a number: 1 → a, 26 → z, 27 → aa.
fn letter(n: u64) -> String {
    let mut n = n.max(1);
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    out.iter().rev().collect()
}

/// A change between two values in the metric's own unit, with sign, rounded once:
/// `+1.28`, `-0.13`, `0.00`.
pub fn signed(delta: &Exact, decimals: u32, mode: Rounding, lang: Lang) -> String {
    let plain = delta.to_fixed(decimals, mode);
    let formatted = number(&plain, lang);
    if plain.starts_with('-') || plain.chars().all(|c| c == '0' || c == '.') {
        formatted
    } else {
        format!("+{formatted}")
    }
}

/// Text for a Markdown table cell: a `|` must not split the cell, nor a line
/// break end the row.
pub fn table_cell(s: &str) -> String {
    // A `|` already escaped (text from the data is, `\|`) is left as it is:
    // escaped again, `\\|` is a backslash and then a cell's end.
    let mut out = String::with_capacity(s.len() + 2);
    let mut backslashes = 0usize;
    for ch in s.chars() {
        match ch {
            '|' if backslashes.is_multiple_of(2) => out.push_str("\\|"),
            '\n' => out.push(' '),
            _ => out.push(ch),
        }
        backslashes = if ch == '\\' { backslashes + 1 } else { 0 };
    }
    out
}

/// A relative change for running text: `0.5`, at one decimal, `0.0` too when it
/// rounds to zero (a count's change always has both parts, as in `diff` and the
/// workbook); `None` only when there is none (last year was zero).
fn relative_text(c: &Change, mode: Rounding, lang: Lang) -> Option<String> {
    let r = c.relative.as_ref()?.abs().to_fixed(1, mode);
    Some(number(&r, lang))
}

/// Last year's change as running text says it: `提高0.72个百分点` / `up 0.72 points`,
/// `增加768人，增长0.5%` / `up 768 (0.5%)`, `持平` / `unchanged`, or "—" when there
/// is no previous year or either value is undefined.
pub fn change_phrase(
    def: &MetricDef,
    change: Option<&Change>,
    mode: Rounding,
    lang: Lang,
) -> String {
    let Some(c) = change else {
        return UNDEFINED.into();
    };
    let w = lang.words();
    if c.direction == Direction::Flat {
        return w.unchanged.into();
    }
    let up = c.direction == Direction::Up;
    let magnitude = number(&c.shown.abs().to_fixed(def.decimals, mode), lang);
    let points = match c.kind {
        ChangeKind::PermillePoints => w.permille_points_text,
        _ => w.percent_points_text,
    };
    let relative = relative_text(c, mode, lang);
    match (lang, c.kind) {
        (_, ChangeKind::PercentPoints | ChangeKind::PermillePoints) => format!(
            "{}{}{magnitude}{}{points}",
            if up { w.rate_up } else { w.rate_down },
            w.space,
            w.space
        ),
        (Lang::Zh, ChangeKind::Amount) => {
            let amount = with_unit(&magnitude, &def.unit, lang);
            let verb = if up { w.count_up } else { w.count_down };
            match relative {
                Some(rel) => format!(
                    "{verb}{amount}{}{}{rel}%",
                    w.comma,
                    if up { w.grew } else { w.fell }
                ),
                None => format!("{verb}{amount}"),
            }
        }
        (Lang::En, ChangeKind::Amount) => {
            let verb = if up { w.count_up } else { w.count_down };
            match relative {
                Some(rel) => format!("{verb} {magnitude} ({rel}%)"),
                None => format!("{verb} {magnitude}"),
            }
        }
        (Lang::Zh, ChangeKind::Level) => format!(
            "{}{}",
            if up { w.rate_up } else { w.rate_down },
            with_unit(&magnitude, &def.unit, lang)
        ),
        (Lang::En, ChangeKind::Level) => {
            format!("{} {magnitude}", if up { w.rate_up } else { w.rate_down })
        }
    }
}

/// Last year's change as a signed number with the unit of the change:
/// `+0.72个百分点` / `+0.72 pp`, `+0.72个千分点` / `+0.72 ‰ pts`, `+768人` /
/// `+768 persons`; "—" when there is none.
pub fn change_signed(
    def: &MetricDef,
    change: Option<&Change>,
    mode: Rounding,
    lang: Lang,
) -> String {
    let Some(c) = change else {
        return UNDEFINED.into();
    };
    let w = lang.words();
    let n = signed(&c.shown, def.decimals, mode, lang);
    match c.kind {
        ChangeKind::PercentPoints => format!("{n}{}{}", w.space, w.percent_points),
        ChangeKind::PermillePoints => format!("{n}{}{}", w.space, w.permille_points_short),
        ChangeKind::Amount | ChangeKind::Level => with_unit(&n, &def.unit, lang),
    }
}

/// The change column of a table, written by this one function for the report's
/// indicator table (`metric.<name>.trend`) and every format of `nianbao diff`, so
/// that the two never word a change differently (an audit found `+0.54 ‰ pts`
/// beside `+0.54 per-mille points`): the arrow, the signed change with the unit of
/// the change ([`change_signed`]), for a count its relative change too (PRODUCT.md:
/// counts get both), and the verdict. `↓ -0.34个千分点，向好`, `↑ +0.72 pp, better`,
/// `↑ +767人（+0.5%）`, `↑ +767 persons (+0.5%)`, `→ 0.00 pp`, `—`.
pub fn change_cell(def: &MetricDef, change: Option<&Change>, mode: Rounding, lang: Lang) -> String {
    let Some(c) = change else {
        return UNDEFINED.into();
    };
    let mut amount = change_signed(def, Some(c), mode, lang);
    if let Some(r) = &c.relative {
        let rel = signed(r, 1, mode, lang);
        match lang {
            Lang::Zh => amount.push_str(&format!("（{rel}%）")),
            Lang::En => amount.push_str(&format!(" ({rel}%)")),
        }
    }
    trend(arrow(Some(c.direction)), &amount, c.good, lang)
}

#[cfg(test)]
mod tests;
