//! A progress bar on stderr, only when stderr is a terminal and only once a run has taken
//! more than a second (short runs print nothing extra; pipes and CI never see it). It counts
//! replications, or what a command names (`sweep`: the injections it simulates).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Delay before the bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Work done out of a total, shown after a second on a terminal.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    visible: Mutex<bool>,
    terminal: bool,
}

impl Progress {
    /// A hidden bar over `total` replications.
    pub fn new(total: u64, quiet: bool) -> Progress {
        Progress::counting(total, quiet, "replications")
    }

    /// A hidden bar over `total` of `unit`.
    pub fn counting(total: u64, quiet: bool, unit: &str) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let template = format!("{{msg:12}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{eta}} left)");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress {
            bar,
            started: Instant::now(),
            visible: Mutex::new(false),
            terminal: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// Sets the position and the label (the architecture being run).
    pub fn update(&self, position: u64, label: &str) {
        if self.terminal && self.started.elapsed() > SHOW_AFTER {
            let mut visible = self.visible.lock().unwrap_or_else(|e| e.into_inner());
            if !*visible {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
                *visible = true;
            }
        }
        self.bar.set_message(label.to_string());
        self.bar.set_position(position);
    }

    /// Sets the total (when it is known only once the work has started).
    pub fn set_total(&self, total: u64) {
        self.bar.set_length(total);
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
