//! The benchmark workloads are what they claim: deterministic, in the real shape, read without
//! problems, and the detail report lists every line. (Timings live in benches/, never here.)

mod common;

use std::path::Path;
use std::process::Command;

fn generate(lines: u32, dir: &Path) {
    let status = Command::new("python3")
        .arg(Path::new(common::REPO).join("benches/generate.py"))
        .arg(lines.to_string())
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs the generator");
    assert!(status.success());
}

#[test]
fn generated_workloads_are_deterministic_and_read_cleanly() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    generate(2000, a.path());
    generate(2000, b.path());
    let csv = std::fs::read(a.path().join("export-2000.csv")).unwrap();
    assert_eq!(
        csv,
        std::fs::read(b.path().join("export-2000.csv")).unwrap(),
        "same seed, same bytes"
    );
    let text = String::from_utf8(csv).unwrap();
    assert_eq!(text.lines().count(), 2001);
    assert!(text.starts_with(
        "tjomr;tjomr_tekst;tjeneste;tjeneste_tekst;art;art_tekst;ansvar;aar;belop\r\n"
    ));

    // An independent sum of the amounts of 2025 (spaces dropped).
    let expected: i64 = text
        .lines()
        .skip(1)
        .map(|l| l.split(';').collect::<Vec<_>>())
        .filter(|c| c[7] == "2025")
        .map(|c| c[8].replace(' ', "").parse::<i64>().unwrap())
        .sum();

    let config = a.path().join("summary-2000.toml");
    let prepared =
        budsjett::pipeline::prepare(&config, &Path::new(common::REPO).join("templates")).unwrap();
    let budget = prepared.report.budget.unwrap().parts.remove(0);
    assert_eq!(
        budget.balance[0].amount,
        rust_decimal::Decimal::from(expected)
    );
    // 50 tjenesteområder.
    assert_eq!(budget.net_by_group.rows.len(), 50);

    let detail = budsjett::pipeline::prepare(
        &a.path().join("detail-2000.toml"),
        &Path::new(common::REPO).join("templates"),
    )
    .unwrap();
    let listed: usize = detail
        .report
        .budget
        .unwrap()
        .parts
        .remove(0)
        .listing
        .iter()
        .map(|g| g.rows.len())
        .sum();
    assert_eq!(listed, 2000, "the detail report lists every line");
}
