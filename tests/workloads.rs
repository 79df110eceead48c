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

/// The benchmark scripts parse (issue 29: the suite stopped with an error once and nobody
/// saw it): Python's compiler accepts every script, run.py answers `--help` with its parts
/// and its smoke mode, and bash accepts the national run and the profiles. Nothing is timed or
/// run here.
#[test]
fn the_benchmark_scripts_parse() {
    let benches = Path::new(common::REPO).join("benches");
    let cache = tempfile::tempdir().unwrap();
    let scripts = [
        "run.py",
        "peers.py",
        "generate.py",
        "heap_owners.py",
        "callgrind.py",
    ]
    .map(|s| benches.join(s));
    let compiled = Command::new("python3")
        .args(["-m", "py_compile"])
        .args(&scripts)
        .env("PYTHONPYCACHEPREFIX", cache.path())
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&compiled.stderr);
    assert!(compiled.status.success(), "{stderr}");

    let help = Command::new("python3")
        .arg(benches.join("run.py"))
        .arg("--help")
        .env("PYTHONPYCACHEPREFIX", cache.path())
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.status.success(),
        "{}",
        String::from_utf8_lossy(&help.stderr)
    );
    for word in [
        "--smoke",
        "--only",
        "sizes",
        "peers",
        "curve",
        "each-watch",
        "heap",
    ] {
        assert!(text.contains(word), "{word} missing from:\n{text}");
    }

    for script in ["national.sh", "profile.sh", "profile_watch.sh"] {
        let bash = Command::new("bash")
            .arg("-n")
            .arg(benches.join(script))
            .output()
            .expect("bash runs");
        assert!(
            bash.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&bash.stderr)
        );
    }
}
