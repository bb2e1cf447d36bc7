//! Tests of the whole package: determinism, the parts and their references.

use std::io::Read;

use super::*;

fn births(file: &str) -> ChartData {
    ChartData {
        file: file.into(),
        kind: ChartKind::StackedBar,
        title: "出生人数（人）".into(),
        alt: "出生人数，2006—2007年".into(),
        categories: vec!["2006".into(), "2007".into()],
        series: vec![
            Series {
                name: "一孩".into(),
                values: vec![Some("929".into()), Some("902".into())],
            },
            Series {
                name: "二孩".into(),
                values: vec![Some("400".into()), Some("384".into())],
            },
            Series {
                name: "多孩".into(),
                values: vec![Some("6".into()), Some("4".into())],
            },
        ],
        decimals: 0,
        unit: String::new(),
        axis: None,
        label_every: 1,
    }
}

fn rate(file: &str) -> ChartData {
    ChartData {
        file: file.into(),
        kind: ChartKind::Line,
        title: "人口出生率（‰）".into(),
        alt: String::new(),
        categories: vec!["2006".into(), "2007".into()],
        series: vec![Series {
            name: "人口出生率".into(),
            values: vec![Some("8.79".into()), Some("8.45".into())],
        }],
        decimals: 2,
        unit: String::new(),
        axis: None,
        label_every: 1,
    }
}

const MD: &str = "# 区2006年工作总结\n\n区委员会 · 2006年\n\n> **草稿** 未定稿\n\n## 一、指标\n\n正文 <&\"> **一是**加强。\n\n| 指标 | 数值 |\n| --- | ---: |\n| 总人口 | 151837人 |\n\n![出生率](chart-birth_rate.zh.svg)\n\n![出生人数](chart-births.zh.svg)\n\n![其他](other.svg)\n";

fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut b = Vec::new();
            f.read_to_end(&mut b).expect("read");
            (
                f.name().expect("name").to_string(),
                String::from_utf8_lossy(&b).into_owned(),
            )
        })
        .collect()
}

/// The text of the body's runs, run after run.
fn text(body: &str) -> String {
    body.split("<w:t xml:space=\"preserve\">")
        .skip(1)
        .filter_map(|p| p.split("</w:t>").next())
        .collect()
}

fn doc(lang: Lang, md: &str, charts: &[ChartData], signature: Option<Signature>) -> Vec<u8> {
    let layout = Layout::default();
    build(&DocxInput {
        lang,
        markdown: md,
        charts,
        signature,
        layout: &layout,
        banner: true,
    })
    .expect("build")
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let charts = [
        rate("chart-birth_rate.zh.svg"),
        births("chart-births.zh.svg"),
    ];
    let a = doc(Lang::Zh, MD, &charts, None);
    let b = doc(Lang::Zh, MD, &charts, None);
    assert_eq!(a, b);
}

#[test]
fn charts_are_parts_referenced_from_the_body() {
    let charts = [
        rate("chart-birth_rate.zh.svg"),
        births("chart-births.zh.svg"),
    ];
    let p = parts(&doc(Lang::Zh, MD, &charts, None));
    let names: Vec<&str> = p.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "[Content_Types].xml");
    assert!(names.contains(&"word/charts/chart1.xml") && names.contains(&"word/charts/chart2.xml"));
    let get = |n: &str| {
        p.iter()
            .find(|(name, _)| name == n)
            .map(|(_, s)| s.as_str())
            .unwrap_or("")
    };
    let body = get("word/document.xml");
    assert!(
        body.contains("<c:chart xmlns:c=")
            && body.contains("r:id=\"rId6\"")
            && body.contains("r:id=\"rId7\"")
    );
    assert!(body.contains("<wp:docPr id=\"1\" name=\"Chart 1\" descr=\"出生率\"/>"));
    assert!(body.contains("<wp:docPr id=\"2\" name=\"Chart 2\" descr=\"出生人数，2006—2007年\"/>"));
    // Not a chart: its alt text.
    assert!(text(body).contains("其他"));
    assert!(
        text(body).contains("正文 &lt;&amp;&quot;&gt; 一是加强。"),
        "{}",
        text(body)
    );
    let rels = get("word/_rels/document.xml.rels");
    assert!(rels.contains("Id=\"rId6\"") && rels.contains("Target=\"charts/chart1.xml\""));
    assert!(get("[Content_Types].xml").contains("/word/charts/chart2.xml"));
    assert!(get("[Content_Types].xml").contains("Extension=\"xlsx\""));
    assert!(names.contains(&"word/embeddings/Microsoft_Excel_Worksheet2.xlsx"));
    assert!(
        get("word/charts/_rels/chart2.xml.rels")
            .contains("Target=\"../embeddings/Microsoft_Excel_Worksheet2.xlsx\"")
    );
    let c1 = get("word/charts/chart1.xml");
    assert!(
        c1.contains("<c:v>8.79</c:v>")
            && c1.contains("<c:v>8.45</c:v>")
            && c1.contains("formatCode=\"0.00\"")
    );
    assert!(c1.contains("<c:marker val=\"1\"/>") && c1.contains("<c:showVal val=\"1\"/>"));
    let c2 = get("word/charts/chart2.xml");
    assert!(
        c2.contains("<c:v>1335</c:v>") && c2.contains("<c:v>1290</c:v>"),
        "totals"
    );
    assert!(get("docProps/core.xml").contains("<dc:title>区2006年工作总结</dc:title>"));
}

#[test]
fn signature_closes_the_document() {
    let sig = Signature {
        organisation: "区人口和计划生育委员会".into(),
        date: "2006年12月20日".into(),
    };
    let p = parts(&doc(Lang::Zh, "# T\n\nx\n", &[], Some(sig)));
    let body = &p
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .expect("body")
        .1;
    assert!(
        text(body).ends_with("x区人口和计划生育委员会2006年12月20日"),
        "{}",
        text(body)
    );
    assert!(body.contains("<w:pStyle w:val=\"Signature\"/>"));
}

#[test]
fn bad_chart_values_are_errors() {
    let mut c = rate("chart-birth_rate.zh.svg");
    c.series[0].values[0] = Some("NaN".into());
    let layout = Layout::default();
    let r = build(&DocxInput {
        lang: Lang::Zh,
        markdown: MD,
        charts: &[c],
        signature: None,
        layout: &layout,
        banner: true,
    });
    assert!(matches!(r, Err(DocxError::ChartValue { .. })));
}

#[test]
fn odd_inputs_do_not_panic() {
    for md in [
        "",
        "#",
        "# a\n# b\n",
        "> > >\n",
        "|a|\n|-|\n",
        "![](x)",
        "1. \n2.\n",
        "<!-- c -->\n\n<div>x</div>",
        "\u{0}\u{1b}[31m",
        "* * *\n- - -\n",
        "```\ncode\n```\n",
        "[^1]\n\n[^1]: n\n",
    ] {
        for lang in [Lang::Zh, Lang::En] {
            let bytes = doc(lang, md, &[rate("x")], None);
            assert!(bytes.starts_with(b"PK"), "{md:?}");
        }
    }
}

#[test]
fn english_is_times_new_roman_and_its_chinese_text_song() {
    let p = parts(&doc(
        Lang::En,
        "# Title\n\nBody **bold** *it* 区委员会\n",
        &[],
        None,
    ));
    let body = &p
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .expect("body")
        .1;
    assert!(!body.contains("仿宋") && !body.contains("w:eastAsia=\"Times New Roman\""));
    assert!(
        body.contains(
            "w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\""
        )
    );
    assert!(body.contains("<w:b/>") && body.contains("<w:i/>"));
}

fn part<'p>(p: &'p [(String, String)], name: &str) -> &'p str {
    p.iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s.as_str())
        .unwrap_or("")
}

#[test]
fn the_signature_keeps_together_and_is_indented_by_gb_t_9704() {
    let sig = Signature {
        organisation: "区人口和计划生育委员会".into(),
        date: "2006年12月20日".into(),
    };
    let p = parts(&doc(Lang::Zh, "# T\n\nx\n", &[], Some(sig)));
    let body = part(&p, "word/document.xml");
    let at = body
        .find("<w:p><w:pPr><w:pStyle w:val=\"Signature\"/>")
        .expect("signature");
    let paras: Vec<&str> = body[at..].split("</w:p>").take(3).collect();
    // The blank line and the organisation keep with the next line.
    assert!(
        paras[0].contains("<w:keepNext/>") && !paras[0].contains("<w:t"),
        "{}",
        paras[0]
    );
    assert!(paras[1].contains("<w:keepNext/>") && paras[1].contains("委员会"));
    // Placed from the left: the organisation two characters from the
    // right margin, the date's first character two right of its.
    assert!(
        paras[1].contains("w:leftChars=\"1478\" w:left=\"4731\"")
            && paras[1].contains("<w:jc w:val=\"left\"/>"),
        "{}",
        paras[1]
    );
    assert!(
        paras[2].contains("w:leftChars=\"1678\" w:left=\"5371\""),
        "{}",
        paras[2]
    );
    // The style keeps each line whole and right-aligned, with no indent of its own.
    let styles = part(&p, "word/styles.xml");
    let at = styles.find("w:styleId=\"Signature\"").expect("style");
    let def = styles[at..].split("</w:style>").next().unwrap_or("");
    assert!(def.contains("<w:keepLines/>") && def.contains("<w:jc w:val=\"right\"/>"));
    assert!(def.contains("<w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/>"));
    assert!(!def.contains("w:rightChars"), "{def}");
}

#[test]
fn links_are_hyperlinks_to_external_relationships() {
    let md = "# T\n\nSee [the site](https://example.org/?a=1&b=2), [again](https://example.org/?a=1&b=2), [mail](mailto:x@y.cn) and [bad](javascript:alert(1)).\n\n| a |\n| --- |\n| [cell](http://c.d) |\n";
    let p = parts(&doc(Lang::En, md, &[], None));
    let body = part(&p, "word/document.xml");
    assert!(body.contains("<w:hyperlink r:id=\"rIdLink1\" w:history=\"1\"><w:r><w:rPr><w:rStyle w:val=\"Hyperlink\"/>"), "{body}");
    assert_eq!(
        body.matches("r:id=\"rIdLink1\"").count(),
        2,
        "one relationship per address"
    );
    assert!(body.contains("r:id=\"rIdLink2\"") && body.contains("r:id=\"rIdLink3\""));
    assert!(!body.contains("rIdLink4") && !body.contains("javascript"));
    assert!(text(body).contains("bad"));
    let rels = part(&p, "word/_rels/document.xml.rels");
    assert!(rels.contains("<Relationship Id=\"rIdLink1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"https://example.org/?a=1&amp;b=2\" TargetMode=\"External\"/>"), "{rels}");
    assert!(rels.contains("Target=\"mailto:x@y.cn\"") && rels.contains("Target=\"http://c.d\""));
    let styles = part(&p, "word/styles.xml");
    assert!(
        styles.contains("w:styleId=\"Hyperlink\"") && styles.contains("<w:u w:val=\"single\"/>")
    );
}

#[test]
fn hard_breaks_and_nested_lists() {
    let md = "# T\n\none\\\ntwo\n\n- 甲\n  - 乙\n    - 丙\n";
    let p = parts(&doc(Lang::Zh, md, &[], None));
    let body = part(&p, "word/document.xml");
    assert!(
        body.contains(">one</w:t></w:r><w:r><w:br/></w:r>"),
        "{body}"
    );
    let para = |t: &str| {
        let at = body.find(t).expect(t);
        let start = body[..at].rfind("<w:p>").expect("p");
        body[start..at].to_string()
    };
    // Found by an audit: bullets, which a 公文 does not use; items are in the
    // List style (two characters in), nested ones further in.
    assert!(!body.contains('•'), "{body}");
    assert!(para(">甲<").contains("<w:pStyle w:val=\"ListParagraph\"/>"));
    assert!(!para(">甲<").contains("w:left"));
    assert!(para(">乙<").contains("w:leftChars=\"400\" w:left=\"1280\""));
    assert!(para(">丙<").contains("w:leftChars=\"600\" w:left=\"1920\""));
    let styles = part(&p, "word/styles.xml");
    let at = styles
        .find("w:styleId=\"ListParagraph\"")
        .expect("list style");
    let def = styles[at..].split("</w:style>").next().unwrap_or("");
    assert!(def.contains("w:leftChars=\"200\" w:left=\"640\""), "{def}");
}

#[test]
fn pages_are_mirrored_for_two_sided_printing() {
    for lang in [Lang::Zh, Lang::En] {
        let p = parts(&doc(lang, "# T\n\nx\n", &[], None));
        assert!(part(&p, "word/settings.xml").contains("<w:mirrorMargins/>"));
        // The left margin of w:pgMar is the inside one: the 28 mm 订口.
        assert!(part(&p, "word/document.xml").contains("w:left=\"1587\""));
    }
}

#[test]
fn a_character_grid_replaces_the_condensing() {
    let layout = Layout {
        char_grid: true,
        ..Layout::default()
    };
    let input = DocxInput {
        lang: Lang::Zh,
        markdown: "# T\n\n正文151837人\n",
        charts: &[],
        signature: None,
        layout: &layout,
        banner: true,
    };
    let p = parts(&build(&input).expect("build"));
    let get = |n: &str| {
        p.iter()
            .find(|(name, _)| name == n)
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    };
    assert!(get("word/document.xml").contains(
        "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\" w:charSpace=\"-842\"/>"
    ));
    assert!(
        !get("word/styles.xml").contains("<w:spacing w:val=")
            && !get("word/document.xml").contains("<w:spacing w:val=")
    );
}

proptest::proptest! {
    /// Whatever the Markdown, a document comes out (no panic, no error).
    #[test]
    fn any_markdown_builds(md in "(\\PC|[#>|*_`!\\[\\]()\\n -]){0,200}") {
        let charts = [rate("chart-birth_rate.zh.svg"), births("x")];
        for lang in [Lang::Zh, Lang::En] {
            let layout = Layout::default();
            let input = DocxInput { lang, markdown: &md, charts: &charts, signature: None, layout: &layout, banner: true };
            proptest::prop_assert!(build(&input).is_ok());
        }
    }
}

/// Found by an audit: a footnote's text was lost (Chinese) or printed as
/// written (English). It is a Word footnote: a part with the two separators
/// Word requires, its relationship and content type, a superscript reference.
#[test]
fn footnotes_are_word_footnotes() {
    for (lang, md, note, font) in [
        (
            Lang::Zh,
            "# T\n\n脚注[^1]和[^a]，又见[^1]。\n\n[^1]: 这是脚注的内容。\n\n[^a]: 第二条。\n",
            "这是脚注的内容。",
            "w:eastAsia=\"仿宋_GB2312\"",
        ),
        (
            Lang::En,
            "# T\n\nfootnote[^1] and [^a], again[^1].\n\n[^1]: The footnote text.\n\n[^a]: Second.\n",
            "The footnote text.",
            "w:ascii=\"Times New Roman\"",
        ),
    ] {
        let p = parts(&doc(lang, md, &[], None));
        let get = |n: &str| {
            p.iter()
                .find(|(name, _)| name == n)
                .map(|(_, s)| s.as_str())
                .unwrap_or("")
        };
        let body = get("word/document.xml");
        assert!(
            !text(body).contains("[^") && !text(body).contains('^'),
            "{}",
            text(body)
        );
        assert!(body.contains("<w:footnoteReference w:id=\"1\"/>"), "{body}");
        assert!(body.contains("<w:footnoteReference w:id=\"2\"/>"), "{body}");
        assert!(
            !body.contains("<w:footnoteReference w:id=\"3\"/>"),
            "{body}"
        );
        // The second reference to note 1 is its number.
        assert!(
            text(body).ends_with("1。") || text(body).ends_with("1."),
            "{}",
            text(body)
        );
        let notes = get("word/footnotes.xml");
        assert!(
            notes.contains("w:type=\"separator\" w:id=\"-1\""),
            "{notes}"
        );
        assert!(notes.contains("w:type=\"continuationSeparator\" w:id=\"0\""));
        assert!(notes.contains("<w:footnote w:id=\"1\">") && text(notes).contains(note));
        assert!(
            notes.contains("<w:footnoteRef/>") && notes.contains(font),
            "{notes}"
        );
        assert!(
            get("word/_rels/document.xml.rels")
                .contains("relationships/footnotes\" Target=\"footnotes.xml\"")
        );
        assert!(get("[Content_Types].xml").contains(
            "PartName=\"/word/footnotes.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml\""
        ));
        assert!(get("word/settings.xml").contains("<w:footnotePr><w:footnote w:id=\"-1\"/>"));
        let styles = get("word/styles.xml");
        let at = styles.find("w:styleId=\"FootnoteText\"").expect("style");
        let def = styles[at..].split("</w:style>").next().unwrap_or("");
        assert!(
            def.contains("<w:sz w:val=\"28\"/>") && def.contains(font),
            "{def}"
        );
        let at = styles
            .find("w:styleId=\"FootnoteReference\"")
            .expect("style");
        assert!(
            styles[at..]
                .split("</w:style>")
                .next()
                .unwrap_or("")
                .contains("superscript")
        );
    }
    // Without a footnote, no part.
    let p = parts(&doc(Lang::Zh, "# T\n\n正文[^x]。\n", &[], None));
    assert!(!p.iter().any(|(n, _)| n == "word/footnotes.xml"));
}
