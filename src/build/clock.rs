//! `LECTERN_TIMINGS=1`: how long each stage of a build took, printed to stderr.

use std::time::Instant;

/// Prints each stage's wall time to stderr when `LECTERN_TIMINGS` is set: how the
/// benchmarks in `BENCHMARKS.md` say where a build's time goes.
pub(super) struct StageClock {
    last: Option<Instant>,
    /// Put before each stage's name: the edition's folder, for an edition's stages.
    label: String,
}

impl StageClock {
    pub(super) fn from_env(label: &str) -> StageClock {
        StageClock {
            last: std::env::var_os("LECTERN_TIMINGS").map(|_| Instant::now()),
            label: label.to_string(),
        }
    }

    /// Ends the stage called `name`.
    pub(super) fn lap(&mut self, name: &str) {
        if let Some(last) = self.last.as_mut() {
            // Resident and peak memory so far (Linux), to see which stage holds what.
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |key: &str| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map_or(String::new(), |v| v.trim().replace(" kB", "").to_string())
            };
            eprintln!(
                "{:>8.1} ms  {:>7} kB resident {:>7} kB peak  {}{name}",
                last.elapsed().as_secs_f64() * 1000.0,
                field("VmRSS:"),
                field("VmHWM:"),
                self.label,
            );
            *last = Instant::now();
        }
    }
}
