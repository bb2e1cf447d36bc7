//! Every output says the same: the indicator and target tables of the Markdown,
//! the page and the official document are one table, cell for cell, in each
//! language; their numbers are those of metrics.json, metrics.csv and
//! metrics.xlsx; and a verdict is the same wherever it is given. A reader who
//! checks the Word document against the workbook finds no difference.

use calamine::{Data, Reader, Xlsx};
use std::collections::BTreeMap;

use crate::support::{Project, markup_text, run, zip_part};

/// The rows of every Markdown table in `md`, each a list of trimmed cells, with
/// the header rows and the `---` rows left out.
fn md_rows(md: &str) -> Vec<Vec<String>> {
    md.lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("| ---") && !l.contains("| --- |"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| normal(&c.replace("\\|", "|")))
                .collect()
        })
        .collect()
}

/// Whitespace as a reader sees it: a no-break space is a space, runs are one.
fn normal(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text between the tags of `xml`, a line break a space, entities decoded.
fn text_of(xml: &str) -> String {
    normal(
        &markup_text(&xml.replace("<w:br/>", " "))
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

/// The rows of every table of an HTML page or a WordprocessingML part: `row` and
/// `cell` are the element names (`tr`/`td`, `w:tr`/`w:tc`).
fn xml_rows(xml: &str, row: &str, cell: &str) -> Vec<Vec<String>> {
    let open = |name: &str| [format!("<{name}>"), format!("<{name} ")];
    let mut rows = Vec::new();
    let close_row = format!("</{row}>");
    let close_cell = format!("</{cell}>");
    let mut rest = xml;
    while let Some(start) = open(row).iter().filter_map(|o| rest.find(o.as_str())).min() {
        let Some(len) = rest[start..].find(&close_row) else {
            break;
        };
        let body = &rest[start..start + len];
        let mut cells = Vec::new();
        let mut r = body;
        while let Some(s) = open(cell).iter().filter_map(|o| r.find(o.as_str())).min() {
            let Some(e) = r[s..].find(&close_cell) else {
                break;
            };
            cells.push(text_of(&r[s..s + e]));
            r = &r[s + e..];
        }
        if !cells.is_empty() {
            rows.push(cells);
        }
        rest = &rest[start + len..];
    }
    rows
}

/// The number a cell begins with, grouping removed: "152,604 persons" is
/// "152604", "↓ -0.34个千分点，向好" is "-0.34", "—" is None.
fn number_in(cell: &str) -> Option<String> {
    let start = cell.find(|c: char| c.is_ascii_digit() || c == '-' || c == '+')?;
    let tail = &cell[start..];
    let end = tail
        .char_indices()
        .skip(1)
        .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.'))
        .map_or(tail.len(), |(i, _)| i);
    let n = tail[..end].replace(',', "");
    let n = n.strip_prefix('+').unwrap_or(&n).to_string();
    n.chars().any(|c| c.is_ascii_digit()).then_some(n)
}

/// A displayed decimal as the number a spreadsheet holds.
fn as_float(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

struct Metric {
    zh: String,
    en: String,
    value: Option<String>,
}

fn metrics_of(json: &serde_json::Value) -> BTreeMap<String, Metric> {
    json["metrics"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, m)| {
            (
                name.clone(),
                Metric {
                    zh: m["zh"].as_str().unwrap().to_string(),
                    en: m["en"].as_str().unwrap().to_string(),
                    value: m["value"].as_str().map(str::to_string),
                },
            )
        })
        .collect()
}

/// The checks, on every year of a built project whose templates are the
/// built-in ones. Returns how many verdicts of met and of missed it compared, so
/// that a test can tell it did not compare nothing.
fn outputs_agree(p: &Project) -> (usize, usize) {
    let mut verdicts = (0, 0);
    let out = p.path().join("output");
    let mut years: Vec<i32> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    years.sort();
    assert!(!years.is_empty());
    let json_of = |y: i32| -> serde_json::Value {
        serde_json::from_str(&p.read(&format!("output/{y}/metrics.json"))).unwrap()
    };
    for &year in &years {
        let json = json_of(year);
        let metrics = metrics_of(&json);
        let previous = years
            .contains(&(year - 1))
            .then(|| metrics_of(&json_of(year - 1)));
        let html = std::fs::read_to_string(out.join(format!("{year}/report.html"))).unwrap();
        // Header cells are cells too.
        let html = html
            .replace("<th>", "<td>")
            .replace("<th ", "<td ")
            .replace("</th>", "</td>");
        let html_rows = xml_rows(&html, "tr", "td");

        // The workbook: a row a metric, found by its name.
        let book = std::fs::read(out.join(format!("{year}/metrics.xlsx"))).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(book)).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let table: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
        let header: Vec<String> = table[0].iter().map(|c| c.to_string()).collect();
        let col = |name: &str| header.iter().position(|h| h.contains(name));
        let xlsx_row = |metric: &str| {
            table
                .iter()
                .find(|r| r.iter().any(|c| *c == metric))
                .unwrap_or_else(|| panic!("{year}: no workbook row for {metric}"))
        };
        let csv = p.read(&format!("output/{year}/metrics.csv"));
        let mut csv = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let csv_header = csv.headers().unwrap().clone();
        let csv_col = |name: &str| csv_header.iter().position(|h| h == name).unwrap();
        let csv_rows: BTreeMap<String, csv::StringRecord> = csv
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[csv_col("metric")].to_string(), r)
            })
            .collect();

        for lang in ["zh", "en"] {
            let md = p.read(&format!("output/{year}/report.{lang}.md"));
            let md_rows = md_rows(&md);
            assert!(md_rows.len() > metrics.len(), "{year} {lang}: {md_rows:?}");
            let docx = std::fs::read(out.join(format!("{year}/report.{lang}.docx"))).unwrap();
            // The document breaks a cell's lines itself (`<w:br/>`, in place of
            // a space or between two characters): compared without spaces.
            let squeeze = |row: &Vec<String>| -> Vec<String> {
                row.iter().map(|c| c.replace(' ', "")).collect()
            };
            let docx_rows: Vec<Vec<String>> =
                xml_rows(&zip_part(&docx, "word/document.xml"), "w:tr", "w:tc")
                    .iter()
                    .map(squeeze)
                    .collect();
            // One table, cell for cell, in the three outputs that show it.
            for row in &md_rows {
                assert!(
                    docx_rows.contains(&squeeze(row)),
                    "{year} {lang}: {row:?} of the Markdown is not a row of the document"
                );
                assert!(
                    html_rows.contains(row),
                    "{year} {lang}: {row:?} of the Markdown is not a row of the page"
                );
            }
            for (name, m) in &metrics {
                let label = if lang == "zh" { &m.zh } else { &m.en };
                let csv_row = &csv_rows[name];
                assert_eq!(
                    Some(&csv_row[csv_col("value")]).filter(|v| !v.is_empty()),
                    m.value.as_deref(),
                    "{year} {name}: the CSV's value"
                );
                let x = xlsx_row(name);
                let this_year = col("This year").or(col("Value")).unwrap();
                match &m.value {
                    Some(v) => assert_eq!(x[this_year], Data::Float(as_float(v)), "{year} {name}"),
                    None => assert!(
                        matches!(&x[this_year], Data::String(s) if s == "—"),
                        "{year} {name}: {:?}",
                        x[this_year]
                    ),
                }
                // The indicator table: the first row of the metric with as
                // many cells as the header.
                let width = if previous.is_some() { 4 } else { 2 };
                let Some(row) = md_rows
                    .iter()
                    .find(|r| r.len() == width && r[0] == normal(label))
                else {
                    panic!("{year} {lang}: no indicator row for {label}")
                };
                assert_eq!(
                    number_in(&row[1]),
                    m.value.clone(),
                    "{year} {lang} {name}: {row:?}"
                );
                let Some(previous) = &previous else { continue };
                let last = previous.get(name).and_then(|pm| pm.value.clone());
                let shown_last = m.value.as_ref().and(last.clone());
                assert_eq!(
                    number_in(&row[2]),
                    shown_last,
                    "{year} {lang} {name}: {row:?}"
                );
                let change = number_in(&row[3]);
                assert_eq!(
                    change.is_some(),
                    shown_last.is_some(),
                    "{year} {lang} {name}: {row:?}"
                );
                if let Some(c) = &change {
                    // The arrow says what the sign says.
                    let arrow = row[3].chars().next().unwrap();
                    let expected = if c
                        .trim_start_matches('-')
                        .chars()
                        .all(|d| d == '0' || d == '.')
                    {
                        '→'
                    } else if c.starts_with('-') {
                        '↓'
                    } else {
                        '↑'
                    };
                    assert_eq!(arrow, expected, "{year} {lang} {name}: {row:?}");
                    let Some(change_col) = col("Change") else {
                        panic!("{year}: no Change column in {header:?}")
                    };
                    assert_eq!(x[change_col], Data::Float(as_float(c)), "{year} {name}");
                    let Some(last_col) = col("Last year") else {
                        panic!("{year}: no Last year column in {header:?}")
                    };
                    assert_eq!(
                        x[last_col],
                        Data::Float(as_float(shown_last.as_deref().unwrap())),
                        "{year} {name}"
                    );
                }
            }
            // The verdicts: the target table's ✓ / ✗ is the CSV's target_met.
            for (name, m) in &metrics {
                let label = if lang == "zh" { &m.zh } else { &m.en };
                let met = &csv_rows[name][csv_col("target_met")];
                let verdict = md_rows
                    .iter()
                    .find(|r| {
                        r.len() == 4
                            && r[0] == normal(label)
                            && (r[3].contains('✓') || r[3].contains('✗') || r[3] == "—")
                    })
                    .map(|r| r[3].chars().next().unwrap());
                match met {
                    "true" => {
                        assert_eq!(verdict, Some('✓'), "{year} {lang} {name}");
                        verdicts.0 += 1;
                    }
                    "false" => {
                        assert_eq!(verdict, Some('✗'), "{year} {lang} {name}");
                        verdicts.1 += 1;
                    }
                    _ => assert!(
                        verdict.is_none_or(|v| v == '—'),
                        "{year} {lang} {name}: a verdict {verdict:?} with no target_met in the CSV"
                    ),
                }
            }
        }
    }
    verdicts
}

#[test]
fn every_output_of_the_example_shows_the_same_table_and_numbers() {
    let p = Project::example();
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    // 2006 meets its seven targets, 2007 four of five (the sex ratio's is
    // missed): each in two languages.
    assert_eq!(outputs_agree(&p), (22, 2));
}

/// The same where values are undefined, a target is missed and last year
/// differs: the fixture made for comparisons.
#[test]
fn every_output_of_a_comparison_shows_the_same_table_and_numbers() {
    for fixture in ["compare", "minimal", "years"] {
        let p = Project::from_fixture(fixture);
        let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
        assert_eq!(code, 0, "{fixture}: {err}");
        outputs_agree(&p);
    }
}
