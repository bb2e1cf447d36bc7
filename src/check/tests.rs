use super::*;
use crate::diag::FileId;

fn project(catalogue: &str) -> Project {
    let mut diags = Diagnostics::default();
    let catalogue = crate::load::catalogue::parse(FileId(0), catalogue, &mut diags);
    assert!(!diags.has_errors());
    let config = "[organisation]\nzh = \"机构\"\nen = \"Office\"\n";
    let config = crate::load::config::parse(FileId(1), config, &mut diags);
    Project {
        root: std::path::PathBuf::new(),
        config: config.unwrap(),
        catalogue,
        years: Default::default(),
        templates: Vec::new(),
    }
}

/// Issue 11, item 1: ordering the metrics and finding loops recursed once per
/// link of a chain of metrics, each built on the next; on a small stack (serve
/// rebuilds on a thread) that overflowed.
#[test]
fn a_long_chain_of_metrics_is_ordered_on_a_small_stack() {
    const N: usize = 20_000;
    let mut text = String::new();
    for i in 0..N {
        let next = if i + 1 < N {
            format!("m{}", i + 1)
        } else {
            "1".into()
        };
        text.push_str(&format!(
            "[metrics.m{i}]\nzh = \"m\"\nen = \"m\"\nformula = \"{next} + 1\"\n"
        ));
    }
    let p = project(&text);
    let small_stack = std::thread::Builder::new().stack_size(256 * 1024);
    let order = small_stack
        .spawn(move || {
            let mut diags = Diagnostics::default();
            let checked = check_catalogue(&p, &mut diags);
            assert!(!diags.has_errors());
            checked.order
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(order.len(), N);
    assert_eq!(order[0], format!("m{}", N - 1));
    assert_eq!(order[N - 1], "m0");
}

#[test]
fn loops_are_found_and_named_in_order() {
    let p = project(
        "[metrics.a]\nzh = \"a\"\nen = \"a\"\nformula = \"b + 1\"\n\
             [metrics.b]\nzh = \"b\"\nen = \"b\"\nformula = \"c + a\"\n\
             [metrics.c]\nzh = \"c\"\nen = \"c\"\nformula = \"1\"\n",
    );
    let mut diags = Diagnostics::default();
    let checked = check_catalogue(&p, &mut diags);
    assert_eq!(checked.order, ["c", "b", "a"]);
    let messages: Vec<&str> = diags.items.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        ["metrics depend on each other in a loop: a → b → a"]
    );
}
