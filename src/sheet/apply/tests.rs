use super::*;

fn imp(path: &str, decimal: &str) -> Imported {
    Imported {
        path: path.into(),
        decimal: decimal.into(),
        cell: "表1!D5".into(),
    }
}

fn new_file() -> NewFile<'static> {
    NewFile {
        year: 2006,
        period: (
            NaiveDate::from_ymd_opt(2005, 10, 1).unwrap(),
            NaiveDate::from_ymd_opt(2006, 9, 30).unwrap(),
        ),
        source: "forms-2006.xlsx",
    }
}

const FILE: &str = "# Figures of 2006.\n\n[period]\nstart = 2005-10-01\nend = 2006-09-30\n\n[population]\ntotal = 151837                    # end of period\n\n[births.by_order]\nfirst = 929\nsecond = 400   # two\n\n# Activity.\n[training]\ndays = 5\nrate = 12.50\n";

#[test]
fn only_the_values_named_change() {
    let values = [
        imp("population.total", "151840"),
        imp("births.by_order.second", "4000"),
        imp("births.by_order.first", "929"),
        imp("training.rate", "12.5"),
        imp("training.share", "0.3"),
        imp("births.by_sex.boys", "708"),
        imp("deaths.total", "738"),
    ];
    let applied = apply(Some(FILE), &values, &new_file()).unwrap();
    let statuses: Vec<&Status> = applied.changes.iter().map(|c| &c.status).collect();
    assert_eq!(
        statuses,
        [
            &Status::Changed("151837".into()),
            &Status::Changed("400".into()),
            &Status::Unchanged,
            &Status::Unchanged,
            &Status::Added,
            &Status::Added,
            &Status::Added,
        ]
    );
    assert_eq!(
        applied.text,
        "# Figures of 2006.\n\n[period]\nstart = 2005-10-01\nend = 2006-09-30\n\n[population]\ntotal = 151840                    # end of period\n\n[births.by_order]\nfirst = 929\nsecond = 4000  # two\n\n# Activity.\n[training]\ndays = 5\nrate = 12.50\nshare = 0.3\n\n[births.by_sex]\nboys = 708\n\n[deaths]\ntotal = 738\n"
    );
}

#[test]
fn a_new_file_has_its_period_and_tables_in_order() {
    let values = [
        imp("population.total", "151837"),
        imp("births.by_order.first", "929"),
        imp("births.by_order.second", "400"),
        imp("women.childbearing_age", "42791"),
        imp("births.total", "1335"),
        imp("rates.share", "12.35"),
        imp("big.n", "100000000000000000000"),
    ];
    let applied = apply(None, &values, &new_file()).unwrap();
    assert!(applied.changes.iter().all(|c| c.status == Status::Added));
    assert_eq!(
        applied.text,
        "# Figures of 2006, imported by `nianbao import` from forms-2006.xlsx.\n# Comments and layout added here are kept by later imports, which change only values.\n\n[period]\nstart = 2005-10-01\nend = 2006-09-30\n\n[population]\ntotal = 151837\n\n[births.by_order]\nfirst = 929\nsecond = 400\n\n[women]\nchildbearing_age = 42791\n\n[births]\ntotal = 1335\n\n[rates]\nshare = 12.35\n\n[big]\nn = 100000000000000000000\n"
    );
    // It reads back as TOML, as the loader reads it (integers of any size).
    let (doc, errors) = toml::de::DeTable::parse_recoverable(&applied.text);
    assert!(errors.is_empty(), "{errors:?}");
    let births = doc.get_ref().get("births").unwrap().get_ref();
    let total = births.as_table().unwrap().get("total").unwrap().get_ref();
    assert_eq!(total.as_integer().map(|i| i.as_str()), Some("1335"));
}

#[test]
fn a_figure_where_a_table_or_text_is_is_refused() {
    let values = [
        imp("population", "5"),
        imp("population.total.male", "5"),
        imp("period.start", "5"),
        imp("training.days", "6"),
    ];
    let err = apply(Some(FILE), &values, &new_file()).unwrap_err();
    let whys: Vec<&str> = err.iter().map(|c| c.why.as_str()).collect();
    assert_eq!(
        whys,
        [
            "figures.toml has `population` as a table, not a number",
            "figures.toml has `population.total` as a number, so it cannot hold the figure `population.total.male`",
            "figures.toml has `period.start` as a date, not a number",
        ]
    );
    assert!(apply(Some("a = ["), &values, &new_file()).is_err());
}

/// Audit R4: a whole number beyond 64 bits was written `….0`, a decimal; and a
/// file holding one could not be edited at all (toml_edit refuses it).
#[test]
fn whole_numbers_beyond_64_bits_are_written_and_kept_as_integers() {
    let file = "[t]\na = 123456789012345678901234567890   # big\nb = 1_000_000_000_000_000_000_000\nc = 2\n";
    let out = apply(
        Some(file),
        &[
            imp("t.c", "98765432109876543210987654321"),
            imp("t.d", "-99999999999999999999"),
        ],
        &new_file(),
    )
    .unwrap();
    assert_eq!(
        out.text,
        "[t]\na = 123456789012345678901234567890   # big\nb = 1_000_000_000_000_000_000_000\nc = 98765432109876543210987654321\nd = -99999999999999999999\n"
    );
    // The big integers read back: unchanged, changed and shown as written.
    let again = apply(
        Some(&out.text),
        &[
            imp("t.a", "123456789012345678901234567890"),
            imp("t.b", "5"),
            imp("t.c", "98765432109876543210987654321"),
        ],
        &new_file(),
    )
    .unwrap();
    let status: Vec<&Status> = again.changes.iter().map(|c| &c.status).collect();
    assert_eq!(
        status,
        [
            &Status::Unchanged,
            &Status::Changed("1_000_000_000_000_000_000_000".into()),
            &Status::Unchanged
        ]
    );
    assert!(again.text.contains("\nb = 5\n"), "{}", again.text);
    assert!(
        again
            .text
            .contains("a = 123456789012345678901234567890   # big\n")
    );
    // A marker-like string the user wrote is left alone.
    let odd = "[t]\nnote = 'nianbao-big-integer-0-0'\nn = 1\n";
    let out = apply(
        Some(odd),
        &[imp("t.n", "100000000000000000000")],
        &new_file(),
    )
    .unwrap();
    assert_eq!(
        out.text,
        "[t]\nnote = 'nianbao-big-integer-0-0'\nn = 100000000000000000000\n"
    );
}

#[test]
fn numbers_are_written_as_read() {
    for text in ["12.35", "0.3", "-0.13", "151837", "0.00000015", "12.350"] {
        assert_eq!(number_value(text).unwrap().to_string(), text);
    }
}

#[test]
fn keys_that_need_quotes_and_crlf_files() {
    let values = [imp("人口.总数", "5"), imp("a.x", "2")];
    let applied = apply(Some("[a]\r\nx = 1 # one\r\n"), &values, &new_file()).unwrap();
    assert_eq!(
        applied.text,
        "[a]\r\nx = 2 # one\r\n\r\n[\"人口\"]\r\n\"总数\" = 5\r\n"
    );
    let doc: DocumentMut = applied.text.parse().unwrap();
    assert_eq!(doc["人口"]["总数"].as_integer(), Some(5));
}
