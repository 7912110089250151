#!/usr/bin/env bash
# `npm run cli-demo -- <prompt-lab arguments>`: the prompt-lab CLI against the local Bedrock server, with
# no AWS account: builds what is missing, starts the server on a free port, runs the CLI, stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f out/test/emulator/main.js ] || npm run --silent compile
node esbuild.js --production > /dev/null 2>&1
log=$(mktemp)
node out/test/emulator/main.js --port 0 > "$log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null; rm -f "$log"' EXIT
url=''
for _ in $(seq 100); do
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "the local Bedrock server did not start: $(cat "$log")" >&2; exit 1; }
AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION="${AWS_REGION:-us-east-1}" \
  node dist/cli.js --endpoint "$url" "$@"
