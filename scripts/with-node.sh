#!/usr/bin/env bash
# Runs a command with Node <major> first on PATH (installed by scripts/install-node.sh): npm scripts call
# their tools through this, so `npm test`, `npm run demo` and `npm run bench` run on Node 22 whatever
# Node started npm. Usage: bash scripts/with-node.sh 22 <command> [args…]
set -euo pipefail
major="${1:?Node major}"
shift
bin="$(bash "$(dirname "${BASH_SOURCE[0]}")/install-node.sh" "$major")"
export PATH="$bin:$PATH"
exec "$@"
