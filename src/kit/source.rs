//! Where a generator's choices come from: a seed (a small PRNG) or a byte string (a
//! fuzzer's input, a proptest choice vector). Every choice is an index below a bound,
//! and index 0 is always the simplest option, so that a byte string shrunk toward
//! zeros (or cut short: missing bytes read as zeros) gives a simpler case.

/// The choices a generator makes: drawn from a seed or read from bytes.
///
/// ```
/// use ims_image_meta::kit::Source;
///
/// let mut a = Source::from_seed(7);
/// let mut b = Source::from_seed(7);
/// assert_eq!(a.below(1000), b.below(1000)); // the same seed makes the same choices
///
/// let mut c = Source::from_bytes(&[3]);
/// assert_eq!(c.below(10), 3);
/// assert_eq!(c.below(10), 0); // past the end, every choice is the simplest
/// ```
#[derive(Debug, Clone)]
pub struct Source {
    inner: Inner,
}

#[derive(Debug, Clone)]
enum Inner {
    /// splitmix64's state.
    Seed(u64),
    /// The bytes and the read position.
    Bytes(Vec<u8>, usize),
}

impl Source {
    /// Choices drawn from `seed` (splitmix64: every seed, 0 included, is good).
    pub fn from_seed(seed: u64) -> Source {
        Source {
            inner: Inner::Seed(seed),
        }
    }

    /// Choices read from `bytes`, one byte for a bound up to 256, four (little-endian)
    /// above; past the end every read is 0.
    pub fn from_bytes(bytes: &[u8]) -> Source {
        Source {
            inner: Inner::Bytes(bytes.to_vec(), 0),
        }
    }

    /// Whether a byte source has been read to its end (never for a seed).
    pub fn is_exhausted(&self) -> bool {
        match &self.inner {
            Inner::Seed(_) => false,
            Inner::Bytes(b, at) => *at >= b.len(),
        }
    }

    fn raw(&mut self, wide: bool) -> u64 {
        match &mut self.inner {
            Inner::Seed(state) => {
                *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = *state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^ (z >> 31)
            }
            Inner::Bytes(bytes, at) => {
                let n = if wide { 4 } else { 1 };
                let mut v = 0u64;
                for i in 0..n {
                    let b = bytes.get(*at + i).copied().unwrap_or(0);
                    v |= u64::from(b) << (8 * i);
                }
                *at = at.saturating_add(n);
                v
            }
        }
    }

    /// A choice in `0..n` (0 when `n` is 0 or 1, without reading anything).
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let v = self.raw(n > 256);
        // `n` fits in 64 bits on every target; the modulo bias is irrelevant here.
        (v % n as u64) as usize
    }

    /// A value in `lo..=hi` (`lo` when the range is empty), `lo` being the simplest.
    pub fn in_range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo).saturating_add(1))
    }

    /// True with probability about `1 / n` (never for a byte source's 0).
    pub fn one_in(&mut self, n: usize) -> bool {
        n > 0 && self.below(n) == n - 1
    }

    /// One of `items` (the first is the simplest); `None` when it is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let i = self.below(items.len());
        items.get(i)
    }

    /// 64 bits for a renderer's own small PRNG (0 from an exhausted byte source).
    pub fn word(&mut self) -> u64 {
        match &self.inner {
            Inner::Seed(_) => self.raw(true),
            Inner::Bytes(..) => self.raw(true) | (self.raw(true) << 32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_repeat_and_bytes_read_in_order() {
        let (mut a, mut b) = (Source::from_seed(1), Source::from_seed(1));
        let xs: Vec<usize> = (0..100).map(|_| a.below(1_000_000)).collect();
        let ys: Vec<usize> = (0..100).map(|_| b.below(1_000_000)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().any(|&x| x != xs[0]));
        let mut s = Source::from_bytes(&[5, 1, 0, 0, 0, 9]);
        assert_eq!(s.below(7), 5);
        assert_eq!(s.below(1000), 1);
        assert_eq!(s.below(3), 0);
        assert!(s.is_exhausted());
        assert_eq!(s.below(3), 0);
        assert!(s.pick::<u8>(&[]).is_none());
        assert_eq!(s.in_range(4, 2), 4);
    }
}
