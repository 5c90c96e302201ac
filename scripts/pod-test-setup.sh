#!/bin/sh
# Installs, from Debian's archive, the programs that test/nginx/real-pod.test.ts runs the presets' pods with: nginx,
# prometheus-nginx-exporter, prometheus, and iproute2 (`ip`, to bring up `lo` in the test's private network namespace).
# apt-get installs system packages, so this needs root: `sudo npm run pod-test:setup`.
#
# On a host that runs systemd, Debian starts the packages' own services (nginx on :80, prometheus on :9090, the
# exporter on :9113). The test does not use them: it starts its own copies inside a private network namespace, where
# those ports are free. Stop or disable the services if you do not want them.
set -eu
if [ "$(id -u)" != 0 ]; then
  echo "pod-test:setup: apt-get needs root; run: sudo npm run pod-test:setup" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends nginx prometheus-nginx-exporter prometheus iproute2
