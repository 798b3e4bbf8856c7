//! The accepted request, built from the draft: defaults filled in, tags kept once,
//! the warnings chosen.

use super::*;

impl<'de> Checker<'_, 'de> {
    /// The accepted request, built straight into the result: the draft's values moved
    /// out field by field, defaults filled in.
    pub(super) fn accept(&mut self) -> Validated<'de> {
        use Warning::{NameDefaulted as N, OsVersionDefaulted as D};
        use Warning::{OsVersionInferred as I, OsVersionNotDerived as U};
        /// Every possible list, so that warnings allocate nothing: 4 × (name
        /// defaulted) + (0: OS listed, 1: defaulted, 2: inferred, 3: not derived).
        const TABLE: [&[Warning]; 8] = [&[], &[D], &[I], &[U], &[N], &[N, D], &[N, I], &[N, U]];
        let rules = self.rules;
        let draft = &mut self.draft;
        dedup_first_wins(&mut self.tags);
        let no_name = draft.name.is_none();
        let (os, os_row) = match draft.os_version.take() {
            Some(os) => (os, draft.os_note as usize),
            None => (rules.default_os_version.clone(), 1),
        };
        let defaults = TABLE[usize::from(no_name) * 4 + os_row];
        let warnings = if draft.near.is_empty() {
            Warnings(std::borrow::Cow::Borrowed(defaults))
        } else {
            let mut all = defaults.to_vec();
            all.append(&mut draft.near);
            Warnings(std::borrow::Cow::Owned(all))
        };
        let min_disk = match draft.min_disk {
            MinDisk::Checked(v) => v,
            _ => rules.default_min_disk(os.os_type()),
        };
        let request = CreateRequest {
            id: draft.id.take(),
            name: draft.name.take(),
            os,
            protected: draft.protected,
            disk_format: draft.disk_format.unwrap_or(rules.default_disk_format),
            tags: std::mem::take(&mut self.tags),
            min_ram: draft.min_ram,
            min_disk,
            extensions: std::mem::take(&mut draft.extensions),
            properties: std::mem::take(&mut draft.properties),
        };
        Validated { request, warnings }
    }
}

/// Keeps the first of each repeated tag, in order: pairwise up to 8 tags, else with
/// [`crate::dedup::repeats`] (no sort, no allocation) up to its limit, else through one sort
/// of integer keys. No hashing, so no crafted tags can degrade it.
pub(crate) fn dedup_first_wins(tags: &mut Tags<'_>) {
    if tags.len() <= 8 {
        let mut i = 0;
        while i < tags.len() {
            if tags[..i].contains(&tags[i]) {
                tags.remove(i);
            } else {
                i += 1;
            }
        }
        return;
    }
    dedup_many(tags);
}

/// [`dedup_first_wins`] past 8 tags (out of line: the accepting path of a typical
/// body stays small).
#[inline(never)]
fn dedup_many(tags: &mut Tags<'_>) {
    let mut later = [false; crate::dedup::REPEATS_MAX];
    let mut any = false;
    let list: &Tags<'_> = tags;
    let text_of = |i: usize| list.get(i).map_or("", |t| t.as_ref());
    let mark = |i: usize| {
        if let Some(l) = later.get_mut(i) {
            *l = true;
            any = true;
        }
    };
    if !crate::dedup::repeats(list.len(), text_of, mark) {
        return dedup_sorted(tags);
    }
    if any {
        let mut flags = later.iter();
        tags.retain(|_| !flags.next().copied().unwrap_or(false));
    }
}

/// [`dedup_first_wins`] through one sort of integer keys.
pub(super) fn dedup_sorted(tags: &mut Tags<'_>) {
    const POSITION: u128 = u32::MAX as u128;
    /// Marks a key as a later copy (above every length a tag can have).
    const LATER: u128 = 1 << 63;
    let key = |(i, t): (usize, &Cow<'_, str>)| {
        let bytes = t.as_bytes();
        let mut word = [0u8; 8];
        let n = bytes.len().min(8);
        word[..n].copy_from_slice(&bytes[..n]);
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        (u128::from(u64::from_be_bytes(word)) << 64)
            | (u128::from(len) << 32)
            | (i as u128 & POSITION)
    };
    let mut keys: Vec<u128> = tags.iter().enumerate().map(key).collect();
    keys.sort_unstable();
    let tag = |k: &u128| tags.get((k & POSITION) as usize);
    let mut start = 0;
    while start < keys.len() {
        let group = keys[start] >> 32;
        let len = keys.len() - start;
        let run = keys[start..]
            .iter()
            .position(|k| k >> 32 != group)
            .unwrap_or(len);
        let end = start + run;
        if run > 1 {
            let same = &mut keys[start..end];
            if (group & 0xFFFF_FFFF) > 8 {
                // Longer tags that share their first 8 bytes: by text, then position.
                same.sort_unstable_by(|a, b| tag(a).cmp(&tag(b)).then(a.cmp(b)));
                for k in 1..same.len() {
                    if tag(&same[k]) == tag(&same[k - 1]) {
                        same[k] |= LATER;
                    }
                }
            } else {
                // The key spells the whole tag: all but the first position are copies.
                for k in same.iter_mut().skip(1) {
                    *k |= LATER;
                }
            }
        }
        start = end;
    }
    // The positions of the copies, in order, then one pass that drops them.
    let mut copies = 0;
    for k in 0..keys.len() {
        if keys[k] & LATER != 0 {
            keys[copies] = keys[k] & POSITION;
            copies += 1;
        }
    }
    keys.truncate(copies);
    keys.sort_unstable();
    let mut copy = keys.iter().peekable();
    let mut i = 0u128;
    tags.retain(|_| {
        let later = copy.next_if(|&&c| c == i).is_some();
        i += 1;
        !later
    });
}
