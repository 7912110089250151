#!/usr/bin/env bash
# Installs a Node.js binary from the npm registry (the `node-linux-<arch>` packages, which the `node` npm
# package installs too, without its install script) into .tools/node-<version>/, and prints its bin folder.
# The project's tooling (build, tests, demo, benchmarks) runs on Node 22; the newest code-server needs 24.
# VS Code 1.100's server runs on Node 20, as that VS Code does. Usage: bash scripts/install-node.sh 20|22|24   Idempotent: a complete install is reused.
set -euo pipefail

major="${1:?which Node major: 20, 22 or 24}"
case "$major" in
  20) version="${NODE20_VERSION:-20.20.2}" ;;
  22) version="${NODE22_VERSION:-22.23.5}" ;;
  24) version="${NODE24_VERSION:-24.22.3}" ;;
  *) echo "[node] no pinned version for Node $major" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "[node] no npm package of Node for $(uname -m)" >&2; exit 1 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.tools/node-$version"
if [ -x "$dest/bin/node" ] && [ -f "$dest/.complete" ]; then
  echo "$dest/bin"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "[node] installing Node $version ($arch) from the npm registry into ${dest#$root/}" >&2
(cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null)
rm -rf "$dest"
mkdir -p "$dest"
tar -xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$dest" --strip-components=1
# The package holds bin/node only: npm and npx come from the npm that is already installed.
"$dest/bin/node" --version >/dev/null
touch "$dest/.complete"
echo "$dest/bin"
