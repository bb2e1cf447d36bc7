use super::*;

const FIGURES: &str = "# 2006 figures, from the yearbook.\n\n[period]\nstart = 2005-10-01\nend = 2006-09-30\n\n[source]\ndocument = \"Report 2006\"\nstatus = \"final\"\n\n[population]\ntotal = 151837          # end of period\n\n# Births.\n[births.by_order]\nfirst = 929\nrate = 0.125\n";

const PLAN: &str = "[[items]]\ntitle = { zh = \"宣传\", en = \"Publicity \\\"now\\\"\" }\ntext = { zh = \"加强宣传。\", en = \"More publicity.\" }\n\n[targets.birth_rate]\nmax = 9.50\n\n[targets.\"odd name\"]\nmin = 1\n";

fn files() -> Vec<NewFile> {
    scaffold(
        2007,
        &LastYear {
            year: 2006,
            figures: FIGURES,
            plan: Some(PLAN),
        },
    )
    .unwrap()
}

/// Issue 11, item 9: a multi-line string in last year's [source] had only its
/// first line commented out, and the new figures.toml did not parse.
#[test]
fn a_multi_line_source_note_is_commented_on_every_line() {
    let figures = FIGURES.replace(
        "document = \"Report 2006\"\n",
        "note = \"\"\"\nfrom the yearbook,\r\nchecked twice\n\"\"\"\nalso = '''\nraw\n'''\n",
    );
    let out = scaffold(
        2007,
        &LastYear {
            year: 2006,
            figures: &figures,
            plan: None,
        },
    )
    .unwrap();
    let t = &out[0].text;
    let doc: DocumentMut = t.parse().unwrap_or_else(|e| panic!("{e}\n{t}"));
    assert_eq!(doc["source"]["status"].as_str(), Some("draft"));
    assert!(doc["source"].get("note").is_none(), "{t}");
    for line in [
        "# note = \"\"\"",
        "# from the yearbook,",
        "# checked twice",
        "# also = '''",
        "# raw",
    ] {
        assert!(t.lines().any(|l| l == line), "{line:?} in\n{t}");
    }
}

#[test]
fn figures_keep_keys_and_values_and_become_a_draft() {
    let f = &files()[0];
    assert_eq!(f.name, "figures.toml");
    let t = &f.text;
    assert!(t.starts_with("# Figures for 2007"), "{t}");
    assert!(!t.contains("from the yearbook"), "{t}");
    assert!(t.contains("start = 2006-10-01"), "{t}");
    assert!(t.contains("end = 2007-09-30"), "{t}");
    assert!(t.contains("status = \"draft\""), "{t}");
    assert!(!t.contains("status = \"final\""), "{t}");
    assert!(t.contains("# document = \"Report 2006\""), "{t}");
    assert!(
            t.contains(
                "total = 151837          # placeholder: 151837, the 2006 value (2006 note: end of period)"
            ),
            "{t}"
        );
    assert!(
        t.contains("rate = 0.125    # placeholder: 0.125, the 2006 value"),
        "{t}"
    );
    assert!(t.contains("# Births.\n[births.by_order]"), "{t}");
    // It is TOML, and [source] stays before the figures.
    let doc: DocumentMut = t.parse().unwrap();
    assert_eq!(doc["source"]["status"].as_str(), Some("draft"));
    assert!(t.find("[source]").unwrap() < t.find("[population]").unwrap());
}

#[test]
fn leap_days_move_to_the_28th() {
    let figures = "[period]\nstart = 2007-03-01\nend = 2008-02-29\n";
    let out = scaffold(
        2009,
        &LastYear {
            year: 2008,
            figures,
            plan: None,
        },
    )
    .unwrap();
    assert!(out[0].text.contains("end = 2009-02-28"), "{}", out[0].text);
}

#[test]
fn a_year_to_the_end_of_february_keeps_its_last_day() {
    let figures = "[period]\nstart = 2006-03-01\nend = 2007-02-28\n";
    let out = scaffold(
        2008,
        &LastYear {
            year: 2007,
            figures,
            plan: None,
        },
    )
    .unwrap();
    let t = &out[0].text;
    assert!(t.contains("start = 2007-03-01\nend = 2008-02-29"), "{t}");
}

#[test]
fn targets_come_from_the_plan_as_written() {
    let t = &files()[1].text;
    assert!(t.contains("[birth_rate]\nmax = 9.50\n"), "{t}");
    assert!(t.contains("[\"odd name\"]\nmin = 1\n"), "{t}");
    let _: DocumentMut = t.parse().unwrap();
}

#[test]
fn summary_has_a_section_per_plan_item_with_empty_texts() {
    let t = &files()[2].text;
    let doc: DocumentMut = t.parse().unwrap();
    let sections = doc["sections"].as_array_of_tables().unwrap();
    assert_eq!(sections.len(), 1);
    assert_eq!(
        sections.get(0).unwrap()["title"]["en"].as_str(),
        Some("Publicity \"now\"")
    );
    assert_eq!(sections.get(0).unwrap()["text"]["zh"].as_str(), Some(""));
    assert!(t.contains("#   More publicity."), "{t}");
    assert!(t.contains("{{ m.<metric> }}"), "{t}");
}

#[test]
fn plan_skeleton_is_valid_toml() {
    let t = &files()[3].text;
    let doc: DocumentMut = t.parse().unwrap();
    assert_eq!(doc["guiding_principle"]["zh"].as_str(), Some(""));
    assert!(t.contains("# [targets.birth_rate]\n# max = 9.50"), "{t}");
}

#[test]
fn broken_toml_is_an_error_not_a_panic() {
    let err = scaffold(
        2007,
        &LastYear {
            year: 2006,
            figures: "[period\n",
            plan: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("data/2006/figures.toml"), "{err}");
}
