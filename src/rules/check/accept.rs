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

/// Keeps the first of each repeated tag, in order, with [`crate::dedup::repeats`] (no
/// sort, no allocation); past its limit (more tags than the default rules allow, or
/// keys made to collide), through one stable sort of the tags' positions by text. No
/// hashing, so no crafted tags can degrade it.
pub(crate) fn dedup_first_wins(tags: &mut Tags<'_>) {
    if tags.len() < 2 {
        return;
    }
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

/// [`dedup_first_wins`] through one stable sort of the tags' positions by text.
pub(super) fn dedup_sorted(tags: &mut Tags<'_>) {
    let list: &Tags<'_> = tags;
    let text = |i: &usize| list.get(*i).map_or("", |t| t.as_ref());
    let mut order: Vec<usize> = (0..list.len()).collect();
    // Stable: equal tags stay in position order, and the first of each run is kept.
    order.sort_by(|a, b| text(a).cmp(text(b)));
    let mut later = vec![false; list.len()];
    for pair in order.windows(2) {
        if let [a, b] = pair {
            if text(a) == text(b) {
                if let Some(l) = later.get_mut(*b) {
                    *l = true;
                }
            }
        }
    }
    let mut flags = later.iter();
    tags.retain(|_| !flags.next().copied().unwrap_or(false));
}
