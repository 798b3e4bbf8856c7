//! The catalog's suggestions for an unknown `__os_version`, at a bounded cost.
//!
//! What can be known of the catalog is computed once, when it is built: each value's
//! squashed form (no whitespace, lowercase) in a sorted index, and its lowercase form,
//! char count and a histogram of its chars. A query then costs one binary search for
//! the squashed matches, and for the nearest values a visit of the rows whose length is
//! within reach, the nearest lengths first, that does no allocation per row: a block of
//! 8 rows whose largest histogram shows them all farther than the best distance found
//! so far is skipped in one bound, a row whose own histogram does in another, and the
//! edit distance of the others is given up as soon as it passes that bound.
//!
//! The results are those of the plain definition (compared in the tests with a
//! straightforward implementation of it): first the values equal to the input ignoring
//! case and whitespace, in catalog order; then the others within an edit distance of a
//! quarter of the input's length (2 to 10), nearest first, ties in catalog order.

/// Inputs longer than this (in chars) are no misspelling of a catalog value.
const LONGEST_COMPARED: usize = 200;

/// The farthest a suggestion may be: a quarter of the input's length, at most this.
const MAX_DISTANCE: usize = 10;

/// Buckets of the char histogram: `a`–`z` one each, the digits in 5, the rest in one.
const BUCKETS: usize = 32;

type Hist = [u8; BUCKETS];

fn bucket(c: char) -> usize {
    match c {
        'a'..='z' => c as usize - 'a' as usize,
        '0'..='9' => 26 + (c as usize - '0' as usize) % 5,
        _ => BUCKETS - 1,
    }
}

/// The histogram of `chars`, each count saturating at 255. A row's count may
/// saturate; the query's is used only when it has at most 255 chars, so none of its
/// counts does, and then `min(row, query)` per bucket is exact.
fn hist(chars: impl Iterator<Item = char>) -> Hist {
    let mut h = [0u8; BUCKETS];
    for c in chars {
        if let Some(slot) = h.get_mut(bucket(c)) {
            *slot = slot.saturating_add(1);
        }
    }
    h
}

/// A lower bound of the edit distance of two strings of `la` and `lb` chars with
/// histograms `a` and `b`: each edit removes at most one char of the first string that
/// the second lacks and adds at most one that it lacks, so the distance is at least the
/// larger string's chars less those the two have in common (by bucket). The
/// per-bucket minimum and its sum compile to a few vector instructions.
#[inline]
fn lower_bound(a: &Hist, b: &Hist, la: usize, lb: usize) -> usize {
    let common: u32 = a.iter().zip(b).map(|(&x, &y)| u32::from(x.min(y))).sum();
    la.max(lb).saturating_sub(common as usize)
}

/// `s` without whitespace, lowercase (char by char).
pub(super) fn squash(s: &str) -> String {
    if s.is_ascii() {
        // The same, byte by byte: the ASCII chars `char::is_whitespace` knows, and
        // ASCII lowercase (what `char::to_lowercase` gives an ASCII char).
        let mut bytes = s.as_bytes().to_ascii_lowercase();
        bytes.retain(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'));
        return String::from_utf8(bytes).unwrap_or_default();
    }
    let mut out = String::with_capacity(s.len());
    out.extend(
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase),
    );
    out
}

/// What the catalog's suggestions need, computed when it is built.
#[derive(Debug, Default)]
pub(crate) struct NearIndex {
    /// The squashed forms, one after the other; row `r`'s is `squashed_ends[r - 1]..
    /// squashed_ends[r]`.
    squashed: String,
    squashed_ends: Vec<u32>,
    /// The rows, ordered by squashed form (ties in catalog order).
    by_squashed: Vec<u32>,
    /// The lowercase forms (`str::to_lowercase`), laid out as `squashed`.
    lower: String,
    lower_ends: Vec<u32>,
    /// Per row: chars of the lowercase form, and their histogram.
    chars: Vec<u32>,
    hists: Vec<Hist>,
    /// The rows within reach of some query, by the char count of their lowercase form
    /// (ties in catalog order): those of `n` chars are `by_len[len_at[n]..len_at[n + 1]]`.
    by_len: Vec<u32>,
    len_at: Vec<u32>,
    /// Per [`BLOCK`] rows of `by_len`: the largest count of each bucket among their
    /// histograms, a histogram no row of the block has more in common with a query
    /// than, so that a query skips a block of rows too far in one bound.
    block_hists: Vec<Hist>,
}

/// How many rows of `by_len` share a bound.
const BLOCK: usize = 8;

fn span<'t>(text: &'t str, ends: &[u32], r: usize) -> &'t str {
    let start = match r.checked_sub(1) {
        Some(p) => ends.get(p).copied().unwrap_or(0),
        None => 0,
    } as usize;
    let end = ends.get(r).copied().unwrap_or(0) as usize;
    sure!(text.get(start..end), "a row's span is within the text")
}

impl NearIndex {
    /// The index of `values`, in catalog order. A catalog larger than 4 GiB of text is
    /// not one this crate can be given (it is built from rows in memory).
    pub(crate) fn build<'a>(values: impl Iterator<Item = &'a str>) -> NearIndex {
        let mut ix = NearIndex::default();
        for v in values {
            ix.squashed.push_str(&squash(v));
            ix.squashed_ends
                .push(u32::try_from(ix.squashed.len()).unwrap_or(u32::MAX));
            let lower = v.to_lowercase();
            ix.lower.push_str(&lower);
            ix.lower_ends
                .push(u32::try_from(ix.lower.len()).unwrap_or(u32::MAX));
            ix.chars
                .push(u32::try_from(lower.chars().count()).unwrap_or(u32::MAX));
            ix.hists.push(hist(lower.chars()));
        }
        let rows = u32::try_from(ix.chars.len()).unwrap_or(u32::MAX);
        let mut order: Vec<u32> = (0..rows).collect();
        // Stable: equal squashed forms stay in catalog order.
        order.sort_by(|&a, &b| ix.squashed_of(a as usize).cmp(ix.squashed_of(b as usize)));
        ix.by_squashed = order;
        // Counted, not sorted (a second sort's code is 9 KB of the wasm module): each
        // length's rows stay in catalog order. A row longer than any query's reach is
        // left out.
        let reach = LONGEST_COMPARED + MAX_DISTANCE;
        let within = |n: u32| (n as usize <= reach).then_some(n as usize);
        let mut len_at = vec![0u32; reach + 2];
        for n in ix.chars.iter().filter_map(|&n| within(n)) {
            if let Some(count) = len_at.get_mut(n + 1) {
                *count += 1;
            }
        }
        let mut total = 0;
        for at in &mut len_at {
            total += *at;
            *at = total;
        }
        let mut next = len_at.clone();
        let mut by_len = vec![0u32; total as usize];
        for (r, n) in (0..rows).zip(&ix.chars) {
            let Some(n) = within(*n) else { continue };
            if let Some(at) = next.get_mut(n) {
                if let Some(slot) = by_len.get_mut(*at as usize) {
                    *slot = r;
                }
                *at += 1;
            }
        }
        ix.block_hists = by_len
            .chunks(BLOCK)
            .map(|block| {
                let mut most = [0u8; BUCKETS];
                for h in block.iter().filter_map(|&r| ix.hists.get(r as usize)) {
                    for (m, &c) in most.iter_mut().zip(h) {
                        *m = (*m).max(c);
                    }
                }
                most
            })
            .collect();
        ix.len_at = len_at;
        ix.by_len = by_len;
        ix
    }

    /// The positions in `by_len` of the rows whose lowercase form has `n` chars.
    fn of_len(&self, n: usize) -> std::ops::Range<usize> {
        let at = |n: usize| {
            self.len_at
                .get(n)
                .map_or(self.by_len.len(), |&a| a as usize)
        };
        at(n)..at(n + 1)
    }

    fn squashed_of(&self, r: usize) -> &str {
        span(&self.squashed, &self.squashed_ends, r)
    }

    fn lower_of(&self, r: usize) -> &str {
        span(&self.lower, &self.lower_ends, r)
    }

    /// The rows to suggest for `value`, at most `max`, best first (see the module).
    pub(crate) fn suggest(&self, value: &str, max: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(max.min(8));
        if value.len() > LONGEST_COMPARED * 4 || max == 0 {
            return out;
        }
        let ascii = value.is_ascii();
        let squashed = squash(value);
        let squashed = squashed.as_bytes();
        let first = self
            .by_squashed
            .partition_point(|&r| self.squashed_of(r as usize).as_bytes() < squashed);
        let same = sure!(
            self.by_squashed.get(first..),
            "the search's start is within the index"
        );
        out.extend(
            same.iter()
                .map(|&r| r as usize)
                .take_while(|&r| self.squashed_of(r).as_bytes() == squashed)
                .take(max),
        );
        // An ASCII string has as many chars as bytes, lowercase or not.
        let value_chars = if ascii {
            value.len()
        } else {
            value.chars().count()
        };
        if out.len() >= max || value_chars > LONGEST_COMPARED {
            return out;
        }
        let cap = (value_chars / 4).clamp(2, MAX_DISTANCE);
        let lower = value.to_lowercase();
        let qlen = if ascii {
            lower.len()
        } else {
            lower.chars().count()
        };
        let qh = hist(lower.chars());
        // No count of the query's histogram saturates (see `hist`).
        let use_hist = qlen <= usize::from(u8::MAX);
        let want = max - out.len();
        // The best rows so far, as (distance, row), sorted. Rows are visited by length,
        // the nearest lengths first, so that near rows shrink the bound early; a row
        // is kept when it is before the last kept one in (distance, row) order, so the
        // result does not depend on the order of the visit.
        let mut best: Vec<(usize, usize)> = Vec::with_capacity(want + 1);
        // A query of up to 64 chars is compared bit-parallel, any row in one pass of
        // its chars; a longer one by the plain distance table.
        let bits = Bits::new(&lower, qlen);
        // The query's chars, for the plain distance only.
        let mut query: Vec<char> = Vec::new();
        if bits.is_none() {
            query.extend(lower.chars());
        }
        let mut row: Vec<char> = Vec::new();
        let mut band: Vec<usize> = Vec::new();
        for delta in 0..=cap {
            // Once `want` rows are kept, no row farther than the last one can be.
            if best.len() == want && best.last().is_some_and(|&(d, _)| delta > d) {
                break;
            }
            let longer = (delta > 0).then_some(qlen + delta);
            for len in qlen.checked_sub(delta).into_iter().chain(longer) {
                let positions = self.of_len(len);
                let mut at = positions.start;
                while at < positions.end {
                    // A block of rows is skipped when none of them can be kept: its
                    // bound is over the largest limit of any row (see below).
                    let next = (at / BLOCK + 1) * BLOCK;
                    let rows = self
                        .by_len
                        .get(at..next.min(positions.end))
                        .unwrap_or_default();
                    let block = self.block_hists.get(at / BLOCK);
                    at = next;
                    let loose = match best.last() {
                        Some(&(d, _)) if best.len() == want => d,
                        _ => cap,
                    };
                    if use_hist && block.is_some_and(|h| lower_bound(&qh, h, qlen, len) > loose) {
                        continue;
                    }
                    for &r in rows {
                        let r = r as usize;
                        // The largest distance this row may have and still be kept.
                        let limit = match best.last() {
                            Some(&(d, last)) if best.len() == want => {
                                if r < last {
                                    d
                                } else if let Some(l) = d.checked_sub(1) {
                                    l
                                } else {
                                    continue;
                                }
                            }
                            _ => cap,
                        };
                        if delta > limit {
                            continue;
                        }
                        let far = use_hist
                            && self
                                .hists
                                .get(r)
                                .is_some_and(|h| lower_bound(&qh, h, qlen, len) > limit);
                        if far || out.contains(&r) {
                            continue;
                        }
                        let d = match &bits {
                            Some(bits) => bits.distance_within(self.lower_of(r), len, limit),
                            None => {
                                row.clear();
                                row.extend(self.lower_of(r).chars());
                                distance_within(&query, &row, limit, &mut band)
                            }
                        };
                        if let Some(d) = d {
                            let at = best.partition_point(|&kept| kept < (d, r));
                            best.insert(at, (d, r));
                            best.truncate(want);
                        }
                    }
                }
            }
        }
        out.extend(best.iter().map(|&(_, r)| r));
        out
    }
}

/// 8 bytes of `s` from `at` as a little-endian word (0 past the end; callers stay
/// within it).
#[inline(always)]
fn word_at(s: &[u8], at: usize) -> u64 {
    s.get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// How many bytes `a` and `b` share at their start: 8 bytes at a time, then one at a
/// time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let d = word_at(a, i) ^ word_at(b, i);
        if d != 0 {
            return i + (d.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let (a, b) = (
        a.get(i..n).unwrap_or_default(),
        b.get(i..n).unwrap_or_default(),
    );
    i + a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// How many bytes `a` and `b` share at their end (as [`common_prefix`]).
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        // The word that ends `i` bytes before each end: its last byte is its most
        // significant.
        let d = word_at(a, a.len() - i - 8) ^ word_at(b, b.len() - i - 8);
        if d != 0 {
            return i + (d.leading_zeros() / 8) as usize;
        }
        i += 8;
    }
    let (a, b) = (
        a.get(..a.len() - i).unwrap_or_default(),
        b.get(..b.len() - i).unwrap_or_default(),
    );
    i + a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// A query of at most 64 chars, ready for the bit-parallel edit distance (Myers 1999,
/// in Hyyrö's formulation for the whole strings): for each char, the set of the
/// query's positions that hold it.
struct Bits<'q> {
    /// The positions of each ASCII char.
    ascii: [u64; 128],
    /// The positions of each other char of the query (few: a linear search).
    other: Vec<(char, u64)>,
    len: usize,
    /// The query's bytes when it is ASCII (empty otherwise).
    bytes: &'q [u8],
}

impl<'q> Bits<'q> {
    /// The masks of `query` (of `chars` chars), or `None` when it is longer than 64
    /// chars.
    fn new(query: &'q str, chars: usize) -> Option<Bits<'q>> {
        if chars > 64 {
            return None;
        }
        let mut bits = Bits {
            ascii: [0; 128],
            other: Vec::new(),
            len: chars,
            bytes: if query.is_ascii() {
                query.as_bytes()
            } else {
                &[]
            },
        };
        for (i, c) in query.chars().enumerate() {
            let bit = 1u64 << i;
            match bits.ascii.get_mut(c as usize) {
                Some(mask) => *mask |= bit,
                None => match bits.other.iter_mut().find(|(o, _)| *o == c) {
                    Some((_, mask)) => *mask |= bit,
                    None => bits.other.push((c, bit)),
                },
            }
        }
        Some(bits)
    }

    fn mask(&self, c: char) -> u64 {
        match self.ascii.get(c as usize) {
            Some(&mask) => mask,
            None => self
                .other
                .iter()
                .find(|(o, _)| *o == c)
                .map_or(0, |&(_, mask)| mask),
        }
    }

    /// The edit distance of the query and `row` (of `row_chars` chars) when it is at
    /// most `t`, else `None`; it gives up once the rest of the row cannot bring the
    /// distance down to `t`.
    fn distance_within(&self, row: &str, row_chars: usize, t: usize) -> Option<usize> {
        let m = self.len;
        if m == 0 {
            return (row_chars <= t).then_some(row_chars);
        }
        if row_chars == row.len() && self.bytes.len() == m {
            // An ASCII row and query: their common prefix and suffix do not change the
            // distance, so only what lies between is compared (rows that are near a
            // query mostly share both), with the query's masks shifted past the
            // prefix. Its bytes index the table.
            let (q, r) = (self.bytes, row.as_bytes());
            let pre = common_prefix(q, r);
            let (q, r) = (
                sure!(q.get(pre..), "the common prefix is within the query"),
                sure!(r.get(pre..), "the common prefix is within the row"),
            );
            let suf = common_suffix(q, r);
            let (m, n) = (q.len() - suf, r.len() - suf);
            let r = sure!(r.get(..n), "the cut is within the row");
            if m == 0 || n == 0 {
                let d = m.max(n);
                return (d <= t).then_some(d);
            }
            if t <= 1 {
                // Both rests start and end with different chars: one edit mends both
                // ends only when each rest is that one char.
                return (t == 1 && m == 1 && n == 1).then_some(1);
            }
            let keep = u64::MAX >> (64 - m);
            return self.run(
                m,
                r.iter()
                    .map(|&b| (self.ascii[usize::from(b & 0x7F)] >> pre) & keep),
                n,
                t,
            );
        }
        self.run(m, row.chars().map(|c| self.mask(c)), row_chars, t)
    }

    /// The distance computation of a query of `m` chars (1 to 64) over the row's chars,
    /// given as their masks.
    #[inline(always)]
    fn run(
        &self,
        m: usize,
        masks: impl Iterator<Item = u64>,
        row_chars: usize,
        t: usize,
    ) -> Option<usize> {
        let high = 1u64 << (m - 1);
        let (mut pv, mut mv) = (u64::MAX, 0u64);
        let mut score = m;
        let mut left = row_chars;
        for eq in masks {
            let xv = eq | mv;
            let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
            let mut ph = mv | !(xh | pv);
            let mut mh = pv & xh;
            // At most one of the two is set: no branch.
            score = score + usize::from(ph & high != 0) - usize::from(mh & high != 0);
            ph = (ph << 1) | 1;
            mh <<= 1;
            pv = mh | !(xv | ph);
            mv = ph & xv;
            left = left.saturating_sub(1);
            // Each remaining char lowers the distance by at most one.
            if score > t + left {
                return None;
            }
        }
        (score <= t).then_some(score)
    }
}

/// The Levenshtein distance of `a` and `b` (chars, or bytes) when it is at most `t`, else
/// `None`, by the plain definition: the distance table row by row (one row, in `buf`,
/// reused between calls), stopping at the first row whose cells all exceed `t` (no
/// later cell can be smaller). The suggestions use it for queries over 64 chars
/// ([`Bits`] for the others: this one alone costs the unknown-OS answer +186%), the
/// near-miss check of custom keys (`keys/near.rs`) for its bound of 2, and the tests
/// as the definition the others are held to.
pub(crate) fn distance_within<T: PartialEq>(
    a: &[T],
    b: &[T],
    t: usize,
    buf: &mut Vec<usize>,
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > t {
        return None;
    }
    buf.clear();
    buf.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        // Before each cell is written, it holds the row above's; `diag` that row's cell
        // to the left, `left` this row's.
        let (mut diag, mut left) = (i, i + 1);
        let mut least = left;
        for (cell, cb) in buf.iter_mut().skip(1).zip(b) {
            let v = (diag + usize::from(ca != cb)).min(*cell + 1).min(left + 1);
            (diag, *cell, left) = (*cell, v, v);
            least = least.min(v);
        }
        if let Some(first) = buf.first_mut() {
            *first = i + 1;
        }
        if least > t {
            return None;
        }
    }
    buf.last().copied().filter(|&d| d <= t)
}

#[cfg(test)]
#[path = "near_tests.rs"]
pub(crate) mod tests;
