#!/usr/bin/env bash
# The README's demo command: set-up on a fresh clone, then a TypeScript provider and consumer talking.
# Extra arguments go to the demo (e.g. --registry zookeeper://127.0.0.1:2181).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup.sh
exec node tools/demo/demo.mjs "$@"
