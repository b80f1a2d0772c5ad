#!/usr/bin/env bash
# Smoke test of the images of ./xscore images: runs the local-stack image as Kafka and as MongoDB, then gateway,
# scoring-service, dataset-service and trainer-service against them, all with --network host on free ports, a
# read-only root file system (--read-only, --tmpfs /tmp) and the images' own user; passes when every service's
# /q/health/ready says UP, each runs as uid 1001, and nothing wrote to the image. Removes its containers and
# volumes at the end, also on failure.
#   deploy/images/smoke.sh [--registry PREFIX] [--version V] [--timeout SECONDS]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$HERE/containers.conf}"
REGISTRY="localhost/xscore"
VERSION="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$ROOT/pom.xml" | head -n 1)"
TIMEOUT=240
while [ $# -gt 0 ]; do
  case "$1" in
    --registry) REGISTRY="${2%/}"; shift 2 ;;
    --version) VERSION="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    *) echo "smoke.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
RUN_ID="xscore-smoke-$$"
CONTAINERS=() CLEAN_DIRS=()
cleanup() {
  local c
  for c in "${CLEAN_DIRS[@]}"; do rm -rf "$c"; done
  for c in "${CONTAINERS[@]}"; do
    podman rm -f -v -t 5 "$c" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Seven consecutive free ports from a random start in 10000..21999: below the ephemeral range (32768-60999), where a
# client's outgoing connection could hold a port before its server binds it; below the launcher test's 22000-30000.
pick_ports() {
  local base p ok
  for _ in $(seq 1 50); do
    base=$((10000 + RANDOM % 12000)); ok=1
    for p in $(seq "$base" $((base + 6))); do port_open "$p" && { ok=0; break; }; done
    [ "$ok" = 1 ] && { echo "$base"; return 0; }
  done
  return 1
}
BASE_PORT="$(pick_ports)" || { echo "smoke.sh: no free ports" >&2; exit 1; }
KAFKA=$BASE_PORT CONTROLLER=$((BASE_PORT + 1)) MONGO=$((BASE_PORT + 2))
declare -A PORT=([gateway]=$((BASE_PORT + 3)) [scoring-service]=$((BASE_PORT + 4)) [dataset-service]=$((BASE_PORT + 5))
                 [trainer-service]=$((BASE_PORT + 6)))
COMMON=(--network host --read-only --tmpfs /tmp:rw,exec,mode=1777 --memory-swappiness=-1)

run() { # name, podman run options..., image, command...
  local name="$RUN_ID-$1"; shift
  CONTAINERS+=("$name")
  podman run -d --name "$name" "${COMMON[@]}" "$@" >/dev/null
}

fail() {
  local c
  echo "smoke: FAILED: $*" >&2
  for c in "${CONTAINERS[@]}"; do
    echo "----- $c (last log lines)" >&2
    podman logs --tail 25 "$c" >&2 2>&1 || true
  done
  exit 1
}

wait_until() { # what, seconds, command...
  local what="$1" deadline=$((SECONDS + $2)); shift 2
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "$what not ready after $((SECONDS - started)) s"
    sleep 1
  done
}

ready() { curl -fsS --max-time 3 "http://127.0.0.1:$1/q/health/ready" 2>/dev/null | grep -q '"status" *: *"UP"'; }

echo "smoke: $REGISTRY/*:$VERSION on 127.0.0.1 ports $BASE_PORT..$((BASE_PORT + 6))"
started=$SECONDS
STACK="$REGISTRY/local-stack:$VERSION"
run kafka -e KAFKA_PORT=$KAFKA -e KAFKA_CONTROLLER_PORT=$CONTROLLER -e KAFKA_LISTEN_HOST=127.0.0.1 \
  -e KAFKA_ADVERTISED_HOST=127.0.0.1 "$STACK" kafka
run mongo -e MONGO_PORT=$MONGO -e MONGO_LISTEN_HOST=127.0.0.1 "$STACK" mongo
wait_until "kafka" 90 port_open $KAFKA
wait_until "mongo" 60 port_open $MONGO
echo "smoke: kafka and mongo listening after $((SECONDS - started)) s"

SERVICES=(gateway scoring-service dataset-service trainer-service)
for s in "${SERVICES[@]}"; do
  run "$s" -e KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA -e MONGODB_URI=mongodb://127.0.0.1:$MONGO \
    -e QUARKUS_HTTP_PORT="${PORT[$s]}" \
    -e XSCORE_SCORING_SERVICE_URL="http://127.0.0.1:${PORT[scoring-service]}" \
    -e XSCORE_TRAINER_DATASET_SERVICE_URL="http://127.0.0.1:${PORT[dataset-service]}" \
    -e XSCORE_TRAINER_NAME=smoke-trainer -e XSCORE_TRAINER_THREADS=1 \
    -e JAVA_OPTS="-Xmx512m -XX:+UseSerialGC -Dai.djl.offline=true -Djava.io.tmpdir=/tmp" \
    "$REGISTRY/$s:$VERSION"
done
for s in "${SERVICES[@]}"; do
  wait_until "$s (/q/health/ready on ${PORT[$s]})" "$TIMEOUT" ready "${PORT[$s]}"
  echo "smoke: $s ready (UP) after $((SECONDS - started)) s"
done

# The trainer loaded its PyTorch natives from the image (nothing downloaded or written to the root file system).
podman logs "$RUN_ID-trainer-service" 2>&1 | grep -qiE 'download|read-only file system' \
  && fail "the trainer tried to download or write DJL files"
# The PyTorch engine loads from the image's pre-extracted natives as uid 1001 on the read-only root (DjlExtract.java,
# compiled here; needs a JDK on this machine).
if command -v javac >/dev/null; then
  classes="$(mktemp -d)"; CLEAN_DIRS+=("$classes")
  javac -d "$classes" -cp "$ROOT/trainer-service/target/quarkus-app/lib/main/*" "$HERE/DjlExtract.java"
  chmod -R a+rX "$classes"
  out="$(podman run --rm --read-only --tmpfs /tmp:rw,exec,mode=1777 -v "$classes:/x:ro" --entrypoint java \
    "$REGISTRY/trainer-service:$VERSION" -Dai.djl.offline=true -cp "/x:/deployments/lib/main/*" DjlExtract 2>&1)" \
    || fail "the trainer image cannot load PyTorch on a read-only root: $out"
  echo "smoke: trainer-service: $(grep '^DJL' <<<"$out")"
fi
for c in "${CONTAINERS[@]}"; do
  uid="$(podman exec "$c" id -u)"
  [ "$uid" = 1001 ] || fail "$c runs as uid $uid, not 1001"
  # /etc shows as changed for podman's own bind mounts (hosts, hostname, resolv.conf); the root is read-only anyway.
  changed="$(podman diff "$c" | grep -vE '^[AC] /(tmp|var/lib/xscore)(/|$)|^C /etc$|^[AC] /etc/(hosts|hostname|resolv.conf)$' || true)"
  [ -z "$changed" ] || fail "$c changed its image: $changed"
done
echo "smoke: PASSED in $((SECONDS - started)) s: ${SERVICES[*]} ready, kafka + mongo (local-stack), all uid 1001, read-only root"
