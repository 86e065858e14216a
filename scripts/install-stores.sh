#!/usr/bin/env bash
# Debian packages for the triple-store tests: Apache Jena (command-line classes, no Fuseki in Debian; a JRE,
# whose module image includes the compiler the tests' one-JVM Jena runner needs) and Virtuoso (the minimal
# -bin package: no service is started, no debconf question). The Oxigraph server comes from PyPI (the [test]
# extra). Skipped with a note when not root; the store tests then skip with an install hint (they fail under CI).
set -euo pipefail
need=()
dpkg -s libapache-jena-java >/dev/null 2>&1 || need+=(libapache-jena-java)
dpkg -s virtuoso-opensource-7-bin >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "note: not root, not installing ${need[*]}; store tests needing them will say how to install them" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" </dev/null >/dev/null
