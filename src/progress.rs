//! Progress on long work, on stderr: a spinner with the current stage for one report, an
//! overall bar and a line per running sector for `render --each`. Shown only when stderr is
//! a terminal and `--quiet` is not given; otherwise every call does nothing, so the output of
//! scripts, pipes and tests is unchanged.

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The text of a stage, made when it is shown: `&|| msg!("progress.typesetting")`.
pub type StageText<'a> = &'a dyn Fn() -> String;

/// Progress for one command; silent when not shown.
pub struct Progress {
    shown: Option<Shown>,
}

struct Shown {
    multi: MultiProgress,
    stage: ProgressBar,
    overall: std::sync::Mutex<Option<ProgressBar>>,
}

impl Progress {
    /// Progress on stderr when it is a terminal and `quiet` is false.
    pub fn new(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::silent();
        }
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let stage = multi.add(ProgressBar::new_spinner());
        stage.set_style(spinner());
        stage.enable_steady_tick(Duration::from_millis(120));
        Progress {
            shown: Some(Shown {
                multi,
                stage,
                overall: std::sync::Mutex::new(None),
            }),
        }
    }

    /// Progress that shows nothing.
    pub(crate) fn silent() -> Progress {
        Progress { shown: None }
    }

    /// The stage the work is in, e.g. "typesetting": its text is made only when shown (a quiet
    /// render never reads the messages' catalogue for it).
    pub fn stage(&self, text: StageText) {
        if let Some(shown) = &self.shown {
            shown.stage.set_message(text());
        }
    }

    /// Starts the overall bar of `render --each`: `count` sectors.
    pub(crate) fn start_each(&self, count: usize) {
        let Some(shown) = &self.shown else { return };
        shown.stage.finish_and_clear();
        let bar = shown.multi.add(ProgressBar::new(count as u64));
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{bar:30}} {{pos}}/{{len}} {}, {{elapsed}}",
                crate::msg!("progress.sectors")
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        if let Ok(mut overall) = shown.overall.lock() {
            *overall = Some(bar);
        }
    }

    /// A line for one sector while it is rendered.
    pub fn sector(&self, name: &str) -> SectorBar {
        let Some(shown) = &self.shown else {
            return SectorBar {
                bar: None,
                overall: None,
            };
        };
        let bar = shown.multi.add(ProgressBar::new_spinner());
        bar.set_style(spinner());
        bar.set_prefix(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        let overall = shown.overall.lock().ok().and_then(|o| o.clone());
        SectorBar {
            bar: Some(bar),
            overall,
        }
    }

    /// Clears everything shown.
    pub fn finish(&self) {
        if let Some(shown) = &self.shown {
            shown.stage.finish_and_clear();
            if let Ok(overall) = shown.overall.lock()
                && let Some(bar) = overall.as_ref()
            {
                bar.finish_and_clear();
            }
            let _ = shown.multi.clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The line of one sector.
pub struct SectorBar {
    bar: Option<ProgressBar>,
    overall: Option<ProgressBar>,
}

impl SectorBar {
    /// The stage the sector is in; its text is made only when shown.
    pub fn stage(&self, text: StageText) {
        if let Some(bar) = &self.bar {
            bar.set_message(text());
        }
    }

    /// The sector is done; the overall bar moves on.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if let Some(overall) = &self.overall {
            overall.inc(1);
        }
    }
}

fn spinner() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {prefix} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}
