//! Builds a large synthetic project for benchmarks: the example's 2006 data
//! repeated over many years, with the counts nudged so that years differ.

use std::path::Path;

/// Writes a project with `years` years (ending in 2006 + years - 1) into `dir`.
pub fn make_project(repo: &Path, dir: &Path, years: i32) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("data"))?;
    std::fs::copy(repo.join("nianbao.toml"), dir.join("nianbao.toml"))?;
    std::fs::copy(
        repo.join("data/metrics.toml"),
        dir.join("data/metrics.toml"),
    )?;
    let src = repo.join("data/2006");
    let figures = std::fs::read_to_string(src.join("figures.toml"))?;
    for i in 0..years {
        let year = 2006 - years + 1 + i;
        let out = dir.join("data").join(year.to_string());
        std::fs::create_dir_all(&out)?;
        let text = figures
            .replace("start = 2005-10-01", &format!("start = {}-10-01", year - 1))
            .replace("end = 2006-09-30", &format!("end = {year}-09-30"))
            .replace(
                "total = 151837",
                &format!("total = {}", 151837 - 400 * (years - 1 - i)),
            )
            .replace("first = 929", &format!("first = {}", 929 + (i % 7) * 3))
            .replace("boys = 708", &format!("boys = {}", 708 + (i % 7) * 3));
        std::fs::write(out.join("figures.toml"), text)?;
        for name in ["summary.toml", "plan.toml", "targets.toml"] {
            if src.join(name).exists() {
                std::fs::copy(src.join(name), out.join(name))?;
            }
        }
    }
    Ok(())
}
