#!/usr/bin/env bash
# Installs what printing the quality bulletin to PDF (and, later, the portal's browser tests) needs on a Debian
# machine that lacks it: Debian's Chromium, run headless, and a CJK font so Chinese text prints as text, not boxes.
# Idempotent and quiet when everything is present. Run as root (CI containers are); otherwise it explains.
set -euo pipefail

missing=()
if [ -z "${DATAHUB_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  missing+=(fonts-wqy-microhei)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "DataHub: the bulletin PDF needs ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi

echo "DataHub: installing ${missing[*]} (headless PDF printing of the quality bulletin)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
