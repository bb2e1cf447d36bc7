//! The document-wide parts besides the styles: `word/settings.xml`,
//! `word/fontTable.xml` (with fallbacks for the Windows font names) and the
//! two page-number footers (`— 1 —`, odd pages right, even pages left).

use super::layout::Layout;
use super::props::{Ind, Jc, PPr, RFonts, RPr};
use super::styles::{Faces, NO_INDENT, NS_R, NS_W, Para};
use super::xml::Xml;
use crate::i18n::Lang;

/// What `word/fontTable.xml` says of a font a reader may not have: the names
/// to try instead, its PANOSE class, character set, family and pitch.
///
/// `w:altName` is a comma-separated list (ECMA-376 §17.8.3.1): the font's
/// Windows name, then the Noto CJK face of its kind, which Linux and macOS
/// have (serif faces, 楷体 included, → Noto Serif CJK SC; 黑体 → Noto Sans
/// CJK SC). Word and WPS read the list; LibreOffice does not, and falls back
/// to fontconfig's Chinese default for the document's East Asian language
/// (zh-CN, set in the style defaults), which keeps the glyphs Chinese.
fn font_facts(
    name: &str,
) -> Option<(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
)> {
    const SERIF: &str = "SimSun,Noto Serif CJK SC";
    // (altName, panose1, charset, family, pitch). Charset 86 is GB2312.
    Some(match name {
        "Times New Roman" => ("", "02020603050405020304", "00", "roman", "variable"),
        "宋体" => (SERIF, "02010600030101010101", "86", "auto", "variable"),
        "仿宋_GB2312" | "仿宋" => (
            "FangSong,Noto Serif CJK SC",
            if name == "仿宋" {
                "02010609060101010101"
            } else {
                "02010609030101010101"
            },
            "86",
            "modern",
            "fixed",
        ),
        "楷体_GB2312" | "楷体" => (
            "KaiTi,Noto Serif CJK SC",
            if name == "楷体" {
                "02010609060101010101"
            } else {
                "02010609030101010101"
            },
            "86",
            "modern",
            "fixed",
        ),
        "黑体" => (
            "SimHei,Noto Sans CJK SC",
            "02010609060101010101",
            "86",
            "modern",
            "fixed",
        ),
        "方正小标宋简体" => (SERIF, "02010600030101010101", "86", "auto", "variable"),
        _ => return None,
    })
}

/// `word/fontTable.xml`: every font the document names, with fallbacks.
pub(crate) fn font_table(layout: &Layout) -> String {
    let f = &layout.fonts;
    let mut names: Vec<&str> = Vec::new();
    for n in [&f.latin, &f.song, &f.body, &f.hei, &f.kai, &f.title] {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    let mut x = Xml::new();
    x.open("w:fonts", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
    for name in names {
        x.open("w:font", &[("w:name", name)]);
        if let Some((alt, panose, charset, family, pitch)) = font_facts(name) {
            if !alt.is_empty() {
                x.empty("w:altName", &[("w:val", alt)]);
            }
            x.empty("w:panose1", &[("w:val", panose)]);
            x.empty("w:charset", &[("w:val", charset)]);
            x.empty("w:family", &[("w:val", family)]);
            x.empty("w:pitch", &[("w:val", pitch)]);
        }
        x.close();
    }
    x.finish()
}

/// `word/settings.xml`: mirrored margins and separate footers for odd and even
/// pages (GB/T 9704 prints on both sides: the page number is on the outside
/// edge, so the 订口, the left margin of `w:pgMar`, is the inside one), no
/// punctuation compression (it would break the 28-character grid).
pub(crate) fn settings(lang: Lang, footnotes: bool) -> String {
    let mut x = Xml::new();
    x.open("w:settings", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
    x.empty("w:zoom", &[("w:percent", "100")]);
    x.empty("w:mirrorMargins", &[]);
    x.empty("w:defaultTabStop", &[("w:val", "420")]);
    x.empty("w:evenAndOddHeaders", &[]);
    x.empty("w:characterSpacingControl", &[("w:val", "doNotCompress")]);
    if footnotes {
        // The separators of `footnotes.xml`, as Word names them here.
        x.open("w:footnotePr", &[]);
        x.empty("w:footnote", &[("w:id", "-1")]);
        x.empty("w:footnote", &[("w:id", "0")]);
        x.close();
    }
    x.open("w:compat", &[]);
    x.empty(
        "w:compatSetting",
        &[
            ("w:name", "compatibilityMode"),
            ("w:uri", "http://schemas.microsoft.com/office/word"),
            ("w:val", "15"),
        ],
    );
    x.close();
    let val = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en-US",
    };
    x.empty(
        "w:themeFontLang",
        &[("w:val", val), ("w:eastAsia", "zh-CN")],
    );
    x.empty("w:decimalSymbol", &[("w:val", ".")]);
    x.empty("w:listSeparator", &[("w:val", ",")]);
    x.finish()
}

/// A footer with the page number as `— 1 —`: right-aligned with one character
/// of indent on odd pages (`odd`), left-aligned likewise on even pages.
pub(crate) fn footer(lang: Lang, layout: &Layout, odd: bool) -> String {
    let faces = Faces::new(lang, layout);
    // GB/T 9704 7.5: the page number in 宋体 (its digits too) in Chinese; in
    // Times New Roman in English.
    let fonts = RFonts {
        latin: if faces.zh {
            faces.song.clone()
        } else {
            faces.latin.clone()
        },
        east_asia: faces.song.clone(),
        hint_east_asia: faces.zh,
    };
    let rpr = RPr {
        fonts: Some(fonts),
        ..RPr::default()
    };
    let one_char = (100, i64::from(layout.sizes.page_number) * 10);
    let p = PPr {
        style: Some(Para::Footer.style_id()),
        ind: Some(if odd {
            Ind {
                right: Some(one_char),
                ..NO_INDENT
            }
        } else {
            Ind {
                left: Some(one_char),
                ..NO_INDENT
            }
        }),
        jc: Some(if odd { Jc::Right } else { Jc::Left }),
        ..PPr::default()
    };
    let mut x = Xml::new();
    x.open("w:ftr", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
    x.open("w:p", &[]);
    p.write(&mut x);
    let run = |x: &mut Xml, f: &dyn Fn(&mut Xml)| {
        x.open("w:r", &[]);
        rpr.write(x);
        f(x);
        x.close();
    };
    let preserve = [("xml:space", "preserve")];
    run(&mut x, &|x| {
        x.leaf("w:t", &preserve, "— ");
    });
    run(&mut x, &|x| {
        x.empty("w:fldChar", &[("w:fldCharType", "begin")]);
    });
    run(&mut x, &|x| {
        x.leaf("w:instrText", &preserve, " PAGE ");
    });
    run(&mut x, &|x| {
        x.empty("w:fldChar", &[("w:fldCharType", "separate")]);
    });
    run(&mut x, &|x| {
        x.leaf("w:t", &[], "1");
    });
    run(&mut x, &|x| {
        x.empty("w:fldChar", &[("w:fldCharType", "end")]);
    });
    run(&mut x, &|x| {
        x.leaf("w:t", &preserve, " —");
    });
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footers_hold_the_page_field_on_opposite_sides() {
        let l = Layout::default();
        let odd = footer(Lang::Zh, &l, true);
        let even = footer(Lang::Zh, &l, false);
        for f in [&odd, &even] {
            assert!(f.contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"));
            assert!(f.contains(">— <") && f.contains("> —<"));
            assert!(f.contains("w:eastAsia=\"宋体\""));
        }
        assert!(odd.contains("<w:jc w:val=\"right\"/>") && even.contains("<w:jc w:val=\"left\"/>"));
        for lang in [Lang::Zh, Lang::En] {
            let s = settings(lang, false);
            assert!(s.contains("<w:evenAndOddHeaders/>"));
            // CT_Settings order: after the zoom, before the tab stop.
            assert!(s.contains("<w:zoom w:percent=\"100\"/><w:mirrorMargins/><w:defaultTabStop"));
        }
    }

    #[test]
    fn font_table_gives_fallbacks() {
        let t = font_table(&Layout::default());
        for (font, alt) in [
            ("仿宋_GB2312", "FangSong,Noto Serif CJK SC"),
            ("黑体", "SimHei,Noto Sans CJK SC"),
            ("楷体_GB2312", "KaiTi,Noto Serif CJK SC"),
            ("宋体", "SimSun,Noto Serif CJK SC"),
            ("方正小标宋简体", "SimSun,Noto Serif CJK SC"),
        ] {
            assert!(
                t.contains(&format!(
                    "<w:font w:name=\"{font}\"><w:altName w:val=\"{alt}\"/>"
                )),
                "{font}: {t}"
            );
        }
        assert!(t.contains("<w:charset w:val=\"86\"/>"));
    }
}
