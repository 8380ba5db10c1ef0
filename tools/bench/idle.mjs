// Shared by the benchmarks: waits until the machine is idle before a case is measured, and says what it saw, so a
// JVM still collecting after its own run (or any other job) does not decide a ratio unnoticed.
import { cpus } from 'node:os';

function cpuTimes() {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    const all = t.user + t.nice + t.sys + t.irq + t.idle;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total };
}

/** The share of all cores busy over the next `ms` (0..1). */
export async function busyShare(ms = 200) {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  const total = b.total - a.total;
  return total > 0 ? (b.busy - a.busy) / total : 0;
}

/**
 * Waits until less than `threshold` of the machine's CPU is busy (sampled every 200 ms; this process and its
 * servers are idle between cases, so what is busy is someone else), for at most `maxMs`. Returns what it saw, for
 * a context line: `{ busy, waitedMs, idle }` (`idle` false when it gave up).
 */
export async function waitIdle({ threshold = 0.15, maxMs = 10_000 } = {}) {
  const start = performance.now();
  let busy = await busyShare();
  while (busy >= threshold && performance.now() - start < maxMs) busy = await busyShare();
  return { busy, waitedMs: Math.round(performance.now() - start), idle: busy < threshold };
}

/** `waitIdle`, then one context line (`(idle) <label>: ...`) saying how busy the machine was. */
export async function settle(label, options) {
  const r = await waitIdle(options);
  const pct = (r.busy * 100).toFixed(0);
  const verdict = r.idle ? 'idle' : 'STILL BUSY (measured anyway)';
  console.log(`(idle) ${label}: ${verdict}, ${pct}% of the CPU busy before it, waited ${r.waitedMs} ms`);
  return r;
}
