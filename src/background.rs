//! Work begun on a thread of its own beside a run, whose result the run does not need (a
//! warm-up whose only effect is typst's memo): owned by whoever began it, who joins it when
//! the run is done, and quiet: a panic on its own thread prints nothing on standard error
//! (the default panic hook would, while the run's outcome is its own) and is only told to
//! whoever joins it, as `None`. Only that thread is quiet: threads the work hands on to (typst's
//! layout on rayon's workers) print their panics as any other. Dropped unjoined (a run that ends
//! early, with an error, and exits), it is not waited for: nobody needs what it makes, and an
//! error is told at once.

use std::cell::Cell;
use std::sync::Once;
use std::thread::JoinHandle;

thread_local! {
    /// Whether a panic on this thread goes untold by the panic hook: set on [`Background`]
    /// threads only.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Work running on a thread of its own, joined by [`Background::join`].
pub(crate) struct Background<T> {
    handle: JoinHandle<T>,
}

impl<T: Send + 'static> Background<T> {
    /// Begins `work` on a thread of its own.
    pub(crate) fn spawn(work: impl FnOnce() -> T + Send + 'static) -> Background<T> {
        quiet_hook();
        let handle = std::thread::spawn(move || {
            QUIET.with(|quiet| quiet.set(true));
            work()
        });
        Background { handle }
    }
}

impl<T> Background<T> {
    /// Waits for the work: its result, or `None` when it panicked.
    pub(crate) fn join(self) -> Option<T> {
        self.handle.join().ok()
    }
}

/// Puts, once per process, a hook before the panic hook there is (the default one prints the
/// panic's message) that leaves a panic on a [`Background`] thread untold.
fn quiet_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let told = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A thread ending (its thread-locals gone) is told as any other.
            if !QUIET.try_with(Cell::get).unwrap_or(false) {
                told(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_is_the_works() {
        assert_eq!(Background::spawn(|| 6 * 7).join(), Some(42));
    }

    #[test]
    fn a_panic_is_joined_as_none_and_not_raised() {
        let work = Background::spawn(|| -> u8 { panic!("budsjett-background-test") });
        assert_eq!(work.join(), None);
    }

    /// Run in a process of its own (the test binary again, this test alone, its output not
    /// captured): the panic hook is the process's, and the default one prints on standard
    /// error.
    #[test]
    fn a_panic_prints_no_message() {
        const CHILD: &str = "BUDSJETT_BACKGROUND_TEST_CHILD";
        if std::env::var_os(CHILD).is_some() {
            let work = Background::spawn(|| -> u8 { panic!("budsjett-background-test") });
            assert_eq!(work.join(), None);
            // A panic on any other thread is still told.
            let other = std::thread::spawn(|| panic!("budsjett-other-thread"));
            assert!(other.join().is_err());
            return;
        }
        let exe = std::env::current_exe().expect("the test binary");
        let output = std::process::Command::new(exe)
            .args([
                "--exact",
                "background::tests::a_panic_prints_no_message",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .output()
            .expect("the test binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}\n{stderr}");
        assert!(stdout.contains("1 passed"), "{stdout}");
        assert!(!stderr.contains("budsjett-background-test"), "{stderr}");
        assert!(stderr.contains("budsjett-other-thread"), "{stderr}");
    }
}
