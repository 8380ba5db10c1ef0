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
npm install --no-fund --no-audit --loglevel=error "${tarballs[@]}" >/dev/null
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

# Each package depends only on what the design allows.
cd "$OLDPWD"
node -e '
  const allowed = { gost: [], hessian2: ["long"], getty: ["@dubbo-ts/gost", "ws"],
    dubbo: ["@dubbo-ts/gost", "@dubbo-ts/hessian2", "@dubbo-ts/getty", "node-zookeeper-client", "etcd3"] };
  let bad = 0;
  for (const [p, ok] of Object.entries(allowed)) {
    const deps = Object.keys(require(`./packages/${p}/package.json`).dependencies ?? {});
    const extra = deps.filter((d) => !ok.includes(d));
    if (extra.length) { console.error(`@dubbo-ts/${p} depends on ${extra.join(", ")}, which the design does not allow`); bad = 1; }
  }
  process.exit(bad);
'
