#!/usr/bin/env bash
# Packs every package with `pnpm pack` (workspace:^ becomes a real version range), installs the tarballs into a
# scratch project outside the workspace, and imports each one through its `exports` map, as a user would.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pkgs=(gost hessian2 getty dubbo)
tarballs=()
for p in "${pkgs[@]}"; do
  tarballs+=("$(cd "packages/$p" && pnpm pack --pack-destination "$scratch" 2>/dev/null | tail -1)")
done
cd "$scratch"
echo '{"name":"scratch","private":true,"type":"module"}' > package.json
npm install --no-fund --no-audit --loglevel=error "${tarballs[@]}" @types/node@20 >/dev/null
for p in "${pkgs[@]}"; do
  node --input-type=module -e "
    const m = await import('@dubbo-ts/$p');
    const names = Object.keys(m);
    if (names.length === 0) throw new Error('@dubbo-ts/$p exports nothing');
    const fs = await import('node:fs');
    const dts = 'node_modules/@dubbo-ts/$p/dist/index.d.ts';
    if (!fs.existsSync(dts)) throw new Error(dts + ' missing');
    console.log('@dubbo-ts/$p: ' + names.length + ' exports, types at dist/index.d.ts');
  "
done
# The entry for extension authors (clusters, balancers, routers, protocols, registries).
node --input-type=module -e "
  const m = await import('@dubbo-ts/dubbo/extension');
  if (typeof m.AbstractClusterInvoker !== 'function') throw new Error('@dubbo-ts/dubbo/extension lacks AbstractClusterInvoker');
  const fs = await import('node:fs');
  if (!fs.existsSync('node_modules/@dubbo-ts/dubbo/dist/extension.d.ts')) throw new Error('extension.d.ts missing');
  console.log('@dubbo-ts/dubbo/extension: ' + Object.keys(m).length + ' exports, types at dist/extension.d.ts');
"

# A TypeScript user's strict project (no skipLibCheck) type-checks against each package's published types, with
# nodenext and with bundler resolution.
mkdir -p typed
cat > typed/consumer.ts <<'TS'
import { TimingWheel, getLogger } from '@dubbo-ts/gost';
import { Hessian2Decoder, Hessian2Encoder } from '@dubbo-ts/hessian2';
import { Client, Server } from '@dubbo-ts/getty';
import { DubboClient, DubboServer, createRegistry, defineService, loadBalances, type ServiceProxy } from '@dubbo-ts/dubbo';
import { AbstractClusterInvoker, RandomLoadBalance } from '@dubbo-ts/dubbo/extension';

interface Greeter {
  greet(name: string): Promise<string>;
}
const Greeter = defineService<Greeter>({
  interfaceName: 'org.example.Greeter',
  methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
});
export async function use(): Promise<string> {
  const enc = new Hessian2Encoder();
  enc.writeString('x');
  const dec = new Hessian2Decoder(enc.toBuffer());
  const wheel: TimingWheel | undefined = undefined;
  void wheel;
  getLogger().info(String(dec.readValue()), Client, Server, createRegistry, RandomLoadBalance, AbstractClusterInvoker);
  loadBalances.register('first', () => ({ select: (invokers) => invokers[0]! }));
  const server = new DubboServer({ port: 0 });
  server.export(Greeter, { greet: (n: string) => `hi ${n}` });
  const client = new DubboClient();
  const g: ServiceProxy<Greeter> = client.reference(Greeter, { url: server.address, loadbalance: 'first' });
  return g.greet('ts');
}
TS
for mode in nodenext bundler; do
  if [ "$mode" = nodenext ]; then opts='"module": "nodenext", "moduleResolution": "nodenext"'; else opts='"module": "esnext", "moduleResolution": "bundler"'; fi
  cat > "typed/tsconfig.$mode.json" <<JSON
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", $opts, "types": ["node"], "skipLibCheck": false },
  "files": ["consumer.ts"] }
JSON
  node "$OLDPWD/node_modules/typescript/bin/tsc" -p "typed/tsconfig.$mode.json"
  echo "strict user project ($mode resolution) type-checks against the published types"
done

# Each package depends only on what the design allows.
cd "$OLDPWD"
node -e '
  const allowed = { gost: [], hessian2: ["long"], getty: ["@dubbo-ts/gost", "ws", "@types/ws"],
    dubbo: ["@dubbo-ts/gost", "@dubbo-ts/hessian2", "@dubbo-ts/getty", "node-zookeeper-client", "@types/node-zookeeper-client", "etcd3",
      "yaml", "zod"] };
  let bad = 0;
  for (const [p, ok] of Object.entries(allowed)) {
    const deps = Object.keys(require(`./packages/${p}/package.json`).dependencies ?? {});
    const extra = deps.filter((d) => !ok.includes(d));
    if (extra.length) { console.error(`@dubbo-ts/${p} depends on ${extra.join(", ")}, which the design does not allow`); bad = 1; }
  }
  process.exit(bad);
'
