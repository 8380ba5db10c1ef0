// Shared by every benchmark: prints the one RESULT line format the project uses.
// For latency (unit=us) ratio is anchor/ours, so a higher ratio is better for every unit.

/**
 * @param {{bench: string, case: string, ours: number, anchor: string, anchorValue: number, unit: 'ops/s'|'req/s'|'us'}} r
 */
export function printResult(r) {
  const ratio = r.unit === 'us' ? r.anchorValue / r.ours : r.ours / r.anchorValue;
  const fmt = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
  console.log(
    `RESULT bench=${r.bench} case=${r.case} ours=${fmt(r.ours)} anchor=${r.anchor} anchor_value=${fmt(r.anchorValue)} unit=${r.unit} ratio=${ratio.toFixed(2)}`,
  );
}

/** Whether `--quick` was passed: every benchmark must then finish in under 40 s. */
export const quick = process.argv.includes('--quick');
