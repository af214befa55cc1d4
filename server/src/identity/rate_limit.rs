//! Failure counters with a sliding window: after `max` failures within `window` for one key
//! (an account, a client address), further attempts are refused until the oldest failure ages
//! out. Cognito's emulator has no lockout and the real one's is coarse, so the portal keeps its own.
//! The counters are in memory, per portal instance (a shared store is the next step at scale).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct FailureLimiter {
    max: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl FailureLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        Self {
            max,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(retry_after)` while `key` is over its limit.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = map.get_mut(key) else {
            return Ok(());
        };
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        if times.len() >= self.max {
            let oldest = *times.front().expect("non-empty");
            return Err(self
                .window
                .saturating_sub(now.duration_since(oldest))
                .max(Duration::from_secs(1)));
        }
        Ok(())
    }

    pub fn record_failure(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Bound memory: forget keys whose failures have all aged out.
        if map.len() > 10_000 {
            let now = Instant::now();
            map.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
        let times = map.entry(key.to_owned()).or_default();
        times.push_back(Instant::now());
        while times.len() > self.max {
            times.pop_front();
        }
    }

    pub fn clear(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_after_max_failures_and_names_a_wait() {
        let l = FailureLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(l.check("a").is_ok());
            l.record_failure("a");
        }
        let wait = l.check("a").unwrap_err();
        assert!(wait <= Duration::from_secs(60) && wait >= Duration::from_secs(1));
        assert!(l.check("b").is_ok(), "keys are independent");
        l.clear("a");
        assert!(l.check("a").is_ok());
    }

    #[test]
    fn failures_age_out() {
        let l = FailureLimiter::new(1, Duration::from_millis(20));
        l.record_failure("a");
        assert!(l.check("a").is_err());
        std::thread::sleep(Duration::from_millis(30));
        assert!(l.check("a").is_ok());
    }
}
