//! The violations found by one scan, kept linear in the body however hostile it is.
//!
//! A violation inside a nested value does not store its JSON Pointer while the body is
//! read: it stores a place, an index into an arena of path nodes (a parent index and
//! the node's own token), which the walk interns at most once per value it enters. What
//! a repeated key makes moot is dropped by index ranges, not by comparing pointers.
//! Pointers are rendered only for the violations a report keeps (at most
//! `Rules::max_violations`), each token cut to an excerpt when long and the middle of a
//! deep path elided, so a rendered pointer has a fixed size bound.

use std::borrow::Cow;

use crate::chars;
use crate::pointer::{push_pointer_index, push_pointer_token, Short, ShortBuf, SHORT_INLINE};
use crate::report::{status_of, worse, Report, Violation};

/// Chars a pointer token may have and still be rendered whole (every legal key, and
/// one char more); a longer token is cut to [`TOKEN_EXCERPT`] chars and `…`.
pub(crate) const TOKEN_WHOLE: usize = 256;
/// Chars kept of a token cut for a pointer.
pub(crate) const TOKEN_EXCERPT: usize = 64;
/// Tokens a rendered pointer may have; a deeper place keeps the first
/// [`HEAD_TOKENS`], a `…` token, and the last ones.
pub(crate) const MAX_TOKENS: usize = 8;
const HEAD_TOKENS: usize = 4;

/// A node of the path arena: its parent and its own token.
#[derive(Debug)]
struct Node<'de> {
    /// The parent's index; `u32::MAX` for a child of the body itself.
    parent: u32,
    token: Token<'de>,
}

/// A path token as kept in the arena.
#[derive(Debug)]
pub(crate) enum Token<'de> {
    /// A key borrowed from the body (cut only when rendered).
    Key(&'de str),
    /// A key that held escapes, already cut for rendering.
    Owned(Box<str>),
    /// An array index.
    Index(usize),
}

impl<'de> Token<'de> {
    /// The token of `key` for the arena: borrowed when the body spells it, else a
    /// bounded copy (a copy of at most [`TOKEN_WHOLE`] chars, or an excerpt).
    pub(crate) fn key(key: &Cow<'de, str>) -> Token<'de> {
        match key {
            Cow::Borrowed(k) => Token::Key(k),
            Cow::Owned(k) => Token::Owned(cut(k).into()),
        }
    }
}

/// `s`, or its excerpt when it is longer than [`TOKEN_WHOLE`] chars.
fn cut(s: &str) -> Cow<'_, str> {
    // No more chars than bytes: a short string needs no count.
    if s.len() <= TOKEN_WHOLE || s.chars().nth(TOKEN_WHOLE).is_none() {
        Cow::Borrowed(s)
    } else {
        chars::excerpt(s, TOKEN_EXCERPT)
    }
}

/// Appends `/` and `key`, escaped, as a pointer token that never copies a long key.
pub(crate) fn push_key_token(out: &mut ShortBuf, key: &str) {
    push_pointer_token(out, &cut(key));
}

/// The pointer of a top-level key: `/` and the key, cut when long.
pub(crate) fn key_pointer(key: &str) -> Short {
    // The common case, a short key with nothing to escape: `/` and the key, inline.
    let mut bytes = [0u8; SHORT_INLINE];
    if let (Some([slash, rest @ ..]), false) = (
        bytes.get_mut(..key.len() + 1),
        key.bytes().any(|b| b == b'~' || b == b'/'),
    ) {
        *slash = b'/';
        rest.copy_from_slice(key.as_bytes());
        // At most SHORT_INLINE, so it fits a u8.
        return Short::Inline(key.len() as u8 + 1, bytes);
    }
    let mut p = ShortBuf::default();
    push_key_token(&mut p, key);
    p.finish()
}

/// The violations of one scan, the arena of their places, and the ranges made moot by
/// repeated keys.
#[derive(Debug, Default)]
pub(crate) struct Found<'de> {
    /// Every violation found, in body order (repeated keys at the end of their object).
    list: Vec<Violation>,
    /// The violations whose pointers are rendered from an arena node when the report
    /// is made (a repeated key): (index in `list`, node). Empty, and unallocated, for
    /// a body without repeated keys.
    placed: Vec<(u32, u32)>,
    nodes: Vec<Node<'de>>,
    /// Index ranges of `list` that a repeated key makes moot.
    dropped: Vec<(u32, u32)>,
    /// How many violations `list` keeps before the rest are only counted (`None`: all);
    /// see [`Found::cap`].
    cap: Option<u32>,
    /// The violations only counted: how many, and the status of them all.
    over: Option<(u32, u16)>,
    /// How many violations the moot ranges hold, summed (an upper bound: a range may
    /// lie inside another), for [`Found::push_or_count`].
    moot: usize,
}

impl<'de> Found<'de> {
    /// How many violations were found so far.
    #[inline]
    pub(crate) fn len(&self) -> u32 {
        // A body under any cap a server sets holds fewer than 4e9 violations.
        u32::try_from(self.list.len()).unwrap_or(u32::MAX)
    }

    /// Whether none was found.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Keeps at most `keep` violations (at least one) and only counts the rest, with
    /// their status. For a scan that drops nothing (no repeated keys: the update's
    /// checkers judge one value each), so that the first `keep` are the report's: the
    /// update's road holds what its report keeps, not a violation per element of a
    /// hostile array (`fuzz/regressions/patch_bytes/tags-of-20000-numbers`).
    pub(crate) fn cap(&mut self, keep: usize) {
        self.cap = Some(u32::try_from(keep.max(1)).unwrap_or(u32::MAX));
    }

    /// Whether the list holds as many violations as it keeps (see [`Found::cap`]): the
    /// next is only counted. `Checker::push` asks before it makes a violation;
    /// [`Found::push`] holds the cap for any other caller.
    #[inline]
    pub(crate) fn is_full(&self) -> bool {
        self.cap.is_some_and(|c| self.list.len() >= c as usize)
    }

    /// Counts `n` violations with status `status` beyond those kept (taken from a
    /// capped scan by [`Found::take_over`]).
    pub(crate) fn count_over(&mut self, (n, status): (u32, u16)) {
        self.over = Some(match self.over {
            Some((m, s)) => (m.saturating_add(n), worse(s, status)),
            None => (n, status),
        });
    }

    /// Takes the count and status of the violations only counted.
    pub(crate) fn take_over(&mut self) -> Option<(u32, u16)> {
        self.over.take()
    }

    /// Adds a violation whose pointer is made.
    #[inline]
    pub(crate) fn push(&mut self, violation: Violation) {
        if self.list.len() == self.list.capacity() {
            return self.push_growing(violation);
        }
        self.list.push(violation);
    }

    /// [`Found::push`] when the list is full: it grows (a bad body usually breaks
    /// several rules: one allocation for the first 16), or, at the cap, the violation
    /// is only counted. (Out of `push`, which the clean road inlines: checking the cap
    /// there cost the bad bench body ~240 instructions, by callgrind.)
    fn push_growing(&mut self, violation: Violation) {
        if self.is_full() {
            return self.count_over((1, violation.code().status()));
        }
        let len = self.list.len();
        match self.cap.map(|c| c as usize) {
            Some(cap) => self.list.reserve_exact((len * 2).max(16).min(cap) - len),
            None if len == 0 => self.list.reserve_exact(16),
            None => {}
        }
        self.list.push(violation);
    }

    /// Takes the violations found (those whose pointers are made: the update moves
    /// what create's rule found for a value to the value's place in the patch).
    pub(crate) fn take_made(&mut self) -> Vec<Violation> {
        if !self.placed.is_empty() {
            // Not on the update's road (its checkers walk no nested value); keep the
            // arena's violations where they are.
            return Vec::new();
        }
        std::mem::take(&mut self.list)
    }

    /// Adds a violation at arena node `node` (its pointer is rendered if the report
    /// keeps it).
    pub(crate) fn push_at(&mut self, node: u32, violation: Violation) {
        self.placed.push((self.len(), node));
        self.list.push(violation);
    }

    /// Adds a node under `parent` (`u32::MAX`: the body) and gives its index.
    pub(crate) fn node(&mut self, parent: u32, token: Token<'de>) -> u32 {
        self.nodes.push(Node { parent, token });
        u32::try_from(self.nodes.len() - 1).unwrap_or(u32::MAX)
    }

    /// Moves the last violation to index `at`, keeping the moot ranges on the same
    /// violations (a range lies wholly before `at` or wholly after it: `at` is a
    /// boundary between two top-level members).
    pub(crate) fn move_last_to(&mut self, at: u32) {
        let at_index = at as usize;
        if at_index + 1 >= self.list.len() {
            return;
        }
        if let Some(v) = self.list.pop() {
            let last = self.len();
            self.list.insert(at_index, v);
            for r in &mut self.dropped {
                if r.0 >= at {
                    *r = (r.0 + 1, r.1 + 1);
                }
            }
            for (i, _) in &mut self.placed {
                *i = match *i {
                    i if i == last => at,
                    i if i >= at => i + 1,
                    i => i,
                };
            }
        }
    }

    /// Marks the violations `start..end` as moot (a repeated key's value).
    pub(crate) fn drop_range(&mut self, start: u32, end: u32) {
        if start < end {
            self.dropped.push((start, end));
            self.moot = self.moot.saturating_add((end - start) as usize);
        }
    }

    /// Adds `violation`, or only counts it (with its status) once `keep` violations
    /// that no moot range can take back are listed: for violations no later range can
    /// make moot (the update's judgements, made once their operation was read). An
    /// update reads all of a hostile patch before its verdict (a syntax error at the end
    /// voids every judgement), so it holds at most what its report keeps, not a
    /// violation per element of `[1,1,1,…]` (`fuzz/regressions/patch_bytes/`). With
    /// the moot ranges' sum an upper bound, it lists too many rather than too few.
    pub(crate) fn push_or_count(&mut self, keep: usize, violation: Violation) {
        if self.list.len() >= keep.max(1).saturating_add(self.moot) {
            return self.count_over((1, violation.code().status()));
        }
        self.push(violation);
    }

    /// The report: the violations that count (what repeated keys make moot is
    /// dropped), the status of them all, and the first `keep` of them, each with its
    /// pointer rendered.
    pub(crate) fn finish(mut self, keep: usize) -> Report {
        if !self.dropped.is_empty() {
            self.dropped.sort_unstable();
            let mut ranges = self.dropped.iter().peekable();
            // What each kept violation's index becomes (u32::MAX: dropped).
            let mut new_index = Vec::with_capacity(if self.placed.is_empty() {
                0
            } else {
                self.list.len()
            });
            let (mut i, mut kept) = (0u32, 0u32);
            self.list.retain(|_| {
                while ranges.next_if(|r| r.1 <= i).is_some() {}
                let moot = ranges.peek().is_some_and(|r| r.0 <= i);
                i += 1;
                if !self.placed.is_empty() {
                    new_index.push(if moot { u32::MAX } else { kept });
                }
                kept += u32::from(!moot);
                !moot
            });
            self.placed.retain_mut(|(i, _)| {
                *i = new_index.get(*i as usize).copied().unwrap_or(u32::MAX);
                *i != u32::MAX
            });
        }
        let mut status = status_of(&self.list);
        let mut total = self.list.len();
        if let Some((n, s)) = self.over {
            status = worse(status, s);
            total = total.saturating_add(n as usize);
        }
        self.list.truncate(keep.max(1));
        for &(i, node) in &self.placed {
            if let Some(v) = self.list.get_mut(i as usize) {
                v.set_pointer(render(&self.nodes, node));
            }
        }
        Report::kept(status, self.list, total)
    }
}

/// The pointer of node `n`: at most [`MAX_TOKENS`] tokens, each cut when long.
fn render(nodes: &[Node<'_>], n: u32) -> Short {
    // The chain, leaf first; its length is the nesting depth (at most 128).
    let mut chain: Vec<&Token<'_>> = Vec::new();
    let mut at = n;
    while let Some(node) = nodes.get(at as usize) {
        chain.push(&node.token);
        at = node.parent;
    }
    chain.reverse();
    let mut out = ShortBuf::default();
    let skip = if chain.len() > MAX_TOKENS {
        HEAD_TOKENS..chain.len() - (MAX_TOKENS - HEAD_TOKENS - 1)
    } else {
        0..0
    };
    for (i, token) in chain.iter().enumerate() {
        if skip.contains(&i) {
            if i == skip.start {
                out.push_str("/…");
            }
            continue;
        }
        match token {
            Token::Key(k) => push_key_token(&mut out, k),
            Token::Owned(k) => push_pointer_token(&mut out, k),
            Token::Index(i) => push_pointer_index(&mut out, *i),
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Detail, Subject};
    use crate::Code;

    #[test]
    fn a_capped_scan_reports_what_an_uncapped_one_does() {
        // Codes of every status, in an order where the worst comes late (past the cap).
        let codes = [
            Code::WrongType,
            Code::TooMany,
            Code::WrongType,
            Code::Conflict,
            Code::ReadOnly,
            Code::TooLong,
        ];
        let v = |i: usize| {
            let code = codes[i % codes.len()];
            let detail = Detail::Text(format!("m{i}").into(), None);
            Violation::new(Short::from("/x"), Subject::None, code, detail, None)
        };
        for n in [1, 2, 3, 5, 6, 40] {
            for keep in [1, 2, 3, 4, 100] {
                let (mut all, mut capped) = (Found::default(), Found::default());
                capped.cap(keep);
                for i in 0..n {
                    all.push(v(i));
                    capped.push(v(i));
                }
                assert!(capped.list.len() <= keep.max(1), "{n} {keep}");
                // Moved into another scan, as the update's road does.
                let mut outer = Found::default();
                if let Some(over) = capped.take_over() {
                    outer.count_over(over);
                }
                for x in capped.take_made() {
                    outer.push(x);
                }
                let (a, b) = (all.finish(keep), outer.finish(keep));
                assert_eq!(
                    (a.status(), a.total()),
                    (b.status(), b.total()),
                    "{n} {keep}"
                );
                assert_eq!(a.violations(), b.violations(), "{n} {keep}");
            }
        }
    }

    #[test]
    fn long_tokens_are_cut_and_deep_paths_elided() {
        let mut f = Found::default();
        let long = "/".repeat(300);
        let a = f.node(u32::MAX, Token::Key("a"));
        let b = f.node(a, Token::Key(&long));
        let c = f.node(b, Token::Index(7));
        assert_eq!(
            render(&f.nodes, c).as_str(),
            format!("/a/{}…/7", "~1".repeat(TOKEN_EXCERPT))
        );
        let exact = "~".repeat(TOKEN_WHOLE);
        let d = f.node(u32::MAX, Token::Key(&exact));
        assert_eq!(
            render(&f.nodes, d).as_str(),
            format!("/{}", "~0".repeat(TOKEN_WHOLE))
        );
        let mut at = u32::MAX;
        for i in 0..20 {
            at = f.node(at, Token::Index(i));
        }
        assert_eq!(render(&f.nodes, at).as_str(), "/0/1/2/3/…/17/18/19");
        assert_eq!(
            key_pointer(&"x".repeat(1000)).as_str(),
            format!("/{}…", "x".repeat(64))
        );
    }
}
