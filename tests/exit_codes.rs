//! The command line's exit codes (0 done, 1 data problems, 2 usage or configuration, 3 not
//! made or written), its flag errors, and a closed standard output ending a command quietly.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{REPO, Scratch, stderr};

fn budsjett(args: &[&str]) -> Command {
    let mut command = common::budsjett();
    command.args(args).current_dir(REPO);
    command
}

fn run(args: &[&str]) -> Output {
    budsjett(args).output().expect("the budsjett binary runs")
}

/// Runs with standard output a pipe whose reading end is already closed, as after
/// `| head -1` has read its line: every write fails with a broken pipe.
fn run_into_closed_pipe(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let child = budsjett(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("the budsjett binary runs");
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_standard_output_ends_the_command_quietly_with_its_own_exit_code() {
    let out = tempfile::tempdir().unwrap();
    let output_dir = out.path().to_str().unwrap();
    for args in [
        &["check", "--config", "data/report.toml"][..],
        &["completions", "bash"],
        &["man"],
        &["render", "--output", output_dir],
    ] {
        let output = run_into_closed_pipe(args);
        let message = stderr(&output);
        assert!(!message.contains("panicked"), "{args:?}: {message}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {message}");
        assert_eq!(message, "", "{args:?}");
    }
    // The report is written all the same: only the "wrote …" line had nowhere to go.
    assert!(out.path().join("strategier-og-tiltak.pdf").is_file());

    // Problems still give exit code 1, and their count on standard error.
    let scratch = Scratch::new();
    scratch.edit("amounts.csv", "20 000 000", "20 mill");
    let config = scratch.data("report.toml");
    let output = run_into_closed_pipe(&["check", "--config", config.to_str().unwrap()]);
    let message = stderr(&output);
    assert!(!message.contains("panicked"), "{message}");
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("1 problem found"), "{message}");
}

#[test]
fn problems_in_the_data_exit_with_1() {
    let scratch = Scratch::new();
    scratch.edit("amounts.csv", "20 000 000", "20 mill");
    let config = scratch.data("report.toml");
    let check = run(&["check", "--config", config.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let render = scratch.render(&[]);
    assert_eq!(render.status.code(), Some(1), "{}", stderr(&render));
    assert!(
        stderr(&render).contains("amounts.csv:"),
        "{}",
        stderr(&render)
    );
    assert!(!scratch.pdf().exists());
}

#[test]
fn a_mistake_in_the_command_line_or_the_configuration_exits_with_2() {
    let scratch = Scratch::new();
    // Flags clap reads: the message names the flag, what was found and what is expected.
    for (args, found, expected) in [
        (
            &["--pdf-standard", "a-2a,a-9"][..],
            "'a-9' for '--pdf-standard",
            "possible values: 1.4, 1.5, 1.6, 1.7, 2.0, a-1b, a-1a, a-2b, a-2u, a-2a, a-3b, \
             a-3u, a-3a, a-4, a-4f, a-4e, ua-1, none",
        ),
        (
            &["--format", "png", "--pages", "3-1"],
            "'3-1' for '--pages",
            "expected pages such as 1,3-5",
        ),
        (
            &["--format", "png", "--pages", "0"],
            "'0' for '--pages",
            "expected pages such as 1,3-5",
        ),
        (
            &["--pdf-standard", "none,a-2b"],
            "--pdf-standard: found none together with other standards",
            "expected none alone",
        ),
        (
            &["--no-tags", "--pdf-standard", "a-2a"],
            "--no-tags: found the standards a-2a",
            "expected --no-tags only with standards that do not",
        ),
    ] {
        let output = scratch.render(args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(message.contains(found), "{args:?}: {message}");
        assert!(message.contains(expected), "{args:?}: {message}");
        assert!(!scratch.pdf().exists());
    }
    // The report configuration.
    scratch.edit("report.toml", "[period]", "[periode]");
    let output = scratch.render(&[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("report.toml"),
        "{}",
        stderr(&output)
    );
    let missing = run(&["check", "--config", "no/such/report.toml"]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(stderr(&missing).contains("no/such/report.toml: cannot read"));
}

#[test]
fn the_accepted_standard_lists_still_render() {
    let scratch = Scratch::new();
    for list in ["none", "a-2b", "1.7", "a-2a,ua-1"] {
        let output = scratch.render(&["--pdf-standard", list]);
        assert_eq!(output.status.code(), Some(0), "{list}: {}", stderr(&output));
        assert!(scratch.pdf().is_file());
    }
    // Pages as ranges: 1 and 3-4 of the sample's 8 pages give three images.
    let output = scratch.render(&["--format", "png", "--pages", "1,3-4", "--ppi", "18"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut pngs: Vec<String> = std::fs::read_dir(scratch.output())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".png"))
        .collect();
    pngs.sort();
    assert_eq!(
        pngs,
        [
            "strategier-og-tiltak-1.png",
            "strategier-og-tiltak-3.png",
            "strategier-og-tiltak-4.png"
        ]
    );
}

#[test]
fn a_report_that_cannot_be_written_exits_with_3() {
    let dir = tempfile::tempdir().unwrap();
    // The output "folder" is a file.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let output = run(&["render", "--output", blocker.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(stderr(&output).contains("cannot create the output folder"));
    assert!(Path::new(&blocker).is_file());
}

#[test]
fn help_states_the_exit_codes() {
    for args in [&["--help"][..], &["render", "--help"], &["check", "--help"]] {
        let help = String::from_utf8(run(args).stdout).unwrap();
        assert!(
            help.contains("Exit codes: 0 done, no problems; 1 problems in the data")
                && help.contains("2 a mistake in the command line or the report configuration")
                && help.contains("3 the report could not be typeset or written"),
            "{args:?}: {help}"
        );
    }
}
