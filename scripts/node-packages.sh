#!/usr/bin/env bash
# Installs the npm packages of package-lock.json (axe-core for the accessibility browser test,
# Leaflet for the optional tiled maps, served as static files)
# into node_modules/; re-installs only when the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.tandem-installed
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "node packages: up to date"
  exit 0
fi

echo "node packages: installing from package-lock.json"
npm ci --no-audit --no-fund --loglevel=error
echo "$wanted" > "$stamp"
echo "node packages: ready"
