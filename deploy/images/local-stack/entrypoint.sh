#!/bin/sh
# Entrypoint of the local-stack image:  kafka | mongo  (any further arguments go to the server).
#   kafka: single-node Kafka in KRaft mode (broker + controller), storage formatted on first start with share groups on
#          (share.version=1, Kafka 4.2+). KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_ADVERTISED_HOST (the
#          name clients reach this broker by: the Service name in Kubernetes, 127.0.0.1 with --network host; default
#          the pod's hostname), KAFKA_LISTEN_HOST (0.0.0.0); data in $XSCORE_DATA/kafka.
#   mongo: the MongoDB wire-protocol server on MONGO_PORT (27017), bound to MONGO_LISTEN_HOST (0.0.0.0), data in
#          $XSCORE_DATA/mongo/xscore.h2; MONGO_FSYNC=0 writes without fsync.
set -eu
CP="/opt/xscore/lib/*"
LOG4J="-Dlog4j2.configurationFile=/opt/xscore/config/log4j2.properties"
DATA="${XSCORE_DATA:-/var/lib/xscore}"
what="${1:-kafka}"
[ $# -gt 0 ] && shift
case "$what" in
  kafka)
    port="${KAFKA_PORT:-9092}" cport="${KAFKA_CONTROLLER_PORT:-9093}"
    listen="${KAFKA_LISTEN_HOST:-0.0.0.0}" adv="${KAFKA_ADVERTISED_HOST:-$(hostname)}"
    dir="$DATA/kafka" props="/tmp/kafka-server.properties"
    mkdir -p "$dir"
    sed -e "s#^listeners=.*#listeners=PLAINTEXT://$listen:$port,CONTROLLER://$listen:$cport#" \
        -e "s#^advertised.listeners=.*#advertised.listeners=PLAINTEXT://$adv:$port,CONTROLLER://$adv:$cport#" \
        -e "s#^controller.quorum.bootstrap.servers=.*#controller.quorum.bootstrap.servers=127.0.0.1:$cport#" \
        -e "s/@PORT@/$port/g" -e "s/@CONTROLLER_PORT@/$cport/g" -e "s#@DATA@#$dir#g" \
        /opt/xscore/config/kafka-server.properties >"$props"
    [ -n "${KAFKA_SHARE_LOCK_MS:-}" ] && echo "group.share.record.lock.duration.ms=$KAFKA_SHARE_LOCK_MS" >>"$props"
    [ -n "${KAFKA_SHARE_DELIVERY_LIMIT:-}" ] && echo "group.share.delivery.count.limit=$KAFKA_SHARE_DELIVERY_LIMIT" >>"$props"
    if [ ! -f "$dir/meta.properties" ]; then
      id="$(java -cp "$CP" $LOG4J kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
      java -cp "$CP" $LOG4J kafka.tools.StorageTool format --standalone -t "$id" -c "$props" --feature share.version=1
    fi
    # shellcheck disable=SC2086
    exec java $JAVA_OPTS -cp "$CP" $LOG4J kafka.Kafka "$props" "$@"
    ;;
  mongo)
    fsync=""
    [ "${MONGO_FSYNC:-1}" = 0 ] && fsync=--no-fsync
    mkdir -p "$DATA/mongo"
    # shellcheck disable=SC2086
    exec java $JAVA_OPTS -cp "$CP" $LOG4J io.xscore.local.MongoWireServer --host "${MONGO_LISTEN_HOST:-0.0.0.0}" \
      --port "${MONGO_PORT:-27017}" --data "$DATA/mongo/xscore.h2" $fsync "$@"
    ;;
  *) echo "usage: entrypoint.sh kafka|mongo [server arguments]" >&2; exit 2 ;;
esac
