//! A list that keeps its first few items inline, so that a typical body's tags and
//! custom properties cost no heap allocation.

/// Up to `N` items inline, then every item in a `Vec` (the inline slots are then
/// empty). Items are contiguous either way, so the list reads as a slice. Items must
/// have a cheap, non-allocating `Default` (an empty `Cow` does): it fills the unused
/// slots, as this crate has no `unsafe` to leave them uninitialized.
#[derive(Clone)]
pub(crate) struct List<T, const N: usize> {
    /// Items in `inline[..len]` while `spill` is empty.
    len: usize,
    inline: [T; N],
    spill: Vec<T>,
}

impl<T: Default, const N: usize> List<T, N> {
    /// An empty list (no allocation).
    pub(crate) fn new() -> Self {
        List {
            len: 0,
            inline: std::array::from_fn(|_| T::default()),
            spill: Vec::new(),
        }
    }

    /// Appends `item`; the `N + 1`th item moves the list to the heap.
    pub(crate) fn push(&mut self, item: T) {
        if !self.spill.is_empty() {
            self.spill.push(item);
        } else if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = item;
            self.len += 1;
        } else {
            let mut spill = Vec::with_capacity(2 * N + 1);
            spill.extend(self.inline.iter_mut().map(std::mem::take));
            spill.push(item);
            self.spill = spill;
            self.len = 0;
        }
    }

    /// The items, in order.
    pub(crate) fn as_slice(&self) -> &[T] {
        if self.spill.is_empty() {
            self.inline.get(..self.len).unwrap_or_default()
        } else {
            &self.spill
        }
    }

    /// The items, in order, mutably.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        if self.spill.is_empty() {
            self.inline.get_mut(..self.len).unwrap_or_default()
        } else {
            &mut self.spill
        }
    }

    /// Keeps the first `len` items.
    pub(crate) fn truncate(&mut self, len: usize) {
        if self.spill.is_empty() {
            for slot in self.inline.iter_mut().take(self.len).skip(len) {
                *slot = T::default();
            }
            self.len = self.len.min(len);
        } else {
            self.spill.truncate(len);
        }
    }

    /// A new list of `f` applied to each item.
    pub(crate) fn map<U: Default>(self, f: impl FnMut(T) -> U) -> List<U, N> {
        let mut out = List::new();
        for item in self.into_iter().map(f) {
            out.push(item);
        }
        out
    }
}

impl<T, const N: usize> IntoIterator for List<T, N> {
    type Item = T;
    type IntoIter =
        std::iter::Chain<std::iter::Take<std::array::IntoIter<T, N>>, std::vec::IntoIter<T>>;

    /// The items, by value.
    fn into_iter(self) -> Self::IntoIter {
        self.inline.into_iter().take(self.len).chain(self.spill)
    }
}

impl<T: Default, const N: usize> Default for List<T, N> {
    fn default() -> Self {
        List::new()
    }
}

impl<T: Default, const N: usize> FromIterator<T> for List<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut out = List::new();
        for item in iter {
            out.push(item);
        }
        out
    }
}

impl<T: Default + std::fmt::Debug, const N: usize> std::fmt::Debug for List<T, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl<T: Default + PartialEq, const N: usize> PartialEq for List<T, N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Default + Eq, const N: usize> Eq for List<T, N> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list agrees with a `Vec` under every sequence of pushes and truncations,
    /// across the move to the heap.
    #[test]
    fn behaves_like_a_vec() {
        for n in 0..12usize {
            for cut in 0..=n + 1 {
                let mut list: List<String, 3> = List::new();
                let mut vec = Vec::new();
                for i in 0..n {
                    list.push(i.to_string());
                    vec.push(i.to_string());
                    assert_eq!(list.as_slice(), &vec[..]);
                }
                list.truncate(cut);
                vec.truncate(cut);
                assert_eq!(list.as_slice(), &vec[..], "n {n} cut {cut}");
                list.push("x".into());
                vec.push("x".into());
                assert_eq!(list.as_slice(), &vec[..], "n {n} cut {cut}");
                list.as_mut_slice().reverse();
                vec.reverse();
                assert_eq!(format!("{list:?}"), format!("{vec:?}"));
                let clone = list.clone();
                assert!(clone == list);
                let mapped = list.map(|s| s.len());
                assert_eq!(
                    mapped.as_slice(),
                    &vec.iter().map(String::len).collect::<Vec<_>>()[..]
                );
                let back: Vec<String> = clone.into_iter().collect();
                assert_eq!(back, vec);
            }
        }
    }

    #[test]
    fn the_inline_part_does_not_allocate_its_slots() {
        let mut list: List<String, 2> =
            [String::from("a"), String::from("b")].into_iter().collect();
        assert_eq!(list.as_slice(), ["a", "b"]);
        list.truncate(1);
        // The dropped slot holds an empty String again.
        assert_eq!(list.inline[1], "");
        assert_eq!(list.as_slice(), ["a"]);
    }
}
