// `pnpm bench hessian2 [--quick]`: @dubbo-ts/hessian2 vs hessian.js (anchor) on the four payloads of
// /work/shared/bench/anchors/hessian-js.mjs, measured in this one process in interleaved rounds; then Java
// Hessian's figures (../shared/bench/anchors/java/run.sh) as a second anchor, run before and after the JS half and
// averaged.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hessian2Decoder, Hessian2Encoder } from '@dubbo-ts/hessian2';
import hessian from 'hessian.js';
import { printResult, quick } from '../result.mjs';
import { anchorPayloads, ourPayloads, registry } from './payloads.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = quick ? 0.4 : 1;
const rounds = quick ? 3 : 5;

/**
 * Measures two functions in alternating ~20 ms slices for `seconds` in total, so both see the same machine load
 * (the machine is shared and noisy); returns their ops/s.
 */
function measurePair(a, b) {
  const slice = 20;
  const deadline = performance.now() + seconds * 1000;
  const n = [0, 0];
  const t = [0, 0];
  const fns = [a, b];
  let side = 0;
  while (performance.now() < deadline) {
    const fn = fns[side];
    const start = performance.now();
    const end = start + slice;
    let k = 0;
    let now = start;
    while (now < end) {
      for (let i = 0; i < 10; i++) fn();
      k += 10;
      now = performance.now();
    }
    n[side] += k;
    t[side] += now - start;
    side ^= 1;
  }
  return [(n[0] / t[0]) * 1000, (n[1] / t[1]) * 1000];
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The machine is shared: say how busy it was around each half (the Java and the JS figures are taken one after the
// other, so a load that changes in between moves the ratios to Java).
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(`# load average before the Java anchor: ${load()}`);
// Java anchor first (so it does not compete with the JS measurements for the 2 cores).
const java = runJava();
console.log(`# load average before the JS measurements: ${load()}`);

const enc = new Hessian2Encoder({ registry, initialSize: 1 << 16 });
const dec = new Hessian2Decoder(undefined, { registry });
const results = [];
for (const name of Object.keys(ourPayloads)) {
  const ours = ourPayloads[name];
  const anchor = anchorPayloads[name];
  const ourEncode = () => {
    enc.reset();
    enc.writeValue(ours);
    return enc.toBuffer();
  };
  const ourBytes = ourEncode();
  const anchorBytes = hessian.encode(anchor, '2.0');
  const ourDecode = () => dec.reset(ourBytes).readValue();
  const anchorEncode = () => hessian.encode(anchor, '2.0');
  const anchorDecode = () => hessian.decode(anchorBytes, '2.0');
  for (let i = 0; i < (quick ? 300 : 2000); i++) {
    ourEncode();
    ourDecode();
    anchorEncode();
    anchorDecode();
  }
  const m = { oe: [], ae: [], od: [], ad: [] };
  for (let r = 0; r < rounds; r++) {
    const [oe, ae] = measurePair(ourEncode, anchorEncode);
    const [od, ad] = measurePair(ourDecode, anchorDecode);
    m.oe.push(oe);
    m.ae.push(ae);
    m.od.push(od);
    m.ad.push(ad);
  }
  results.push({
    name,
    oe: median(m.oe),
    ae: median(m.ae),
    od: median(m.od),
    ad: median(m.ad),
    bytes: ourBytes.length,
  });
  console.log(`# ${name}: ours ${ourBytes.length} bytes, hessian.js ${anchorBytes.length} bytes`);
}
console.log(`# load average after the JS measurements: ${load()}`);
// Java again after the JS half, averaged with the first run: the machine's speed drifts over the minute between
// them, and a Java figure taken only before the JS half moved every ratio to Java by it (0.56-1.34 for one case
// across runs, while the interleaved hessian.js ratios held still).
const javaAfter = java.ok ? runJava() : java;
if (java.ok && javaAfter.ok) {
  for (const [k, v] of Object.entries(java.results)) {
    const w = javaAfter.results[k];
    if (w === undefined) continue;
    console.log(`# java-hessian ${k} before/after: encode ${v.enc}/${w.enc}/s, decode ${v.dec}/${w.dec}/s`);
    java.results[k] = { bytes: v.bytes, enc: (v.enc + w.enc) / 2, dec: (v.dec + w.dec) / 2 };
  }
}
for (const r of results) {
  printResult({
    bench: 'hessian2',
    case: `${r.name}_encode`,
    ours: r.oe,
    anchor: 'hessian.js',
    anchorValue: r.ae,
    unit: 'ops/s',
  });
  printResult({
    bench: 'hessian2',
    case: `${r.name}_decode`,
    ours: r.od,
    anchor: 'hessian.js',
    anchorValue: r.ad,
    unit: 'ops/s',
  });
}
if (java.ok) {
  for (const r of results) {
    const j = java.results[r.name];
    if (!j) continue;
    printResult({
      bench: 'hessian2',
      case: `${r.name}_encode`,
      ours: r.oe,
      anchor: 'java-hessian',
      anchorValue: j.enc,
      unit: 'ops/s',
    });
    printResult({
      bench: 'hessian2',
      case: `${r.name}_decode`,
      ours: r.od,
      anchor: 'java-hessian',
      anchorValue: j.dec,
      unit: 'ops/s',
    });
  }
} else {
  console.log(`# java-hessian anchor not run: ${java.why}`);
}

function runJava() {
  const script = [
    '/work/shared/bench/anchors/java/run.sh',
    join(here, '../../../../shared/bench/anchors/java/run.sh'),
  ].find((p) => existsSync(p));
  if (!script) return { ok: false, why: 'anchors/java/run.sh not found' };
  if (!existsSync('/usr/share/java/hessian.jar')) {
    console.log('# installing libhessian-java for the Java anchor');
    const apt = spawnSync('apt-get', ['install', '-y', 'libhessian-java'], { encoding: 'utf8', timeout: 180_000 });
    if (apt.status !== 0 || !existsSync('/usr/share/java/hessian.jar')) {
      return {
        ok: false,
        why: `apt-get install libhessian-java failed: ${(apt.stderr || String(apt.error)).trim().split('\n').pop()}`,
      };
    }
  }
  const r = spawnSync('bash', [script, quick ? '0.2' : '1', quick ? '3' : '5'], { encoding: 'utf8', timeout: 600_000 });
  const results = {};
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /RESULT codec=java-hessian payload=(\S+) bytes=(\d+) encode_ops_s=(\d+) decode_ops_s=(\d+)/.exec(line);
    if (m) results[m[1]] = { bytes: Number(m[2]), enc: Number(m[3]), dec: Number(m[4]) };
  }
  if (Object.keys(results).length === 0) {
    return {
      ok: false,
      why: `run.sh gave no RESULT lines (exit ${r.status}): ${(r.stderr || String(r.error)).trim().split('\n').slice(-2).join(' | ')}`,
    };
  }
  for (const [k, v] of Object.entries(results))
    console.log(`# java-hessian ${k}: ${v.bytes} bytes, encode ${v.enc}/s, decode ${v.dec}/s`);
  return { ok: true, results };
}
