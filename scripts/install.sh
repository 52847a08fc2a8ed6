#!/usr/bin/env bash
# Shared by scripts/demo and scripts/test: make sure the Debian packages and the
# virtualenv at .venv exist. Idempotent: a second run changes nothing.
# Usage: scripts/install.sh runtime|hub|test
#   runtime: a commune station; hub: a station's packages and the province's NATS servers;
#   test: everything the test suite runs against
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:-runtime}"
runtime_pkgs=(ffmpeg espeak-ng python3-venv libportaudio2 pulseaudio-utils libasound2-plugins)
# LibreOffice and poppler render the Word report to PDF and PNG in the report e2e test
# the province's NATS servers (JetStream): the hub runs them, the demo and the network tests start clusters
hub_pkgs=(nats-server)
test_pkgs=(pulseaudio icecast2 chromium libreoffice-writer-nogui poppler-utils "${hub_pkgs[@]}")
pkgs=("${runtime_pkgs[@]}")
case "$profile" in
  runtime) ;;
  hub) pkgs+=("${hub_pkgs[@]}") ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  *) echo "Usage: scripts/install.sh runtime|hub|test" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "These Debian packages are needed. Install them, then run this command again:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "radio needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv

extras=""
[ "$profile" = test ] && extras="[test]"
stamp=".venv/.radio-installed-$profile"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing Python packages into .venv ($profile)"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extras"
  echo "$want" > "$stamp"
fi
