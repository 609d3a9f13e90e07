#!/usr/bin/env bash
# Installs the Debian packages Tandem needs, only those that are missing, and says which.
set -euo pipefail

packages=(
  postgresql-15 postgresql-15-postgis-3 postgresql-contrib   # database + PostGIS 3
  gdal-bin libgdal32 libgeos-c1v5 libproj25                  # GeoDjango's libraries
  redis-server                                               # channel layer
  chromium                                                   # browser tests (Playwright drives it)
  gettext                                                    # compiling the translation catalogues
  python3-venv
)

missing=()
for package in "${packages[@]}"; do
  [[ "$package" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Node and npm install axe-core (accessibility test); skipped where some npm is already on PATH.
if ! command -v npm >/dev/null 2>&1; then
  for package in nodejs npm; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

echo "system packages: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "system packages: installed ${missing[*]}"
