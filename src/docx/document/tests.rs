use super::super::markdown::Table;
use super::super::measure;
use super::super::props::Jc;
use super::widths::*;
use super::*;

/// Found by an audit: every column was divided by the same factor, so
/// `152604人` broke before its unit while the long columns had room to wrap.
#[test]
fn short_columns_keep_their_width_in_a_crowded_table() {
    let md = "| 指标 | 本年 | 上年 | 增减 |\n| --- | ---: | ---: | ---: |\n\
              | 独生子女领证占一孩比例甲乙丙 | 152604人 | 151837人 | ↑ +0.48个百分点，向好，向好 |\n";
    let b = blocks(md, &|_| false, "");
    let Some(Block::Table(t)) = b.iter().find(|b| matches!(b, Block::Table(_))) else {
        panic!("no table in {b:?}");
    };
    let (w, fit) = column_widths(t, 4, 8845, 28);
    assert_eq!(fit.size, 28);
    assert_eq!(w.iter().sum::<i64>(), 8845);
    // "152604人" is 8 columns wide, with 2 of padding.
    assert!(w[1] >= 10 * 140 && w[2] >= 10 * 140, "{w:?}");
    assert!(w[0] > w[1] && w[3] > w[1], "{w:?}");
}
use crate::docx::markdown::{blocks, read};
use crate::i18n::Lang;

fn body(md: &str, lang: Lang) -> String {
    let layout = Layout::default();
    let faces = Faces::new(lang, &layout);
    let b = read(md, &|_| false, "", true);
    let rels = Rels {
        footer_odd: "rId4".into(),
        footer_even: "rId5".into(),
        first_chart: 6,
    };
    document(
        &b,
        &BTreeMap::new(),
        None,
        &faces,
        &layout,
        &layout.measures(),
        &rels,
    )
    .xml
}

#[test]
fn headings_get_their_styles() {
    let s = body(
        "# T\n\nsub\n\n## 一\n\n### 二\n\n#### 三\n\n##### 四\n\nbody\n",
        Lang::Zh,
    );
    for id in [
        "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Heading4",
    ] {
        assert!(s.contains(&format!("<w:pStyle w:val=\"{id}\"/>")), "{id}");
    }
    assert!(s.contains("w:eastAsia=\"黑体\"") && s.contains("w:eastAsia=\"楷体_GB2312\""));
}

#[test]
fn text_is_escaped() {
    let s = body("a <b> & \"c\"\n", Lang::En);
    assert!(s.contains("a &lt;b&gt; &amp; &quot;c&quot;"), "{s}");
}

#[test]
fn numeric_columns_are_right_aligned_and_the_header_repeats() {
    let s = body(
        "| 指标 | 数值 |\n| --- | ---: |\n| 总人口 | 151837人 |\n",
        Lang::Zh,
    );
    let cell = s.find(">151837<").expect("cell");
    let para = s[..cell].rfind("<w:p>").expect("paragraph");
    assert!(
        s[para..cell].contains("<w:jc w:val=\"right\"/>"),
        "{}",
        &s[para..cell]
    );
    assert!(s.contains("<w:tblHeader/>"));
    assert!(s.contains("<w:tblW w:w=\"8845\" w:type=\"dxa\"/>"));
}

#[test]
fn chinese_is_condensed_and_numbers_are_not() {
    let s = body("总人口151837人\n", Lang::Zh);
    assert!(s.contains("<w:r><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\" w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/><w:spacing w:val=\"0\"/></w:rPr><w:t xml:space=\"preserve\">151837</w:t></w:r>"), "{s}");
    assert!(s.contains(">总人口</w:t>") && s.contains(">人</w:t>"));
    assert!(!body("Total 151837\n", Lang::En).contains("w:spacing w:val"));
}

#[test]
fn a_long_subtitle_breaks_after_the_organisation() {
    let long = "区人口和计划生育委员会 · 统计时段：2005年10月至2006年9月";
    let s = body(&format!("# T\n\n{long}\n\nx\n"), Lang::Zh);
    assert!(s.contains("委员会</w:t></w:r><w:r><w:br/></w:r>"), "{s}");
    let s = body("# T\n\nOrg · 2006\n\nx\n", Lang::Zh);
    assert!(!s.contains("<w:br/>"));
}

fn sig(organisation: &str, date: &str) -> Signature {
    Signature {
        organisation: organisation.into(),
        date: date.into(),
    }
}

fn rights(ind: [Ind; 2]) -> [(i64, i64); 2] {
    ind.map(|i| i.right.unwrap_or_default())
}

#[test]
fn the_signature_follows_gb_t_9704_7_3_5_2() {
    let l = Layout::default();
    // 11 characters; the date 年月日 and eight half-width digits, 7. The
    // organisation 2 from the right, the date's first character 2 right of
    // the organisation's: 11 - 2 - 7 = 2 more, 4 from the right.
    let s = sig("区人口和计划生育委员会", "2006年12月20日");
    assert_eq!(
        rights(signature_indents(&s, true, &l)),
        [(200, 640), (400, 1280)]
    );
    // A date longer than the organisation: the date 2 from the right, the
    // organisation 2 + (7 + 2 - 4) = 7 characters.
    let s = sig("区政府办", "2006年12月20日");
    assert_eq!(
        rights(signature_indents(&s, true, &l)),
        [(700, 2240), (200, 640)]
    );
    // Half characters: `2006年1月5日` is 6 characters.
    let s = sig("区人口和计划生育委员会", "2006年1月5日");
    assert_eq!(
        rights(signature_indents(&s, true, &l)).map(|r| r.0),
        [200, 500]
    );
    // Characters and twips agree: 320 twips a character of 16 pt.
    for r in rights(signature_indents(&s, true, &l)) {
        assert_eq!(r.0 * 320, r.1 * 100);
    }
}

#[test]
fn english_signature_lines_are_both_two_characters_in_and_give_way() {
    let l = Layout::default();
    let s = sig("District Commission", "20 December 2006");
    assert_eq!(rights(signature_indents(&s, false, &l)), [(200, 640); 2]);
    // 53 half characters on a line of 56: one half character of indent left.
    let long = sig(
        "District Population and Family Planning Commission ab",
        "20 December 2006",
    );
    assert_eq!(
        rights(signature_indents(&long, false, &l)),
        [(150, 480), (200, 640)]
    );
}

/// Found by an audit: a 36-character organisation got no indent and the date
/// one of 21 characters, squeezed into a column at the left.
#[test]
fn a_long_organisation_wraps_and_the_date_stays_right_beneath_it() {
    let l = Layout::default();
    let s = sig(
        "某某省某某市某某区某某街道办事处社区服务中心党委与居民委员会联合办公室",
        "2025年12月28日",
    );
    for zh in [true, false] {
        assert_eq!(rights(signature_indents(&s, zh, &l)), [(200, 640); 2]);
    }
    // 27 characters and two of space are more than a line of 28: it wraps
    // rather than give up the space GB/T 9704 asks for; 26 do not.
    let s = sig(&"某".repeat(27), "2025年12月28日");
    assert_eq!(rights(signature_indents(&s, true, &l)), [(200, 640); 2]);
    let s = sig(&"某".repeat(26), "2025年12月28日");
    assert_eq!(
        rights(signature_indents(&s, true, &l)),
        [(200, 640), (1900, 6080)]
    );
}

#[test]
fn section_has_the_page_and_grid() {
    let s = body("x\n", Lang::Zh);
    assert!(s.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(s.contains("w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""));
    assert!(s.contains("<w:docGrid w:type=\"lines\" w:linePitch=\"579\" w:charSpace=\"-842\"/>"));
}

/// Found by an audit: the English banner read "Preliminary The figures in
/// this report are…", all bold, and its box stuck out past the left margin.
#[test]
fn the_banner_sets_its_label_apart() {
    let md = "# T\n\nsub\n\n> **Preliminary** The figures are preliminary.\n\nx\n";
    let s = body(md, Lang::En);
    let at = s.find("<w:pStyle w:val=\"Banner\"/>").expect("banner");
    let banner = &s[at..s[at..].find("</w:p>").map_or(s.len(), |e| at + e)];
    assert!(
        banner.contains("<w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">Preliminary:</w:t>"),
        "{banner}"
    );
    let text = banner.find("> The figures").expect("text");
    let run = banner[..text].rfind("<w:r>").expect("run");
    assert!(!banner[run..text].contains("<w:b/>"), "{banner}");
    let s = body("# T\n\n> **快报** 本报告数据为快报数。\n", Lang::Zh);
    assert!(
        s.contains(">快报：</w:t>") && s.contains(">本报告数据为快报数。</w:t>"),
        "{s}"
    );
    // The label's run is 黑体, the text's the body font.
    let label = s.find(">快报：").expect("label");
    assert!(
        s[..label]
            .rfind("w:eastAsia=")
            .is_some_and(|i| s[i..label].starts_with("w:eastAsia=\"黑体\""))
    );
}

#[test]
fn a_banner_without_a_bold_label_or_with_its_own_colon_is_kept() {
    for (md, zh) in [
        ("> **快报：** 本报告", true),
        ("> 本报告 **数据** 为快报数", true),
        ("> **Note:** text", false),
        ("> **Note**", false),
    ] {
        let b = blocks(md, &|_| false, "");
        let Some(Block::Banner(inl) | Block::Quote(inl)) = b.first() else {
            panic!("{b:?}");
        };
        assert_eq!(&banner_label(inl, zh), inl, "{md}");
    }
}

fn first_table(md: &str) -> Table {
    let b = blocks(md, &|_| false, "");
    match b.into_iter().find(|b| matches!(b, Block::Table(_))) {
        Some(Block::Table(t)) => t,
        other => panic!("no table in {other:?}"),
    }
}

/// Found by an audit: with a long label, every column shrank alike and
/// `2134567.89万元` broke as `2134567.8` / `9万元`, `+0.3个百分 / 点，向好`.
#[test]
fn value_columns_are_at_least_as_wide_as_a_number_with_its_unit() {
    let md = "| 指标 | 本年 | 上年 | 增减 |\n| --- | ---: | ---: | ---: |\n\
              | 年度经费支出（含专项资金、转移支付及社会捐赠等各类来源的合计数） | 2134567.89万元 | 2034567.89万元 | ↑ +100000.00万元 |\n\
              | 服务事项办结率 | 97.0% | 96.7% | ↑ +0.3个百分点，向好 |\n";
    let t = first_table(md);
    let (w, fit) = column_widths(&t, 4, 8845, 28);
    assert_eq!(w.iter().sum::<i64>(), 8845);
    for (i, text) in [
        (1, "2134567.89万元"),
        (2, "2034567.89万元"),
        (3, "↑ +100000.00万元"),
    ] {
        assert!(w[i] >= cell_twips(measure::width(text), fit), "{i} {w:?}");
    }
    // The change breaks after its comma, by hand, if at all.
    let cell = wrap_value(&t.rows[1][3], w[3], fit, false);
    let text: Vec<String> = cell
        .iter()
        .map(|i| match i {
            Inline::Span(s) => s.text.clone(),
            Inline::Break => "\n".into(),
            Inline::Note(_) => String::new(),
        })
        .collect();
    let text = text.concat();
    assert!(
        text == "↑ +0.3个百分点，向好" || text == "↑ +0.3个百分点，\n向好",
        "{text:?}"
    );
    let narrow = wrap_value(
        &t.rows[1][3],
        cell_twips(measure::width("↑ +0.3个百分点，"), fit),
        fit,
        false,
    );
    assert!(matches!(narrow.get(1), Some(Inline::Break)), "{narrow:?}");
}

/// When the numbers cannot all fit at 四号, the table is set smaller rather
/// than break them; its runs and lines say so.
#[test]
fn a_table_too_wide_for_its_numbers_is_set_smaller() {
    let md = "| Indicator | This year | Last year | Change |\n| --- | ---: | ---: | ---: |\n\
              | Annual expenditure | 2,134,567.89 10k yuan | 2,034,567.89 10k yuan | ↑ +100,000.00 10k yuan |\n";
    let t = first_table(md);
    let (w, fit) = column_widths(&t, 4, 8845, 28);
    let size = fit.size;
    assert!(size < 28, "{size}");
    assert!(
        w[1] >= cell_twips(measure::width("2,134,567.89 10k yuan"), fit),
        "{w:?}"
    );
    let s = body(md, Lang::En);
    assert!(s.contains(&format!("<w:sz w:val=\"{size}\"/>")), "{s}");
    assert!(
        s.contains(&format!("w:line=\"{}\" w:lineRule=\"exact\"", size * 15)),
        "{s}"
    );
    // A table that fits keeps the style's size.
    let s = body("| a | b |\n| --- | ---: |\n| x | 1人 |\n", Lang::Zh);
    assert!(!s.contains("<w:sz "), "{s}");
}

/// Found by an audit: the 2007 English targets table's header was measured
/// with regular metrics, and its last column, as wide as "Result" in Times
/// Roman, wrapped it in bold as `Resul` / `t`.
#[test]
// Bold ranges are lists of byte ranges, one here.
#[allow(clippy::single_range_in_vec_init)]
fn bold_headers_are_measured_bold() {
    let md = "| Indicator | Target | Actual | Result |\n| --- | --- | ---: | --- |\n\
              | Policy compliance rate | at least 95% | 97.05% | ✓ met |\n\
              | Contraceptive prevalence | at least 90% | 92.26% | ✓ met |\n\
              | Sex ratio at birth | at most 110 boys per 100 girls | 111.13 boys per 100 girls | ✗ not met |\n\
              | Crude birth rate | at most 9.5‰ | 8.45‰ | ✓ met |\n";
    let t = first_table(md);
    let (w, fit) = column_widths(&t, 4, 8845, 28);
    let bold = measure::styled_width("Result", 0, &[0..6]);
    assert_eq!((bold, measure::width("Result")), (2722, 2556));
    assert!(w[3] >= cell_twips(bold, fit), "{w:?}");
    // A bold span in a body cell counts as bold too.
    assert_eq!(styled(&t.header[3], true), ("Result".into(), vec![0..6]));
    let b = blocks("| a |\n| --- |\n| x **Result** |\n", &|_| false, "");
    let Some(Block::Table(t)) = b.first() else {
        panic!("{b:?}");
    };
    assert_eq!(
        styled(&t.rows[0][0], false),
        ("x Result".into(), vec![2..8])
    );
}

/// Found in the 2007 English targets table: Target and Actual each took
/// three lines beside labels with room to spare, as widening either alone
/// saved no row a line.
#[test]
fn room_goes_where_it_saves_cells_lines_when_no_row_gets_shorter() {
    let md = "| Indicator | Target | Actual | Result |\n| --- | --- | ---: | --- |\n\
              | Policy compliance rate | at least 95% | 97.05% | ✓ met |\n\
              | Sex ratio at birth | at most 110 boys per 100 girls | 111.13 boys per 100 girls | ✗ not met |\n";
    let t = first_table(md);
    let (w, fit) = column_widths(&t, 4, 8845, 28);
    let lines = |text: &str, col: usize| {
        measure::Measured::new(text, col == 0, &[]).lines(|x| cell_twips(x, fit) <= w[col])
    };
    assert!(lines("at most 110 boys per 100 girls", 1) <= 2, "{w:?}");
    assert!(lines("111.13 boys per 100 girls", 2) <= 2, "{w:?}");
    assert_eq!(lines("Sex ratio at birth", 0), 1, "{w:?}");
}

/// Found by an audit: a crowded table went to a smaller size, and a
/// 12-column one broke its numbers at 小五 (`98.7` / `6%`), while 108-twip
/// margins either side took 29% of its width.
#[test]
fn crowded_tables_narrow_their_margins_before_breaking_numbers() {
    // Fits at 四号 with 0.75 mm margins, not with the style's.
    let md = "| 指标 | 本年 | 上年 | 增减 |\n| --- | ---: | ---: | ---: |\n\
              | 年度经费支出（含专项资金、转移支付及社会捐赠等各类来源的合计数） | 2134567.89万元 | 2034567.89万元 | ↑ +100000.00万元 |\n";
    let (w, fit) = column_widths(&first_table(md), 4, 8845, 28);
    assert_eq!(
        fit,
        Fit {
            size: 28,
            margins: NARROW_MARGINS
        }
    );
    assert!(
        w[3] >= cell_twips(measure::width("↑ +100000.00万元"), fit),
        "{w:?}"
    );
    let s = body(md, Lang::Zh);
    assert!(
        s.contains(
            "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"43\" w:type=\"dxa\"/>"
        ),
        "{s}"
    );
    assert!(!s.contains("<w:sz "), "{s}");
    // A table that fits keeps the style's margins, and writes none.
    assert!(!body("| a | b |\n| --- | ---: |\n| x | 1人 |\n", Lang::Zh).contains("tblCellMar"));

    // Too wide even so: the widest columns give way, and the others'
    // numbers stay whole.
    let md = "| 甲 | 乙 | 丙 | 丁 | 戊 | 己 | 庚 | 辛 | 壬 | 癸 | 子 | 丑 |\n\
              | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n\
              | 很长很长的行标签名称 | 1234567.89万元 | 2345678.12万元 | 98.76% | 12345人 | 67890人 | 111.11 | 0.12‰ | 3456789 | 45678.9 | 100% | 99.99% |\n\
              | 第二行 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 |\n";
    let t = first_table(md);
    let (w, fit) = column_widths(&t, 12, 8845, 28);
    assert_eq!(
        fit,
        Fit {
            size: 18,
            margins: NARROW_MARGINS
        }
    );
    assert_eq!(w.iter().sum::<i64>(), 8845);
    for (i, cell) in t.rows[0].iter().enumerate().skip(3) {
        let text = plain(cell);
        assert!(
            w[i] >= cell_twips(measure::width(&text), fit),
            "{text} {w:?}"
        );
    }
    // The two widest keep their number whole, if not its unit.
    for i in [1, 2] {
        assert!(
            w[i] >= cell_twips(measure::width("1234567.89"), fit),
            "{w:?}"
        );
    }
}

#[test]
fn cutting_the_widest_columns_keeps_the_others() {
    assert_eq!(cut_widest(&[100, 500, 400, 200], 900), [100, 300, 300, 200]);
    assert_eq!(cut_widest(&[100, 200], 1000), [100, 200]);
    assert_eq!(cut_widest(&[], 10), Vec::<i64>::new());
    assert_eq!(cut_widest(&[5, 5], 0), [0, 0]);
}

/// Found by an audit: right-aligned, the date started 0.84 characters right
/// of the organisation in LibreOffice, which widens it by the space between
/// Chinese and digits; from the left it starts two characters right
/// whatever its width.
#[test]
fn the_chinese_signature_is_placed_from_the_left() {
    let l = Layout::default();
    let lefts = |s: &Signature| {
        signature_from_left(s, &l, signature_indents(s, true, &l)).map(|(i, jc)| {
            assert_eq!(jc, Some(Jc::Left));
            i.left.unwrap_or_default().1
        })
    };
    // 11 characters at the line's pitch (8845 / 28 twips), 2 from the margin.
    let [org, date] = lefts(&sig("区人口和计划生育委员会", "2006年12月20日"));
    assert_eq!((org, date - org), (8845 - 640 - 8845 * 11 / 28, 640));
    // A date longer than the organisation: the date 2 from the margin.
    let [org, date] = lefts(&sig("区政府办", "2006年12月20日"));
    assert_eq!(
        (8845 - date, date - org),
        (640 + 8845 * 3 / 28 + 8 * 160, 640)
    );
    // A long organisation wraps, and both lines stay right-aligned.
    let s = sig(&"某".repeat(27), "2025年12月28日");
    let placed = signature_from_left(&s, &l, signature_indents(&s, true, &l));
    assert!(
        placed
            .iter()
            .all(|(i, jc)| jc.is_none() && i.left.is_none())
    );
}

/// Found by an audit: a quotation was boxed, shaded and centred as the banner.
#[test]
fn a_quotation_has_its_own_style() {
    let s = body(
        "# T\n\nOrg\n\n> **草稿** 未定稿\n\n正文\n\n> 引用的话。\n",
        Lang::Zh,
    );
    assert_eq!(s.matches("<w:pStyle w:val=\"Banner\"/>").count(), 1, "{s}");
    assert_eq!(s.matches("<w:pStyle w:val=\"Quote\"/>").count(), 1, "{s}");
    let l = Layout::default();
    let st = super::super::styles::styles(Lang::Zh, &l, &l.measures());
    let at = st.find("w:styleId=\"Quote\"").expect("quote");
    let def = st[at..].split("</w:style>").next().unwrap_or("");
    assert!(
        !def.contains("w:pBdr") && !def.contains("w:shd") && !def.contains("center"),
        "{def}"
    );
    assert!(def.contains("w:leftChars=\"200\""), "{def}");
}

/// Found by an audit: a code block was one paragraph without its line breaks.
#[test]
fn a_code_block_keeps_its_lines_left_aligned() {
    let s = body("```\nline 1\n    line 2\n```\n", Lang::En);
    assert!(s.contains("<w:pStyle w:val=\"Code\"/>"), "{s}");
    assert!(
        s.contains(">line 1</w:t></w:r><w:r><w:br/></w:r>") && s.contains(">    line 2</w:t>"),
        "{s}"
    );
    let l = Layout::default();
    let st = super::super::styles::styles(Lang::En, &l, &l.measures());
    let at = st.find("w:styleId=\"Code\"").expect("code");
    let def = st[at..].split("</w:style>").next().unwrap_or("");
    assert!(
        def.contains("w:firstLine=\"0\"") && def.contains("<w:jc w:val=\"left\"/>"),
        "{def}"
    );
}
