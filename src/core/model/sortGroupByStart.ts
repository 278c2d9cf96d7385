// One group of children (a slice of a grouped index array), put in start order. Groups are small and
// usually already in order, so insertion sort beats a comparator sort per group.

/** Groups up to this size are sorted by insertion. */
const INSERTION_SORT_LIMIT = 32;

/** Sorts `rows[from..to)`, held in span order, by `startNano`; equal starts keep span order. */
export function sortGroupByStart(rows: Int32Array, from: number, to: number, startNano: Float64Array): void {
  if (to - from <= INSERTION_SORT_LIMIT) {
    for (let i = from + 1; i < to; i++) {
      const node = rows[i];
      const start = startNano[node];
      let j = i - 1;
      while (j >= from && startNano[rows[j]] > start) {
        rows[j + 1] = rows[j];
        j--;
      }
      rows[j + 1] = node;
    }
    return;
  }
  let sorted = true;
  for (let i = from + 1; i < to && sorted; i++) sorted = startNano[rows[i - 1]] <= startNano[rows[i]];
  if (!sorted) rows.subarray(from, to).sort((a, b) => startNano[a] - startNano[b] || a - b);
}
