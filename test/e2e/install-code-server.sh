#!/usr/bin/env bash
# Installs code-server (VS Code in the browser) for the end-to-end tests into test/e2e/.code-server
# (gitignored), or into $RLVR_E2E_CODE_SERVER_DIR. Idempotent; about 2–3 minutes the first time
# (argon2 and kerberos build from source). Needs: node 20, npm, rg (ripgrep), libkrb5-dev, a C++
# toolchain; as root on Debian: apt-get install -y chromium ripgrep libkrb5-dev.
# Why 4.100.3: later code-server releases need Node 22+ (4.103) or 24 (4.139); 4.100.3 = VS Code 1.100.3.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=4.100.3
dir=${RLVR_E2E_CODE_SERVER_DIR:-test/e2e/.code-server}

if [ -x "$dir/node_modules/.bin/code-server" ] && grep -q "\"version\": \"$version\"" "$dir/node_modules/code-server/package.json" 2>/dev/null; then
  echo "install-code-server: code-server $version already in $dir"
  exit 0
fi
if ! command -v rg >/dev/null; then
  echo "install-code-server: ripgrep (rg) is missing. Debian/Ubuntu: apt-get install -y ripgrep" >&2
  exit 2
fi

# @vscode/ripgrep downloads rg from GitHub at install time, which CI cannot reach; it looks in this
# cache first, so seed it with the system's rg under the file name it expects.
cache=/tmp/vscode-ripgrep-cache-1.15.11
mkdir -p "$cache"
tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg

mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{ "private": true, "description": "code-server for RLVR Studio e2e tests" }' > "$dir/package.json"
echo "install-code-server: installing code-server $version into $dir (native builds: a few minutes)"
# yes=true: a native postinstall runs `npx node-gyp`, which would otherwise ask before installing.
# unsafe_perm=true: as root, code-server's postinstall refuses to run without it.
(cd "$dir" && npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund --no-save "code-server@$version")
"$dir/node_modules/.bin/code-server" --config /dev/null --version
