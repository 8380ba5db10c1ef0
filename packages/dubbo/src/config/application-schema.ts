// The zod schema of the application config, loaded only when an application config is read (see
// application-config.ts), so importing '@dubbo-ts/dubbo' does not load zod.
import { z } from 'zod';

/** A Go-style duration (`3s`, `500ms`, `1m30s`) or a number of milliseconds (Java's spelling). */
const DURATION_RE = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration as {@link DURATION_RE} spells it. */
function durationMs(v: number | string): number {
  if (typeof v === 'number') return v;
  let ms = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(ms);
}

const duration = z
  .union([
    z.number().int().nonnegative(),
    z.string().regex(DURATION_RE, { message: 'expected a duration such as 3s, 500ms, 1m30s, or milliseconds' }),
  ])
  .transform(durationMs);
const positiveMs = z.number().int().positive();
const idList = z
  .union([z.array(z.string().min(1)), z.string().min(1)])
  .transform((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v));
const port = z.number().int().min(0).max(65535);

const registrySchema = z.strictObject({
  /** `zookeeper://host:port`, `etcd://host:port`, or `host:port` with {@link protocol}. */
  address: z.string().min(1),
  /** `zookeeper`, `etcd` or `etcdv3` when the address has no scheme. */
  protocol: z.enum(['zookeeper', 'etcd', 'etcdv3']).optional(),
  /** Registry operation timeout. */
  timeout: duration.optional(),
  /** Java's `register-mode` for the providers registered here. */
  'register-mode': z.enum(['interface', 'instance', 'all']).optional(),
});

const protocolSchema = z.strictObject({
  name: z.literal('dubbo', { message: "expected 'dubbo' (the only protocol dubbo-ts serves)" }).default('dubbo'),
  port: port.default(20880),
  host: z.string().min(1).default('0.0.0.0'),
});

const serviceSchema = z.strictObject({
  interface: z.string().min(1),
  group: z.string().optional(),
  version: z.string().optional(),
  'registry-ids': idList.optional(),
  'protocol-ids': idList.optional(),
  timeout: positiveMs.optional(),
  retries: z.number().int().nonnegative().optional(),
  loadbalance: z.string().min(1).optional(),
  weight: z.number().int().nonnegative().optional(),
});

const referenceSchema = z.strictObject({
  interface: z.string().min(1),
  url: z.string().min(1).optional(),
  group: z.string().optional(),
  version: z.string().optional(),
  'registry-ids': idList.optional(),
  check: z.boolean().optional(),
  timeout: positiveMs.optional(),
  retries: z.number().int().nonnegative().optional(),
  loadbalance: z.string().min(1).optional(),
  cluster: z.string().min(1).optional(),
});

const shutdownSchema = z.strictObject({
  timeout: duration.default(60_000),
  'step-timeout': duration.default(3000),
  'consumer-update-wait-time': duration.default(3000),
  'internal-signal': z.boolean().default(true),
});

/** The `dubbo:` tree of an application config, as Java's `application.yml` and dubbo-go's `dubbogo.yml` spell it. */
export const dubboConfigSchema = z.strictObject({
  application: z.strictObject({
    name: z.string().min(1),
    version: z.string().optional(),
    'register-mode': z.enum(['interface', 'instance', 'all']).optional(),
  }),
  registries: z.record(z.string().min(1), registrySchema).default({}),
  protocols: z
    .record(z.string().min(1), protocolSchema)
    .default({ dubbo: { name: 'dubbo', port: 20880, host: '0.0.0.0' } }),
  provider: z
    .strictObject({ services: z.record(z.string().min(1), serviceSchema).default({}) })
    .default({ services: {} }),
  consumer: z
    .strictObject({
      check: z.boolean().default(true),
      timeout: positiveMs.optional(),
      retries: z.number().int().nonnegative().optional(),
      loadbalance: z.string().min(1).optional(),
      references: z.record(z.string().min(1), referenceSchema).default({}),
    })
    .default({ check: true, references: {} }),
  shutdown: shutdownSchema.default({
    timeout: 60_000,
    'step-timeout': 3000,
    'consumer-update-wait-time': 3000,
    'internal-signal': true,
  }),
});

/** An application config as written (YAML or code): the `dubbo:` tree, keys spelled as Java and dubbo-go do. */
export type DubboConfigSchemaInput = z.input<typeof dubboConfigSchema>;
/** An application config with every default filled in and durations in milliseconds. */
export type DubboConfigSchemaOutput = z.output<typeof dubboConfigSchema>;

/** Leaf keys the schema knows under each map entry, for environment lookups of keys not written anywhere. */
export const MAP_LEAVES: Readonly<Record<string, readonly string[]>> = {
  registries: Object.keys(registrySchema.shape),
  protocols: Object.keys(protocolSchema.shape),
  'provider.services': Object.keys(serviceSchema.shape),
  'consumer.references': Object.keys(referenceSchema.shape),
};

/** Leaf keys outside maps. */
export const FIXED_LEAVES: readonly string[][] = [
  ['application', 'name'],
  ['application', 'version'],
  ['application', 'register-mode'],
  ['consumer', 'check'],
  ['consumer', 'timeout'],
  ['consumer', 'retries'],
  ['consumer', 'loadbalance'],
  ...Object.keys(shutdownSchema.shape).map((k) => ['shutdown', k]),
];

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = ['dubbo', ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${path}.${k}: unknown key`);
  return [`${path}: ${issue.message}`];
}

/** The config with defaults filled in, or every problem with its key path. */
export function validateDubboConfig(
  tree: unknown,
): { ok: true; config: z.output<typeof dubboConfigSchema> } | { ok: false; problems: string[] } {
  const parsed = dubboConfigSchema.safeParse(tree);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: parsed.error.issues.flatMap(describeIssue) };
}
