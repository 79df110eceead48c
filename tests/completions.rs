//! `budsjett completions SHELL` and `budsjett man`: generated from the clap definitions, so
//! every command and option is in them.

mod common;

fn run(args: &[&str]) -> String {
    let output = common::budsjett()
        .args(args)
        .output()
        .expect("the budsjett binary runs");
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn bash_completion_knows_the_commands_and_their_options() {
    let script = run(&["completions", "bash"]);
    assert!(script.contains("complete -F _budsjett"), "{script}");
    for word in [
        "render",
        "check",
        "explain",
        "profile",
        "init",
        "--pdf-standard",
        "--from",
    ] {
        assert!(script.contains(word), "{word} missing");
    }
}

#[test]
fn every_shell_gets_a_script() {
    assert!(run(&["completions", "zsh"]).starts_with("#compdef budsjett"));
    assert!(run(&["completions", "fish"]).contains("complete -c budsjett"));
    assert!(run(&["completions", "powershell"]).contains("Register-ArgumentCompleter"));
    let refused = common::budsjett()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
}

#[test]
fn the_manual_page_is_roff_with_the_commands() {
    let page = run(&["man"]);
    assert!(page.contains(".TH budsjett 1"));
    assert!(page.contains("budsjett\\-render(1)"));
    assert!(page.contains("budsjett\\-init(1)"));
}
