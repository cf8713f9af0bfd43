#!/usr/bin/env bash
# Benchmark (not a test): LL-HLS serving throughput of delivery vs nginx serving the same bytes
# from files, same machine, same run. Needs `./camflow up --demo` running (the demo stream, Keycloak, the password grant) and
# Debian's wrk and nginx (this script installs them when missing). delivery checks tokens as it does
# for every viewer: the playlist with the viewer's bearer token (remembered after the first check),
# the part with the playlist's stream token; nginx gets the same requests and ignores both.
#   usage: e2e/bench/serving-throughput.sh [connections=200] [seconds=30] [stream=demo/main]
set -euo pipefail
# 15 s by default: the measured part stays inside delivery's ~20 s window
conns=${1:-200}; secs=${2:-15}; stream=${3:-demo/main}
base="http://127.0.0.1:8080/live/$stream"
for p in wrk nginx; do command -v $p >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk nginx-light >/dev/null; }; done

work=$(mktemp -d); chmod 755 "$work"  # nginx workers run as www-data
trap 'kill $(cat "$work/nginx.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/root/live/$stream"
token=$(curl -sf -d grant_type=password -d client_id=camflow-web -d username=viewer -d password=viewer \
  http://localhost:8180/realms/camflow/protocol/openid-connect/token | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
# the request mix of an LL-HLS viewer: the playlist and the newest complete part, half and half
curl -sf -H "Authorization: Bearer $token" "$base/index.m3u8" > "$work/root/live/$stream/index.m3u8"
part_uri=$(grep -o 'part-[0-9]*\.[0-9]*\.m4s?st=[^"]*' "$work/root/live/$stream/index.m3u8" | tail -2 | head -1)
part=${part_uri%%\?*}
curl -sf "$base/$part_uri" > "$work/root/live/$stream/$part"
echo "stream $stream: playlist $(wc -c < "$work/root/live/$stream/index.m3u8") B, $part $(wc -c < "$work/root/live/$stream/$part") B"

cat > "$work/nginx.conf" <<NGINX
daemon on; worker_processes auto; pid $work/nginx.pid; error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off; sendfile on; tcp_nopush on;
  types { application/vnd.apple.mpegurl m3u8; video/mp4 m4s; }
  server { listen 127.0.0.1:18088; root $work/root;
    location ~ \.m3u8\$ { add_header Cache-Control no-cache; }
    location ~ \.m4s\$ { add_header Cache-Control "max-age=31536000, immutable"; } }
}
NGINX
nginx -c "$work/nginx.conf"

cat > "$work/mix.lua" <<LUA
local i = 0
request = function()
  i = i + 1
  if i % 2 == 0 then return wrk.format("GET", "/live/$stream/index.m3u8", {["Authorization"] = "Bearer $token"}) end
  return wrk.format("GET", "/live/$stream/$part_uri")
end
LUA
run() { # name url
  echo "== $1"
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/mix.lua" "$2" | grep -E 'Requests/sec|Transfer/sec|Non-2xx|50%|99%|Socket errors'
}
run "camflow delivery" "http://127.0.0.1:8080"
run "nginx (same bytes from files)" "http://127.0.0.1:18088"
