//! The outputs an office hands on: the official document (`report.zh.docx`,
//! `report.en.docx`), the workbook `metrics.xlsx` and the Excel-safe `metrics.csv`.

use calamine::{Data, Reader, Xlsx};

use crate::support::{Project, markup_text, run, zip_part};

fn names(bytes: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    zip.file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect()
}

#[test]
fn every_year_gets_the_official_document_in_both_languages() {
    let p = Project::example();
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    let zh = std::fs::read(p.path().join("output/2007/report.zh.docx")).unwrap();
    let doc = zip_part(&zh, "word/document.xml");
    // The same report as the Markdown: the title, the 公文 numbering the templates
    // give, the computed figures, the banner of a draft year.
    let text_of = markup_text(&doc);
    for text in [
        "区2007年人口与计划生育工作总结及2008年工作计划",
        "一、主要指标完成情况",
        "（一）目标完成情况",
        "二、2007年工作总结",
        "152604",
        "草稿",
    ] {
        assert!(text_of.contains(text), "{text} not in document.xml");
    }
    // A4, the GB/T 9704 margins (37, 35, 28, 26 mm in twips), a line grid of 22
    // lines, page numbers on odd and even pages.
    assert!(doc.contains("w:w=\"11906\" w:h=\"16838\""), "A4");
    for margin in [
        "w:top=\"2098\"",
        "w:bottom=\"1984\"",
        "w:left=\"1587\"",
        "w:right=\"1474\"",
    ] {
        assert!(doc.contains(margin), "{margin}");
    }
    assert!(doc.contains("w:linePitch=\"579\""));
    let settings = zip_part(&zh, "word/settings.xml");
    assert!(settings.contains("w:evenAndOddHeaders"));
    // Native charts: every trend and breakdown of the year is a chart part.
    let charts = names(&zh)
        .into_iter()
        .filter(|n| n.starts_with("word/charts/chart") && n.ends_with(".xml"))
        .count();
    assert_eq!(charts, 7, "{:?}", names(&zh));
    let styles = zip_part(&zh, "word/styles.xml");
    assert!(styles.contains("仿宋_GB2312") && styles.contains("方正小标宋简体"));
    let en = std::fs::read(p.path().join("output/2007/report.en.docx")).unwrap();
    let doc = markup_text(&zip_part(&en, "word/document.xml"));
    assert!(doc.contains("I. Key indicators") && doc.contains("152,604"));
    // The 落款: the organisation and the date the 2006 summary gives.
    let zh2006 = std::fs::read(p.path().join("output/2006/report.zh.docx")).unwrap();
    let doc = markup_text(&zip_part(&zh2006, "word/document.xml"));
    assert!(doc.contains("区人口和计划生育委员会") && doc.contains("2006年11月20日"));
    assert!(!doc.contains("草稿"));
}

#[test]
fn a_projects_docx_options_change_the_layout() {
    let p = Project::from_fixture("minimal");
    let config = p.read("nianbao.toml");
    p.write(
        "nianbao.toml",
        &format!(
            "{config}\n[docx]\nfonts = {{ body = \"FangSong\" }}\nsizes = {{ body = 15 }}\nmargins = {{ top = 30 }}\n"
        ),
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
    let zh = std::fs::read(p.path().join("output/2020/report.zh.docx")).unwrap();
    let styles = zip_part(&zh, "word/styles.xml");
    assert!(
        styles.contains("FangSong") && !styles.contains("仿宋_GB2312"),
        "{styles}"
    );
    assert!(
        styles.contains("w:sz w:val=\"30\""),
        "15 pt is 30 half-points"
    );
    assert!(
        zip_part(&zh, "word/document.xml").contains("w:top=\"1701\""),
        "30 mm"
    );
    // A mistake in the options is located.
    p.write(
        "nianbao.toml",
        &format!("{config}\n[docx]\nsizes = {{ body = \"big\", titel = 22 }}\n"),
    );
    let (code, _, err) = run(&mut p.cmd(&["check", "--strict"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`docx.sizes.body` must be a number"), "{err}");
    assert!(err.contains("unknown key `titel` in [docx.sizes]"), "{err}");
    assert!(err.contains("did you mean `title`?"), "{err}");
}

/// Every row of the first sheet of a workbook, as text.
fn rows(bytes: Vec<u8>) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    sheet.rows().map(|r| r.to_vec()).collect()
}

#[test]
fn the_workbook_holds_numbers_last_year_and_the_change() {
    let p = Project::example();
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(p.path().join("output/2007/metrics.xlsx")).unwrap();
    let table = rows(bytes);
    let header: Vec<String> = table[0].iter().map(|c| c.to_string()).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.contains(name))
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let row = |metric: &str| {
        table
            .iter()
            .find(|r| r.iter().any(|c| *c == metric))
            .unwrap_or_else(|| panic!("no row {metric}"))
    };
    let compliance = row("policy_compliance_rate");
    // Numbers as numbers, exactly the displayed values.
    assert_eq!(compliance[col("This year")], Data::Float(97.05));
    assert_eq!(compliance[col("Last year")], Data::Float(96.33));
    assert_eq!(compliance[col("Change")], Data::Float(0.72));
    let population = row("population");
    assert_eq!(population[col("This year")], Data::Float(152604.0));
    assert_eq!(population[col("Last year")], Data::Float(151837.0));
    assert_eq!(population[col("Change")], Data::Float(767.0));
    assert!(
        header.iter().any(|h| h.contains("指标")) && header.iter().any(|h| h.contains("Indicator"))
    );
    // The first year has no previous one: those cells are empty.
    let first = rows(std::fs::read(p.path().join("output/2006/metrics.xlsx")).unwrap());
    let population = first
        .iter()
        .find(|r| r.iter().any(|c| *c == "population"))
        .unwrap();
    assert_eq!(population[col("Last year")], Data::Empty);
}

/// Audit: the workbook showed last year's value where this year's is undefined,
/// while the report's 上年 column shows "—" (PRODUCT.md: where either value is
/// undefined, both read —).
#[test]
fn the_workbook_shows_no_last_year_beside_an_undefined_value() {
    let p = Project::from_fixture("compare");
    // `undef` = c.part / c.zero: defined in 2020, undefined in 2021.
    p.replace("data/2020/figures.toml", "zero = 0", "zero = 2");
    p.replace("data/2021/figures.toml", "zero = 4", "zero = 0");
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    let report = p.read("output/2021/report.en.md");
    assert!(report.contains("| Undefined | — | — | — |"), "{report}");
    let table = rows(std::fs::read(p.path().join("output/2021/metrics.xlsx")).unwrap());
    let header: Vec<String> = table[0].iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h.contains(name)).unwrap();
    let undef = table
        .iter()
        .find(|r| r.iter().any(|c| *c == "undef"))
        .unwrap();
    let dash = Data::String("—".into());
    assert_eq!(undef[col("This year")], dash);
    assert_eq!(undef[col("Last year")], dash);
    assert_eq!(undef[col("Change")], dash);
}

#[test]
fn the_csv_opens_in_excel_and_runs_no_formula() {
    let p = Project::from_fixture("minimal");
    p.replace(
        "data/metrics.toml",
        "en = \"Share\"",
        "en = \"=HYPERLINK(\\\"http://x\\\")\"",
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read(p.path().join("output/2020/metrics.csv")).unwrap();
    assert!(
        csv.starts_with("\u{feff}year,".as_bytes()),
        "a UTF-8 byte-order mark"
    );
    let text = String::from_utf8(csv).unwrap();
    assert!(text.contains("'=HYPERLINK("), "{text}");
    assert!(
        !text.contains(",=HYPERLINK(") && !text.contains(",\"=HYPERLINK("),
        "{text}"
    );
    // Numbers keep their sign.
    assert!(!text.contains("'-"), "{text}");
}

#[test]
fn points_are_numbered_a_level_below_their_heading_in_every_output() {
    let p = Project::example();
    p.replace(
        "data/2006/plan.toml",
        "title = { zh = \"健全计划生育工作新机制\", en = \"A stronger working system\" }",
        "title = { zh = \"健全计划生育工作新机制\", en = \"A stronger working system\" }\npoints = [ { zh = \"甲项\", en = \"first\" }, { zh = \"乙项\", en = \"second\" } ]",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2006"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2006/report.zh.md");
    let en = p.read("output/2006/report.en.md");
    // GB/T 9704's order: 一、 → （一） → 1. → （1）; in English I. → 1. → (1) → (a).
    assert!(zh.contains("#### 1.健全计划生育工作新机制"), "{zh}");
    assert!(zh.contains("\n\n（1）甲项\n\n（2）乙项\n"), "{zh}");
    assert!(en.contains("#### (1) A stronger working system"), "{en}");
    assert!(en.contains("\n\n(a) first\n\n(b) second\n"), "{en}");
    // A section's points under its `2. …` heading are (1), (2), not 1., 2.
    assert!(
        en.contains("\n\n(1) Common rules for grassroots work."),
        "{en}"
    );
    assert!(!en.contains("\n1. Common rules"), "{en}");
    let html = p.read("output/2006/report.html");
    assert!(html.contains("<p>（1）甲项</p>") && html.contains("<p>(a) first</p>"));
    let docx = std::fs::read(p.path().join("output/2006/report.en.docx")).unwrap();
    let text = markup_text(&zip_part(&docx, "word/document.xml"));
    assert!(text.contains("(a) first") && text.contains("(1) Common rules"));
}

/// Audit: every `<` and `>` of a narrative text was written `&lt;`/`&gt;` before the
/// Markdown was read, so code showed "&lt;" in every output and a blockquote was
/// the text "&gt; 引用". Code and quotes are Markdown; raw HTML still shows as text.
#[test]
fn a_texts_code_and_quotes_survive_and_its_html_stays_text() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        r#"
[[sections]]
title = { zh = "标记", en = "Markup" }
text.zh = """
开头<script>alert(1)</script>结束，a < b。

代码 `a<b && c>d` 在此。

```
<tag attr="1">&amp;</tag>
```

> 引用一句

注释<!-- x -->与链接<https://example.org>。
"""
"#,
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
    let md = p.read("output/2020/report.zh.md");
    for kept in [
        "`a<b && c>d`",
        "```\n<tag attr=\"1\">&amp;</tag>\n```",
        "\n> 引用一句\n",
        "<https://example.org>",
        "&lt;script>alert(1)&lt;/script>",
        "a &lt; b",
        "&lt;!-- x -->",
    ] {
        assert!(md.contains(kept), "{kept:?} not in\n{md}");
    }
    assert!(!md.contains("&gt;"), "{md}");
    let html = p.read("output/2020/report.html");
    for shown in [
        "<code>a&lt;b &amp;&amp; c&gt;d</code>",
        "<pre><code>&lt;tag attr=\"1\"&gt;&amp;amp;&lt;/tag&gt;\n</code></pre>",
        "<blockquote>\n<p>引用一句</p>\n</blockquote>",
        "<a href=\"https://example.org\">https://example.org</a>",
        "开头&lt;script&gt;alert(1)&lt;/script&gt;结束，a &lt; b。",
        "注释&lt;!-- x --&gt;与链接",
    ] {
        assert!(html.contains(shown), "{shown:?} not in the page");
    }
    assert!(
        !html.contains("<script") && !html.contains("&amp;lt;"),
        "{html}"
    );
    let docx = std::fs::read(p.path().join("output/2020/report.zh.docx")).unwrap();
    let doc = markup_text(&zip_part(&docx, "word/document.xml"));
    for shown in [
        // The XML's own escapes, as document.xml holds them.
        "a&lt;b &amp;&amp; c&gt;d",
        "&lt;tag attr=&quot;1&quot;&gt;&amp;amp;&lt;/tag&gt;",
        "引用一句",
        "https://example.org",
        "开头&lt;script&gt;alert(1)&lt;/script&gt;结束，a &lt; b。",
        "注释&lt;!-- x --&gt;与链接",
    ] {
        assert!(doc.contains(shown), "{shown:?} not in\n{doc}");
    }
    assert!(
        !doc.contains("&amp;lt;") && !doc.contains("&amp;gt;"),
        "{doc}"
    );
}

/// The 落款 stood alone on the last page of the 2006 document (LibreOffice):
/// what comes before it, the plan's last table here, keeps with it.
#[test]
fn what_comes_before_the_signature_keeps_with_it() {
    let p = Project::example();
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2006"]));
    assert_eq!(code, 0, "{err}");
    let docx = std::fs::read(p.path().join("output/2006/report.zh.docx")).unwrap();
    let xml = zip_part(&docx, "word/document.xml");
    let at = xml.find("<w:pStyle w:val=\"Signature\"").unwrap();
    let before = &xml[..at];
    let last_row = &before[before.rfind("<w:tr>").unwrap()..];
    assert!(last_row.contains("<w:keepNext/>"), "{last_row}");
}

/// Audit: a footnote lost its text in the Chinese Word document and printed as
/// written in the English one. Every output has it now, and two texts that
/// each define `[^1]` keep their own notes.
#[test]
fn footnotes_reach_every_output() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        r#"
opening.zh = "开头脚注[^1]。\n\n[^1]: 开头的注。"
opening.en = "Opening note[^1].\n\n[^1]: The opening's note."

[[sections]]
title = { zh = "一节", en = "A section" }
text.zh = "本节脚注[^1]。\n\n[^1]: 本节的注。"
text.en = "Section note[^1].\n\n[^1]: The section's note."
"#,
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
    let md = p.read("output/2020/report.zh.md");
    assert!(
        md.contains("开头脚注[^1]。") && md.contains("[^1]: 开头的注。"),
        "{md}"
    );
    assert!(
        md.contains("本节脚注[^1-2]。") && md.contains("[^1-2]: 本节的注。"),
        "{md}"
    );
    let html = p.read("output/2020/report.html");
    for id in ["zh-fn-1", "zh-fn-2", "en-fn-1", "en-fn-2"] {
        assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
    }
    assert!(html.contains("本节的注。") && html.contains("The section's note."));
    for (lang, notes) in [
        ("zh", ["开头的注。", "本节的注。"]),
        ("en", ["The opening's note.", "The section's note."]),
    ] {
        let docx = std::fs::read(p.path().join(format!("output/2020/report.{lang}.docx"))).unwrap();
        let body = markup_text(&zip_part(&docx, "word/document.xml"));
        assert!(!body.contains("[^") && !body.contains('^'), "{body}");
        let footnotes = markup_text(&zip_part(&docx, "word/footnotes.xml"));
        let at: Vec<usize> = notes
            .iter()
            .map(|n| footnotes.find(n).unwrap_or(usize::MAX))
            .collect();
        assert!(at[0] < at[1] && at[1] < usize::MAX, "{lang}: {footnotes}");
    }
}
