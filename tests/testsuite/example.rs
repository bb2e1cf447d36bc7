//! The example project regenerates every figure of the 2006 source report
//! (../shared/seed), computed from counts, in both languages.

use crate::support::repo_root;

/// Figures and rates published in the source report's indicators paragraph.
const PUBLISHED: [&str; 24] = [
    "151837", "42791", "33124", "91.78%", "49.05%", "1335", "929", "400", "6", "112.92", "8.79‰",
    "3.93‰", "49", "18", "25", "96.33%", "1800", "398", "1185", "217", "27442", "99.94%", "851",
    "98.7%",
];

/// The English spelling of a published figure: `151837` → `151,837`.
fn grouped(s: &str) -> String {
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    nianbao::exact::group_thousands(&digits) + &s[digits.len()..]
}

#[test]
fn every_published_figure_appears_in_both_editions() {
    let zh = std::fs::read_to_string(repo_root().join("output/2006/report.zh.md")).unwrap();
    let en = std::fs::read_to_string(repo_root().join("output/2006/report.en.md")).unwrap();
    for figure in PUBLISHED {
        assert!(
            zh.contains(figure),
            "{figure} missing from the Chinese edition"
        );
        let english = grouped(figure);
        assert!(
            en.contains(&english),
            "{english} missing from the English edition"
        );
    }
    assert!(zh.contains("2005年10月至2006年9月"));
    assert!(en.contains("October 2005 – September 2006"));
}

#[test]
fn no_published_rate_is_typed_into_the_data() {
    let rates = [
        "91.78", "49.05", "112.92", "8.79", "3.93", "96.33", "99.94", "98.7",
    ];
    let mut stack = vec![repo_root().join("data")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            // A spreadsheet (the example's forms) is read for its cells.
            let text = if path.extension().is_some_and(|e| e == "xlsx") {
                let book = nianbao::sheet::read::read(&path, "forms", "forms").unwrap();
                let cells = book.sheets.iter().flat_map(|s| s.cells.values());
                cells.map(|c| format!("{c:?}\n")).collect()
            } else {
                std::fs::read_to_string(&path).unwrap()
            };
            for rate in rates {
                assert!(
                    !text.contains(rate),
                    "{} types the rate {rate}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn narrative_numbers_come_from_expressions_not_text() {
    // Activity figures in the narrative live in figures.toml, so none of them is
    // written as digits in the texts of summary.toml or plan.toml.
    for file in ["data/2006/summary.toml", "data/2006/plan.toml"] {
        let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
        for figure in ["110", "191", "72", "50000", "3000", "2000", "20000"] {
            let typed = text
                .lines()
                .map(str::trim_start)
                // Comments and target bounds (`max = 110`) are not narrative.
                .filter(|l| !l.starts_with('#') && !l.starts_with("min") && !l.starts_with("max"))
                .any(|l| l.contains(figure));
            assert!(
                !typed,
                "{file} types {figure} instead of using figures.toml"
            );
        }
    }
}
