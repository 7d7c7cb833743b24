//! Reusing a previous build's results: `lectern serve` keeps what each document's
//! Markdown and page came to, keyed by a hash of everything they were made from, so an
//! edit to one page re-renders that page (and what shows it), not the whole site.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::Result;

/// One build's view of a cache: what the last build made, and what this one uses.
pub struct Memo<V> {
    previous: HashMap<u64, V>,
    current: Mutex<HashMap<u64, V>>,
    made: AtomicUsize,
}

impl<V: Clone> Memo<V> {
    /// A memo over the previous build's entries.
    pub fn new(previous: HashMap<u64, V>) -> Memo<V> {
        Memo {
            previous,
            current: Mutex::new(HashMap::new()),
            made: AtomicUsize::new(0),
        }
    }

    /// The value for `key`: the previous build's, or made now.
    pub fn get_or_make(&self, key: u64, make: impl FnOnce() -> Result<V>) -> Result<V> {
        let value = match self.previous.get(&key) {
            Some(value) => value.clone(),
            None => {
                self.made.fetch_add(1, Ordering::Relaxed);
                make()?
            }
        };
        self.current
            .lock()
            .expect("no panics while holding the lock")
            .insert(key, value.clone());
        Ok(value)
    }

    /// How many values were made rather than reused.
    pub fn made(&self) -> usize {
        self.made.load(Ordering::Relaxed)
    }

    /// The entries this build used: the next build's previous ones.
    pub fn into_entries(self) -> HashMap<u64, V> {
        self.current
            .into_inner()
            .expect("no panics while holding the lock")
    }
}

/// A hash of any hashable inputs.
pub fn hash_of(parts: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_previous_values_and_counts_what_it_makes() {
        let first = Memo::new(HashMap::new());
        assert_eq!(first.get_or_make(1, || Ok("a".to_string())).unwrap(), "a");
        assert_eq!(first.made(), 1);
        let second = Memo::new(first.into_entries());
        assert_eq!(second.get_or_make(1, || panic!("reused")).unwrap(), "a");
        assert_eq!(second.get_or_make(2, || Ok("b".to_string())).unwrap(), "b");
        assert_eq!(second.made(), 1);
        assert_eq!(second.into_entries().len(), 2);
    }
}
