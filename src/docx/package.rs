//! The OPC package: content types, relationships, document properties, and
//! the zip that holds them.
//!
//! Parts are written in a fixed order with fixed names, relationship ids are
//! numbered in order (`rId1` styles … `rId6` the first chart), and every zip
//! entry has the same timestamp (1980-01-01, the zip epoch), permissions and
//! host system, so the same document gives the same bytes on any machine.
//! `docProps/core.xml` carries the title and no dates.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use super::DocxError;
use super::xml::Xml;

const NS_PR: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The relationship ids of `word/document.xml`.
pub(crate) const RID_STYLES: &str = "rId1";
pub(crate) const RID_SETTINGS: &str = "rId2";
pub(crate) const RID_FONTS: &str = "rId3";
pub(crate) const RID_FOOTER_ODD: &str = "rId4";
pub(crate) const RID_FOOTER_EVEN: &str = "rId5";
pub(crate) const FIRST_CHART_RID: usize = 6;
/// Named, not numbered: the charts' ids follow the footers' and stay as they were.
pub(crate) const RID_FOOTNOTES: &str = "rIdFootnotes";

/// `[Content_Types].xml`.
pub(crate) fn content_types(charts: usize, footnotes: bool) -> String {
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut x = Xml::new();
    x.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    x.empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    );
    x.empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    );
    if charts > 0 {
        x.empty(
            "Default",
            &[
                ("Extension", "xlsx"),
                (
                    "ContentType",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            ],
        );
    }
    let overrides = [
        ("/word/document.xml", format!("{wml}.document.main+xml")),
        ("/word/styles.xml", format!("{wml}.styles+xml")),
        ("/word/settings.xml", format!("{wml}.settings+xml")),
        ("/word/fontTable.xml", format!("{wml}.fontTable+xml")),
        ("/word/footer1.xml", format!("{wml}.footer+xml")),
        ("/word/footer2.xml", format!("{wml}.footer+xml")),
    ];
    for (part, kind) in &overrides {
        x.empty("Override", &[("PartName", part), ("ContentType", kind)]);
    }
    if footnotes {
        x.empty(
            "Override",
            &[
                ("PartName", "/word/footnotes.xml"),
                ("ContentType", &format!("{wml}.footnotes+xml")),
            ],
        );
    }
    for n in 1..=charts {
        let part = format!("/word/charts/chart{n}.xml");
        x.empty(
            "Override",
            &[
                ("PartName", &part),
                (
                    "ContentType",
                    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
                ),
            ],
        );
    }
    x.empty(
        "Override",
        &[
            ("PartName", "/docProps/core.xml"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.core-properties+xml",
            ),
        ],
    );
    x.empty(
        "Override",
        &[
            ("PartName", "/docProps/app.xml"),
            (
                "ContentType",
                "application/vnd.openxmlformats-officedocument.extended-properties+xml",
            ),
        ],
    );
    x.finish()
}

/// `_rels/.rels`.
pub(crate) fn root_rels() -> String {
    let mut x = Xml::new();
    x.open("Relationships", &[("xmlns", NS_PR)]);
    x.empty(
        "Relationship",
        &[
            ("Id", "rId1"),
            ("Type", &format!("{REL}/officeDocument")),
            ("Target", "word/document.xml"),
        ],
    );
    x.empty(
        "Relationship",
        &[("Id", "rId2"), ("Type", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"), ("Target", "docProps/core.xml")],
    );
    x.empty(
        "Relationship",
        &[
            ("Id", "rId3"),
            ("Type", &format!("{REL}/extended-properties")),
            ("Target", "docProps/app.xml"),
        ],
    );
    x.finish()
}

/// `word/_rels/document.xml.rels`.
pub(crate) fn document_rels(charts: usize, links: &[String], footnotes: bool) -> String {
    let mut x = Xml::new();
    x.open("Relationships", &[("xmlns", NS_PR)]);
    for (id, kind, target) in [
        (RID_STYLES, "styles", "styles.xml"),
        (RID_SETTINGS, "settings", "settings.xml"),
        (RID_FONTS, "fontTable", "fontTable.xml"),
        (RID_FOOTER_ODD, "footer", "footer1.xml"),
        (RID_FOOTER_EVEN, "footer", "footer2.xml"),
    ] {
        x.empty(
            "Relationship",
            &[
                ("Id", id),
                ("Type", &format!("{REL}/{kind}")),
                ("Target", target),
            ],
        );
    }
    if footnotes {
        x.empty(
            "Relationship",
            &[
                ("Id", RID_FOOTNOTES),
                ("Type", &format!("{REL}/footnotes")),
                ("Target", "footnotes.xml"),
            ],
        );
    }
    for n in 1..=charts {
        let id = format!("rId{}", FIRST_CHART_RID + n - 1);
        let target = format!("charts/chart{n}.xml");
        x.empty(
            "Relationship",
            &[
                ("Id", &id),
                ("Type", &format!("{REL}/chart")),
                ("Target", &target),
            ],
        );
    }
    for (i, url) in links.iter().enumerate() {
        x.empty(
            "Relationship",
            &[
                ("Id", &super::document::link_rid(i + 1)),
                ("Type", &format!("{REL}/hyperlink")),
                ("Target", url),
                ("TargetMode", "External"),
            ],
        );
    }
    x.finish()
}

/// The name of chart `n`'s embedded workbook, under `word/embeddings/`.
pub(crate) fn workbook_name(n: usize) -> String {
    format!("Microsoft_Excel_Worksheet{n}.xlsx")
}

/// `word/charts/_rels/chartN.xml.rels`: the chart's workbook.
pub(crate) fn chart_rels(n: usize) -> String {
    let mut x = Xml::new();
    x.open("Relationships", &[("xmlns", NS_PR)]);
    let target = format!("../embeddings/{}", workbook_name(n));
    x.empty(
        "Relationship",
        &[
            ("Id", "rId1"),
            ("Type", &format!("{REL}/package")),
            ("Target", &target),
        ],
    );
    x.finish()
}

/// `docProps/core.xml`: the title and language, no dates (they would change the bytes).
pub(crate) fn core(title: &str, language: &str) -> String {
    let mut x = Xml::new();
    x.open(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    x.leaf("dc:title", &[], title);
    x.leaf("dc:creator", &[], "nianbao");
    x.leaf("dc:language", &[], language);
    x.finish()
}

/// `docProps/app.xml`.
pub(crate) fn app() -> String {
    let mut x = Xml::new();
    x.open(
        "Properties",
        &[
            (
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
            ),
            (
                "xmlns:vt",
                "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
            ),
        ],
    );
    x.leaf("Application", &[], "nianbao");
    x.leaf("DocSecurity", &[], "0");
    x.finish()
}

/// Parts smaller than this are stored, not deflated: starting a compressor costs
/// more than the few hundred bytes it would save (most parts of a package are
/// small: relationships, properties, a chart's cache).
const DEFLATE_FROM: usize = 8 * 1024;

/// Zips `parts` (name, content) in the order given.
pub(crate) fn zip<C: AsRef<[u8]>>(parts: &[(String, C)]) -> Result<Vec<u8>, DocxError> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .system(System::Unix)
        .unix_permissions(0o644);
    for (name, content) in parts {
        let content = content.as_ref();
        let method = if content.len() < DEFLATE_FROM {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        // The fastest level: a report's parts are text that any level shrinks about
        // as much, and the document is made on every build.
        let level = (method == CompressionMethod::Deflated).then_some(1);
        w.start_file(
            name.as_str(),
            options.compression_method(method).compression_level(level),
        )?;
        w.write_all(content)?;
    }
    Ok(w.finish()?.into_inner())
}
