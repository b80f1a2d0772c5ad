#!/usr/bin/env bash
# Makes a local JRE 17 base image for the xScore images from Debian packages, for machines that cannot pull a public
# base (docker.io/library/eclipse-temurin:17-jre): debootstrap --variant=minbase bookworm, plus openjdk-17-jre-headless,
# libtcmalloc-minimal4 (preloaded by the trainer only) and ca-certificates, imported with podman.
#
#   deploy/images/base/make-base.sh [--print-tag] [--force]
#
# The tag is localhost/xscore/base-jre17:<first 12 hex digits of this script's sha256> (XSCORE_BASE_REPO overrides
# the repository part): an image with that tag is reused (debootstrap runs only when this script changed or the image
# is gone); --force rebuilds it. --print-tag prints the tag and does nothing else. Prints the tag on its last line.
# Needs root, debootstrap and podman; the Debian mirror is XSCORE_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$HERE/../containers.conf}"
HASH="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
TAG="${XSCORE_BASE_REPO:-localhost/xscore/base-jre17}:$HASH"
MIRROR="${XSCORE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
force=0
for a in "$@"; do
  case "$a" in
    --print-tag) echo "$TAG"; exit 0 ;;
    --force) force=1 ;;
    *) echo "make-base.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
if [ "$force" = 0 ] && podman image exists "$TAG"; then
  echo "base image $TAG exists: reused" >&2
  echo "$TAG"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "make-base.sh: debootstrap needs root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "make-base.sh: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/xscore-base.XXXXXX")"
cleanup() {
  # debootstrap may leave /proc or /sys mounted in the target on failure.
  for m in proc sys dev/pts dev; do umount -l "$WORK/root/$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
echo "building base image $TAG (debootstrap bookworm from $MIRROR; a few minutes) ..." >&2
debootstrap --variant=minbase --include=ca-certificates,libtcmalloc-minimal4 bookworm "$WORK/root" "$MIRROR" >&2
# The JRE in a second step: its postinst scripts (ca-certificates-java) need /proc.
mount -t proc proc "$WORK/root/proc"
chroot "$WORK/root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  openjdk-17-jre-headless >&2
umount "$WORK/root/proc"
chroot "$WORK/root" apt-get clean
# Smaller and reproducible-ish: no package lists, caches, docs or logs.
rm -rf "$WORK/root"/var/lib/apt/lists/* "$WORK/root"/var/cache/apt/*.bin "$WORK/root"/var/cache/debconf/*-old \
  "$WORK/root"/usr/share/doc/* "$WORK/root"/usr/share/man/* "$WORK/root"/usr/share/info/* "$WORK/root"/var/log/*.log \
  "$WORK/root"/var/log/apt/* "$WORK/root"/tmp/*
JAVA_HOME_DIR=/usr/lib/jvm/java-17-openjdk-amd64
[ -x "$WORK/root$JAVA_HOME_DIR/bin/java" ] || { echo "make-base.sh: no java in the image" >&2; exit 1; }
tar -C "$WORK/root" --numeric-owner -c . | podman import \
  --change "ENV=PATH=$JAVA_HOME_DIR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV=JAVA_HOME=$JAVA_HOME_DIR" \
  --change "ENV=LANG=C.UTF-8" \
  --change 'CMD=["/bin/bash"]' \
  --message "xScore base: Debian bookworm minbase + openjdk-17-jre-headless + libtcmalloc-minimal4 (make-base.sh $HASH)" \
  - "$TAG" >&2
echo "$TAG"
