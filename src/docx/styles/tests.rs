use super::*;

#[test]
fn each_heading_level_has_its_font() {
    let l = Layout::default();
    let s = styles(Lang::Zh, &l, &l.measures());
    for (id, font, level) in [
        ("Heading1", "黑体", 0),
        ("Heading2", "楷体_GB2312", 1),
        ("Heading3", "仿宋_GB2312", 2),
        ("Heading4", "仿宋_GB2312", 3),
    ] {
        let at = s.find(&format!("w:styleId=\"{id}\"")).expect(id);
        let end = at + s[at..].find("</w:style>").expect("end");
        let def = &s[at..end];
        assert!(
            def.contains(&format!("w:eastAsia=\"{font}\"")),
            "{id}: {def}"
        );
        assert!(
            def.contains(&format!("<w:outlineLvl w:val=\"{level}\"/>")),
            "{id}: {def}"
        );
        assert!(def.contains("w:ascii=\"Times New Roman\""), "{id}");
        // Found by an audit: a justified heading that wrapped had its
        // characters spread out.
        assert!(def.contains("<w:jc w:val=\"left\"/>"), "{id}: {def}");
    }
    assert!(s.contains("w:lineRule=\"exact\"") && s.contains("w:line=\"579\""));
    assert!(s.contains("w:eastAsia=\"zh-CN\""));
}

/// Found by an audit: LibreOffice drew the banner's box past the left
/// margin, and the whole English banner was bold.
#[test]
fn the_banner_box_is_inside_the_margins_and_its_text_plain() {
    let l = Layout::default();
    let s = styles(Lang::En, &l, &l.measures());
    let at = s.find("w:styleId=\"Banner\"").expect("banner");
    let def = s[at..].split("</w:style>").next().unwrap_or("");
    assert!(
        def.contains("w:leftChars=\"28\" w:left=\"90\" w:rightChars=\"28\" w:right=\"90\""),
        "{def}"
    );
    assert!(!def.contains("<w:b/>"), "{def}");
}

#[test]
fn english_headings_are_bold_times() {
    let l = Layout::default();
    let s = styles(Lang::En, &l, &l.measures());
    assert!(!s.contains("仿宋"));
    // Chinese text in the English document is in 宋体, not Times New Roman.
    assert!(!s.contains("w:eastAsia=\"Times New Roman\""), "{s}");
    assert!(s.contains("w:eastAsia=\"宋体\""));
    // Both documents say their East Asian text is Chinese.
    assert!(s.contains("<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\""));
    let at = s.find("w:styleId=\"Heading1\"").expect("h1");
    assert!(
        s[at..]
            .split("</w:style>")
            .next()
            .is_some_and(|d| d.contains("<w:b/>"))
    );
}
