#!/usr/bin/env bash
# Installs the real VS Code the integration tests and the demo run in: code-server's VS Code server
# (driven by headless Debian Chromium through playwright-core). @vscode/test-electron cannot download
# VS Code on machines without internet, so this is the default route; see ARCHITECTURE.md.
# Two hosts (test/host/codeServer.ts, TEST_HOSTS): code-server 4.100.3 (VS Code 1.100, the oldest
# engines.vscode allows) and 4.139.1 (VS Code 1.139, the newest on npm); CODE_SERVER_VERSION=x installs one.
# Idempotent: a complete install is detected by a marker file and reused.
set -euo pipefail

versions="${CODE_SERVER_VERSION:-4.100.3 4.139.1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[test-host] %s\n' "$*"; }

# 1. Debian packages: the browser, Kerberos headers for a native module, ripgrep instead of a GitHub download.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || [ -f /usr/include/krb5.h ] || need+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v make >/dev/null 2>&1 || need+=(make)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${need[*]}; install them (sudo apt-get install ${need[*]}) and run again"
    exit 1
  fi
  log "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

install_one() {
  local CODE_SERVER_VERSION="$1"
  local dest="$root/.vscode-test/code-server-$CODE_SERVER_VERSION"
  local marker="$dest/.complete"
  if [ -f "$marker" ]; then
    log "code-server $CODE_SERVER_VERSION already installed in ${dest#$root/}"
    return 0
  fi

  # 2. Native builds use the local Node headers, never a download from nodejs.org.
  export npm_config_nodedir="${npm_config_nodedir:-/usr}"
  export npm_config_yes=true
  export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

  log "installing code-server $CODE_SERVER_VERSION into ${dest#$root/} (about a minute)"
  rm -rf "$dest"
  mkdir -p "$dest"
  cd "$dest"
  # Its own package.json, so npm does not walk up into the extension's.
  printf '{"name":"vscode-test-host","private":true}\n' > package.json
  npm install --ignore-scripts --no-save "code-server@$CODE_SERVER_VERSION" >/dev/null
  npm rebuild argon2 >/dev/null

  vscode="$dest/node_modules/code-server/lib/vscode"
  cd "$vscode"
  npm install --omit=dev --ignore-scripts >/dev/null
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild >/dev/null 2>&1 || npm rebuild
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sf code-linux.sh code-server)
  (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
  (cd extensions && npm install --omit=dev >/dev/null)

  # npm may skip native rebuilds silently in a later version: check that they exist.
  for mod in node-pty @vscode/spdlog; do
    if ! find "node_modules/$mod" -name '*.node' -print -quit | grep -q .; then
      log "native module $mod was not built; see the npm output above"
      exit 1
    fi
  done
  touch "$marker"
  log "done"

}

for v in $versions; do
  (install_one "$v")
done
