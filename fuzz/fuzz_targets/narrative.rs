//! Fuzz target: any text, as a narrative text (the opening of the summary, in both
//! languages) of a valid project, must render without a panic, and what it renders
//! to must stay within the bounds of `render::bounded`: at most 10 MiB per text and
//! per report, loops bounded by the `range` budget. Every diagnostic must render.

#![no_main]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use nianbao::compute::{self, YearValues};
use nianbao::diag::{self, Diagnostics, Loc, Sources};
use nianbao::model::{LocStr, Project, Summary, Text};
use nianbao::render::bounded::MAX_RENDERED;
use nianbao::render::{Renderer, RunView};
use nianbao::{check, load};

/// A valid project, loaded, checked and computed once.
struct Base {
    project: Project,
    sources: Sources,
    values: YearValues,
    renderer: Renderer,
}

const FILES: [(&str, &str); 3] = [
    (
        "nianbao.toml",
        "[organisation]\nzh = \"测试机构\"\nen = \"Test Office\"\n",
    ),
    (
        "data/metrics.toml",
        "[metrics.share]\nzh = \"占比\"\nen = \"Share\"\nformula = \"c.part / c.whole * 100\"\nunit = \"%\"\ndecimals = 1\nchart = true\n\n[metrics.people]\nzh = \"人数\"\nen = \"People\"\nformula = \"c.whole\"\nunit = { zh = \"人\", en = \"persons\" }\n",
    ),
    (
        "data/2020/figures.toml",
        "[period]\nstart = 2020-01-01\nend = 2020-12-31\n[c]\npart = 57\nwhole = 200\n",
    ),
];

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for (name, text) in FILES {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
            std::fs::write(path, text).expect("write");
        }
        let root = dir.path().to_path_buf();
        let loaded = load::load(&root, |_| load::Wanted::all(&root)).expect("the project loads");
        let project = loaded.project.expect("a project");
        let mut sources = loaded.sources;
        let mut diags = loaded.diags;
        let checked = check::check_catalogue(&project, &mut diags);
        let year = &project.years[&2020];
        let values = compute::compute_year(&project, &checked.order, year, &mut diags);
        let renderer = Renderer::new(&project, &mut sources, &mut diags).expect("templates");
        assert!(!diags.has_errors(), "the base project has errors");
        Base {
            project,
            sources,
            values,
            renderer,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let base = base();
    let mut sources = base.sources.clone();
    let file = sources.add(
        Path::new("data/2020/summary.toml"),
        "data/2020/summary.toml".into(),
        Arc::from(text),
    );
    let loc = Loc {
        file,
        span: 0..text.len(),
    };
    let written = LocStr {
        text: text.to_string(),
        loc: loc.clone(),
        offsets: None,
    };
    let mut year = base.project.years[&2020].clone();
    year.summary = Some(Summary {
        opening: Some(Text {
            zh: Some(written.clone()),
            en: Some(written),
            loc,
        }),
        ..Summary::default()
    });
    let view = RunView {
        project: &base.project,
        all_values: &[&base.values],
        sources: &sources,
        threads: 1,
    };
    let mut diags = Diagnostics::default();
    if let Some(rendered) = base
        .renderer
        .render_year(&view, &year, &base.values, &mut diags)
    {
        for edition in &rendered.editions {
            assert!(
                edition.markdown.len() <= MAX_RENDERED,
                "a report over the bound"
            );
            let opening = edition
                .context
                .summary
                .as_ref()
                .and_then(|s| s.opening.as_ref());
            // Escaping `<` and `>` for Markdown makes a text at most four times longer.
            assert!(opening.is_none_or(|o| o.len() <= 4 * MAX_RENDERED + 64));
        }
    }
    for d in &diags.items {
        let _ = diag::render(d, &sources, false);
    }
});
