#!/usr/bin/env bash
# Builds the API reference of the public headers with Doxygen (docs/Doxyfile) into
# build-docs/html (or $1/html). Fails on any Doxygen warning, an undocumented public symbol
# included. Needs the Debian package doxygen.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build-docs}
command -v doxygen >/dev/null || { echo "docs: doxygen is not installed (apt-get install -y doxygen)" >&2; exit 1; }
mkdir -p "$out"
export CORD_DOCS_DIR=$out
CORD_VERSION=$(sed -n "s/^  version: '\([^']*\)',/\1/p" meson.build)
export CORD_VERSION
doxygen docs/Doxyfile
echo "docs: $out/html/index.html"
