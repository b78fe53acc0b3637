#!/bin/sh
# The container's entrypoint: `proxy` (the default command) listens on 0.0.0.0, reachable from outside the container,
# so it starts only with PROXY_API_KEY set; any other command (--version, doctor, keys, models-refresh) runs as it is.
# NCP_BIN: the ncp launcher (the image's /opt/ncp/bin/ncp; the tests point it at an unpacked tarball).
set -eu
ncp=${NCP_BIN:-/opt/ncp/bin/ncp}
[ $# -gt 0 ] || set -- proxy
if [ "$1" = proxy ]; then
  if [ -z "${PROXY_API_KEY:-}" ]; then
    echo "ncp container: set PROXY_API_KEY (e.g. -e PROXY_API_KEY=\$(openssl rand -hex 24)): the proxy listens on" \
      "0.0.0.0 here, and without a key anyone who reaches the port would spend your NVIDIA credits." >&2
    exit 64
  fi
  export PROXY_HOST="${PROXY_HOST:-0.0.0.0}"
fi
exec "$ncp" "$@"
