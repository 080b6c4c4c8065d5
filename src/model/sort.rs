//! Stable sorting with one shared body in the page's Wasm.
//!
//! `slice::sort_by` is generic over the element and the comparator: each of the crate's fifty-odd
//! sorts got its own copy of the standard library's driftsort (~6 KB of Wasm each, a sixth of the
//! worker's code). In the Wasm build [`by`] sorts the elements' positions instead — `usize`s
//! compared through a `dyn` comparator, so one copy of the sort serves every call — and then moves
//! the elements into that order. Natively (where size does not matter) it is `slice::sort_by`.
//! Both are stable sorts, so they give the same order for any comparator: reports are the same
//! bytes whichever runs (`tests`: the positions path checked against `sort_by` natively).
use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, as `slice::sort_by` does.
#[inline]
#[cfg(not(target_arch = "wasm32"))]
pub fn by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    v.sort_by(cmp);
}

/// Sorts `v` stably by `cmp`, as `slice::sort_by` does.
#[inline]
#[cfg(target_arch = "wasm32")]
pub fn by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    by_positions(v, &mut cmp);
}

/// Sorts `v` stably by the key `key` gives, as `slice::sort_by_key` does.
#[inline]
pub fn by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably in its natural order, as `slice::sort` does.
#[inline]
pub fn natural<T: Ord>(v: &mut [T]) {
    by(v, T::cmp);
}

/// The shared path: the positions sorted (one copy of the sort), then the elements permuted.
pub fn by_positions<T>(v: &mut [T], cmp: &mut dyn FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    {
        let v: &[T] = v;
        sort_positions(&mut order, &mut |i, j| cmp(&v[i], &v[j]));
    }
    permute(v, &mut order);
}

#[inline(never)]
fn sort_positions(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&i, &j| cmp(i, j));
}

/// Puts `v[order[k]]` at `k` for every `k`, in place (by the cycles of the permutation); `order`
/// is left as the identity.
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_path_sorts_as_sort_by_does() {
        // pairs with many ties on the key: stability shows in the second field
        let mut seed = 0x9e37_79b9_u64;
        for len in [0usize, 1, 2, 3, 7, 20, 33, 100, 1000] {
            let v: Vec<(u8, u32)> = (0..len as u32)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 5) as u8, i)
                })
                .collect();
            let mut a = v.clone();
            a.sort_by_key(|x| x.0);
            let mut b = v.clone();
            by_positions(&mut b, &mut |x, y| x.0.cmp(&y.0));
            assert_eq!(a, b, "len {len}");
            let mut c = v.clone();
            c.sort_by_key(|x| std::cmp::Reverse(x.0));
            let mut d = v;
            by_positions(&mut d, &mut |x, y| y.0.cmp(&x.0));
            assert_eq!(c, d, "len {len}, descending");
        }
    }

    #[test]
    fn moves_elements_without_copying_them() {
        let mut v: Vec<String> = ["d", "a", "c", "b", "a"].iter().map(|s| s.to_string()).collect();
        by_positions(&mut v, &mut |x, y| x.cmp(y));
        assert_eq!(v, ["a", "a", "b", "c", "d"]);
    }
}
