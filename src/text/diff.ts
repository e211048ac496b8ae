/**
 * Unified diffs of two texts, as `diff -u` prints them, for `--dry-run`. Lines are matched with Myers'
 * algorithm; large inputs are first cut at lines that are unique on both sides (patience diff), which keeps
 * the work near linear for config files, where every section header is unique.
 *
 * @module
 */

type Op = { type: " " | "-" | "+"; line: string };

const MYERS_LIMIT = 2000; // edit distance beyond which a region is shown as removed then added

/**
 * Returns a unified diff (`---`/`+++` header, `@@` hunks with `context` lines around changes) that turns
 * `oldText` into `newText`, or `""` when they are equal. Lines keep their own endings; a last line without
 * a newline is followed by `\ No newline at end of file`, so the output can be fed to `patch`.
 */
export function unifiedDiff(
  oldText: string,
  newText: string,
  oldName: string,
  newName: string,
  context = 3,
): string {
  if (oldText === newText) return "";
  const ops: Op[] = [];
  diffLines(splitKeepingEnds(oldText), splitKeepingEnds(newText), ops);
  const out = [`--- ${oldName}\n+++ ${newName}\n`];
  let oldLine = 1;
  let newLine = 1;
  let at = 0;
  for (const [from, to] of hunkRanges(ops, context)) {
    for (; at < from; at++) {
      if ((ops[at] as Op).type !== "+") oldLine++;
      if ((ops[at] as Op).type !== "-") newLine++;
    }
    let oldCount = 0;
    let newCount = 0;
    for (let i = from; i < to; i++) {
      if ((ops[i] as Op).type !== "+") oldCount++;
      if ((ops[i] as Op).type !== "-") newCount++;
    }
    out.push(`@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n`);
    for (let i = from; i < to; i++) {
      const op = ops[i] as Op;
      out.push(op.type, op.line);
      if (!op.line.endsWith("\n")) out.push("\n\\ No newline at end of file\n");
    }
  }
  return out.join("");
}

function range(start: number, count: number): string {
  if (count === 1) return `${start}`;
  return `${count === 0 ? start - 1 : start},${count}`;
}

function splitKeepingEnds(text: string): string[] {
  return text === "" ? [] : text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** `[from, to)` op indexes of each hunk: changes with `context` equal lines around them, merged when close. */
function hunkRanges(ops: Op[], context: number): [number, number][] {
  const changes: number[] = [];
  for (let i = 0; i < ops.length; i++) if ((ops[i] as Op).type !== " ") changes.push(i);
  const hunks: [number, number][] = [];
  for (let k = 0; k < changes.length; k++) {
    const first = changes[k] as number;
    let last = first;
    while (k + 1 < changes.length && (changes[k + 1] as number) - last - 1 <= 2 * context) {
      last = changes[++k] as number;
    }
    hunks.push([Math.max(0, first - context), Math.min(ops.length, last + 1 + context)]);
  }
  return hunks;
}

function diffLines(a: string[], b: string[], out: Op[]): void {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let aEnd = a.length;
  let bEnd = b.length;
  while (aEnd > start && bEnd > start && a[aEnd - 1] === b[bEnd - 1]) aEnd--, bEnd--;
  for (let i = 0; i < start; i++) out.push({ type: " ", line: a[i] as string });
  diffMiddle(a, start, aEnd, b, start, bEnd, out);
  for (let i = aEnd; i < a.length; i++) out.push({ type: " ", line: a[i] as string });
}

/** Diffs `a[aLo, aHi)` against `b[bLo, bHi)`, cutting at unique common lines first. */
function diffMiddle(
  a: string[],
  aLo: number,
  aHi: number,
  b: string[],
  bLo: number,
  bHi: number,
  out: Op[],
): void {
  const anchors = uniqueAnchors(a, aLo, aHi, b, bLo, bHi);
  if (anchors.length === 0) {
    myers(a, aLo, aHi, b, bLo, bHi, out);
    return;
  }
  let ai = aLo;
  let bi = bLo;
  for (const [x, y] of anchors) {
    diffLines(a.slice(ai, x), b.slice(bi, y), out);
    out.push({ type: " ", line: a[x] as string });
    ai = x + 1;
    bi = y + 1;
  }
  diffLines(a.slice(ai, aHi), b.slice(bi, bHi), out);
}

/** Pairs `[i, j]` of lines unique in both ranges, in increasing order on both sides (longest such chain). */
function uniqueAnchors(a: string[], aLo: number, aHi: number, b: string[], bLo: number, bHi: number) {
  const counts = new Map<string, [number, number, number]>(); // line -> [count in a, index in a, count in b/index]
  for (let i = aLo; i < aHi; i++) {
    const seen = counts.get(a[i] as string);
    if (seen === undefined) counts.set(a[i] as string, [1, i, 0]);
    else seen[0]++;
  }
  const pairs: [number, number][] = [];
  const bIndex = new Map<string, number>();
  for (let j = bLo; j < bHi; j++) {
    const line = b[j] as string;
    const seen = counts.get(line);
    if (seen === undefined || seen[0] !== 1) continue;
    seen[2]++;
    bIndex.set(line, j);
  }
  for (const [line, [countA, i, countB]] of counts) {
    if (countA === 1 && countB === 1) pairs.push([i, bIndex.get(line) as number]);
  }
  pairs.sort((p, q) => p[0] - q[0]);
  return longestIncreasing(pairs);
}

/** The longest chain of pairs whose second members increase (patience sorting). */
function longestIncreasing(pairs: [number, number][]): [number, number][] {
  const tails: number[] = []; // index into pairs of the smallest tail of each chain length
  const previous: number[] = new Array(pairs.length).fill(-1);
  pairs.forEach(([, y], index) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((pairs[tails[mid] as number] as [number, number])[1] < y) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[index] = tails[lo - 1] as number;
    tails[lo] = index;
  });
  const chain: [number, number][] = [];
  for (let k = tails.at(-1) ?? -1; k >= 0; k = previous[k] as number) {
    chain.push(pairs[k] as [number, number]);
  }
  return chain.reverse();
}

/** Myers' O(ND) shortest edit script; regions past {@linkcode MYERS_LIMIT} edits become remove-all, add-all. */
function myers(
  a: string[],
  aLo: number,
  aHi: number,
  b: string[],
  bLo: number,
  bHi: number,
  out: Op[],
): void {
  const n = aHi - aLo;
  const m = bHi - bLo;
  // With one side empty, all is removed or all added: nothing to search.
  const max = n === 0 || m === 0 ? -1 : Math.min(n + m, MYERS_LIMIT);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
        ? v[offset + k + 1] as number
        : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) x++, y++;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        backtrack(trace, a, aLo, b, bLo, n, m, out);
        return;
      }
    }
  }
  for (let i = aLo; i < aHi; i++) out.push({ type: "-", line: a[i] as string });
  for (let j = bLo; j < bHi; j++) out.push({ type: "+", line: b[j] as string });
}

function backtrack(
  trace: Int32Array[],
  a: string[],
  aLo: number,
  b: string[],
  bLo: number,
  n: number,
  m: number,
  out: Op[],
) {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const v = trace[d] as Int32Array; // v[k] of step d-1 is at index k + d + 1
    const at = (k: number) => v[k + d + 1] as number;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ type: " ", line: a[aLo + --x] as string }), y--;
    if (x === prevX) ops.push({ type: "+", line: b[bLo + --y] as string });
    else ops.push({ type: "-", line: a[aLo + --x] as string });
  }
  while (x > 0 && y > 0) ops.push({ type: " ", line: a[aLo + --x] as string }), y--;
  // A loop, not a spread: the script may hold more ops than a call takes arguments.
  for (let i = ops.length - 1; i >= 0; i--) out.push(ops[i] as Op);
}
