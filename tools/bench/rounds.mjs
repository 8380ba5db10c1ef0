// Shared by the benchmarks that compare variants measured in this one process (rpc layers, balancers, routing,
// transport; flow's per-filter cost): interleaved rounds, and a paired statistic over them.
//
// Why paired: the machine is a small shared VM whose speed moves by +-25% from one second to the next. Each round
// measures every variant once, one right after the other (the order rotated round by round, so no variant always
// runs first or last); a round's ours/anchor ratio then compares two figures taken under the same conditions. The
// reported ratio is the median of the rounds' ratios, and the figures printed beside it are those of that median
// round (so ours/anchor_value on the RESULT line is the ratio). Taking each variant's best round separately, as
// these benches did before, compares figures from different moments: one lucky round decides either side.

/**
 * Runs `rounds` rounds over `variants` (`[name, measure]` pairs, `measure()` resolving one sample); in round k the
 * variants run in the order rotated by k. Resolves name -> samples, one per round, in round order.
 * @param {Array<[string, () => Promise<any>]>} variants
 * @param {number} rounds
 * @returns {Promise<Map<string, any[]>>}
 */
export async function interleave(variants, rounds) {
  const samples = new Map(variants.map(([name]) => [name, []]));
  for (let k = 0; k < rounds; k++) {
    for (let j = 0; j < variants.length; j++) {
      const [name, measure] = variants[(j + k) % variants.length];
      samples.get(name).push(await measure());
    }
  }
  return samples;
}

/**
 * Latency at 1 in flight with the variants alternated call by call: in each of `rounds` rounds one caller makes
 * calls for `ms`, call i going to variant (i + round) mod n, so every variant's calls are spread over the same
 * moments and a stall of the host lands on all of them alike (with a variant per 500 ms, a stall decided which
 * variant's p99 it went to). Resolves name -> samples, one per round, each `{rps, p50, p99, lats}` (lats sorted,
 * us), the shape of a drive's sample, so {@link pairedLine} pools them the same way. A failed call counts, its
 * time too; the first error is printed.
 * @param {Array<[string, (i: number) => Promise<unknown>]>} variants
 * @param {number} rounds
 * @param {number} ms
 * @returns {Promise<Map<string, Array<{rps: number, p50: number, p99: number, lats: Float64Array}>>>}
 */
export async function alternate(variants, rounds, ms) {
  const n = variants.length;
  const samples = new Map(variants.map(([name]) => [name, []]));
  let firstError = null;
  for (let k = 0; k < rounds; k++) {
    globalThis.gc?.();
    const lats = variants.map(() => []);
    const start = performance.now();
    for (let i = 0; performance.now() - start < ms; i++) {
      const j = (i + k) % n;
      const t0 = performance.now();
      try {
        await variants[j][1](i);
      } catch (e) {
        firstError ??= e;
      }
      lats[j].push((performance.now() - t0) * 1000);
    }
    const elapsed = (performance.now() - start) / 1000;
    for (let j = 0; j < n; j++) {
      const a = Float64Array.from(lats[j]).sort();
      const q = (f) => a[Math.min(a.length - 1, Math.floor(a.length * f))];
      samples.get(variants[j][0]).push({ rps: a.length / elapsed, p50: q(0.5), p99: q(0.99), lats: a });
    }
  }
  if (firstError !== null) console.error(`  (errors while alternating, first: ${firstError.message})`);
  return samples;
}

/**
 * The paired comparison of `ours` against `anchor` (figures of the same rounds, in round order): per round the
 * ratio (ours/anchor, or anchor/ours when `lowerIsBetter`, as for latency), and the round whose ratio is the median.
 * Returns that round's figures, the median ratio, and the lowest and highest round ratio (for a context line).
 * @param {number[]} ours
 * @param {number[]} anchor
 * @param {boolean} [lowerIsBetter]
 * @returns {{ours: number, anchor: number, ratio: number, lo: number, hi: number, rounds: number}}
 */
export function paired(ours, anchor, lowerIsBetter = false) {
  const n = Math.min(ours.length, anchor.length);
  if (n === 0) throw new Error('paired: no rounds');
  const byRatio = [];
  for (let k = 0; k < n; k++) {
    const ratio = lowerIsBetter ? anchor[k] / ours[k] : ours[k] / anchor[k];
    byRatio.push({ k, ratio });
  }
  byRatio.sort((a, b) => a.ratio - b.ratio);
  // The lower median for an even count: never rounds in our favour.
  const mid = byRatio[Math.floor((n - 1) / 2)];
  return {
    ours: ours[mid.k],
    anchor: anchor[mid.k],
    ratio: mid.ratio,
    lo: byRatio[0].ratio,
    hi: byRatio[n - 1].ratio,
    rounds: n,
  };
}

/** The `q` quantile (0..1) of every round's latencies pooled (each sample's `lats`, sorted or not). */
export function pooledQuantile(samples, q) {
  let n = 0;
  for (const x of samples) n += x.lats.length;
  const all = new Float64Array(n);
  let at = 0;
  for (const x of samples) {
    all.set(x.lats, at);
    at += x.lats.length;
  }
  all.sort();
  return all[Math.min(n - 1, Math.floor(n * q))];
}

const QUANTILES = { p50: 0.5, p99: 0.99 };

/**
 * Prints one RESULT line for the paired comparison of `ours` and `anchor` samples (`key` picks the figure of a
 * sample: `rps`, `p50`, `p99`; or pass plain numbers with `key` null), and a context line with the spread of the
 * round ratios. Latency percentiles (`p50`, `p99` of samples carrying their calls' latencies as `lats`) are
 * taken over all the rounds' calls pooled instead.
 * @param {(c: string, ours: number, anchor: string, anchorValue: number, unit: string) => void} line
 */
export function pairedLine(line, caseName, oursSamples, anchorName, anchorSamples, key, unit) {
  const pick = (xs) => (key === null ? xs : xs.map((x) => x[key]));
  const r = paired(pick(oursSamples), pick(anchorSamples), unit === 'us');
  if (unit === 'us' && key in QUANTILES && oursSamples[0]?.lats !== undefined) {
    // Latency percentiles from every round's calls pooled (the rounds interleave the variants, so both pools span
    // the same moments): a round's p99 is its ~50 slowest calls, which one stall of the host decides; the pooled
    // p99 needs stalls in 1% of all the calls to move.
    const ours = pooledQuantile(oursSamples, QUANTILES[key]);
    const anchor = pooledQuantile(anchorSamples, QUANTILES[key]);
    line(caseName, ours, anchorName, anchor, unit);
    console.log(
      `(pooled) ${caseName} vs ${anchorName}: ${key} of all ${r.rounds} rounds' calls ${ours.toFixed(0)} vs ${anchor.toFixed(0)} us; median of the round ratios ${r.ratio.toFixed(2)}, rounds ${r.lo.toFixed(2)}..${r.hi.toFixed(2)}`,
    );
    return r;
  }
  line(caseName, r.ours, anchorName, r.anchor, unit);
  console.log(
    `(paired) ${caseName} vs ${anchorName}: median of ${r.rounds} round ratios ${r.ratio.toFixed(2)}, rounds ${r.lo.toFixed(2)}..${r.hi.toFixed(2)}`,
  );
  return r;
}
