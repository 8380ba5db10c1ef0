#!/usr/bin/env bash
# Shared first step of tools/test.sh and tools/demo.sh on a fresh clone: pnpm at the version package.json pins,
# the workspace's packages from the lockfile, and a build. Safe to run again; each step skips what is done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_node="20.19.0"
if ! command -v node >/dev/null; then echo "Node.js >= $need_node is required" >&2; exit 1; fi
node -e "const [a,b]=process.versions.node.split('.').map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)" ||
  { echo "Node.js >= $need_node is required (found $(node --version))" >&2; exit 1; }

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
  echo "installing pnpm $pnpm_version" >&2
  npm install -g --no-fund --no-audit "pnpm@$pnpm_version" >/dev/null
fi
pnpm install --frozen-lockfile --reporter=append-only >/dev/null
pnpm -s build
