#!/usr/bin/env bash
# The "other" Debian release in a cached chroot, for CI's second QGIS leg.
#
#   tools/other_debian.sh build            build (or reuse) the chroot, print its path
#   tools/other_debian.sh test [DIR]       copy checkout DIR (default: this one) into the
#                                          chroot and run `make test` there
#   tools/other_debian.sh run CMD...       run CMD in the chroot's copy of the checkout
#                                          (after `test` or `copy`)
#   tools/other_debian.sh copy [DIR]       only copy the checkout in
#   tools/other_debian.sh shell            interactive shell in the chroot
#
# On a Debian 12 (bookworm, QGIS 3.22) host the chroot is Debian 13 (trixie, QGIS 3.40),
# and the other way round. It lives outside any clone, in $CARBON_CI_ROOT
# (default /srv/carbon-ci/<release>), and is reused while its stamp matches the package
# list below. Needs root. The mounts (proc, sys, dev, dev/pts, and the host's local pip
# indexes read-only) are made in a private mount namespace, so they vanish when the
# command ends, whatever happens; the trap unmounts them as well.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

host_release="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
case "$host_release" in
  bookworm) other=trixie ;;
  trixie) other=bookworm ;;
  *) echo "tools/other_debian.sh: host is '$host_release'; expected Debian bookworm or trixie." >&2; exit 2 ;;
esac
other="${CARBON_CI_RELEASE:-$other}"
root="${CARBON_CI_ROOT:-/srv/carbon-ci/$other}"
# Without recommends (they add gigabytes: compilers, docs, GRASS...): what `make test`/`make demo` use.
packages=(qgis python3-qgis qgis-providers python3-venv python3-pip python3-scipy python3-matplotlib
          make git ca-certificates fonts-dejavu-core r-cran-spdep libopenblas0-pthread locales)
stamp_text="carbon-ci 2 $other ${packages[*]}"
stamp="$root/.carbon-ci-stamp"

die() { echo "tools/other_debian.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mounts)."

archive_url() {
  # The Debian archive the host's apt uses (deb822 .sources first, then one-line lists).
  local url
  url="$(grep -h -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '{print $2}' | grep -E '/debian/?$' | head -n 1 || true)"
  if [ -z "$url" ]; then
    url="$(grep -h -E '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | awk '{print $2}' | grep -E '/debian/?$' | head -n 1 || true)"
  fi
  echo "${url:-http://deb.debian.org/debian}"
}

pip_local_dirs() {
  # Local package folders the host's pip is configured with (find-links, file:// indexes):
  # they are bind-mounted read-only at the same paths so pip in the chroot sees what the host sees.
  { cat /etc/pip.conf "${XDG_CONFIG_HOME:-$HOME/.config}/pip/pip.conf" "$HOME/.pip/pip.conf" 2>/dev/null || true
    env | grep -E '^PIP_(FIND_LINKS|EXTRA_INDEX_URL|INDEX_URL)=' || true
  } | grep -oE '(file://)?/[^[:space:]]+' | sed 's|^file://||' \
    | while read -r p; do
        # an index URL ends in /simple: mount its parent (the files live beside it)
        case "$p" in */simple|*/simple/) p="$(dirname "${p%/}")" ;; esac
        [ -d "$p" ] && echo "$p"
      done | sort -u
}

copy_host_config() {
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  # Extra CA certificates (e.g. a proxy's) so apt and pip reach the archive and the index.
  if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
    [ -x "$root/usr/sbin/update-ca-certificates" ] && chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
  fi
  [ -f /etc/pip.conf ] && cp /etc/pip.conf "$root/etc/pip.conf"
  local user_conf="${XDG_CONFIG_HOME:-$HOME/.config}/pip/pip.conf"
  if [ -f "$user_conf" ]; then
    mkdir -p "$root/root/.config/pip"
    cp "$user_conf" "$root/root/.config/pip/pip.conf"
  fi
  return 0
}

# Runs "$@" inside the chroot with the mounts in place, in a private mount namespace.
in_chroot() {
  local dirs
  dirs="$(pip_local_dirs | tr '\n' ' ')"
  unshare --mount --propagation private -- env CHROOT="$root" PIPDIRS="$dirs" bash -euo pipefail -c '
    cleanup() { for m in $(awk -v r="$CHROOT" "\$2 ~ \"^\"r {print \$2}" /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done; }
    trap cleanup EXIT
    # (Someone else may have these mounted already: this namespace holds copies, use them.)
    mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
    mountpoint -q "$CHROOT/sys" || mount -t sysfs sys "$CHROOT/sys"
    mountpoint -q "$CHROOT/dev" || mount --bind /dev "$CHROOT/dev"
    mountpoint -q "$CHROOT/dev/pts" || mount --bind /dev/pts "$CHROOT/dev/pts"
    for d in $PIPDIRS; do
      mkdir -p "$CHROOT$d"; mount --bind "$d" "$CHROOT$d"; mount -o remount,bind,ro "$CHROOT$d" 2>/dev/null || true
    done
    shift 0
    exec_cmd=("$@")
    chroot "$CHROOT" env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      LANG=C.UTF-8 CI="${CI:-}" TERM="${TERM:-dumb}" \
      $(env | grep -E "^(PIP_[A-Z_]+)=" | grep -v -E "^PIP_(CERT)=" | tr "\n" " ") \
      PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
      "${exec_cmd[@]}"
  ' carbon-ci "$@"
}

build() {
  mkdir -p "$(dirname "$root")"
  exec 9>"$root.lock"
  flock 9
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_text" ]; then
    echo "$root"
    return 0
  fi
  local t0=$SECONDS
  if ! command -v debootstrap >/dev/null; then
    echo "[chroot] installing debootstrap" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  if [ ! -x "$root/usr/bin/apt-get" ]; then
    rm -rf "$root"
    local url
    url="$(archive_url)"
    echo "[chroot] debootstrap --variant=minbase $other $root $url" >&2
    debootstrap --variant=minbase "$other" "$root" "$url" >"$root.debootstrap.log" 2>&1 \
      || { tail -n 30 "$root.debootstrap.log" >&2; die "debootstrap failed (log: $root.debootstrap.log)"; }
    echo "[chroot] debootstrap took $((SECONDS - t0)) s" >&2
  fi
  copy_host_config
  local t1=$SECONDS
  echo "[chroot] apt-get install ${packages[*]}" >&2
  # CA certificates first (a proxy's extra CA may be needed for https sources), then the rest.
  in_chroot bash -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && \
    apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null && update-ca-certificates >/dev/null && \
    apt-get install -y -qq --no-install-recommends ${packages[*]} >/dev/null && apt-get clean" \
    || die "apt-get install in the chroot failed"
  echo "[chroot] packages took $((SECONDS - t1)) s" >&2
  echo "$stamp_text" >"$stamp"
  echo "$root"
}

copy_checkout() {
  local src="${1:-$here}"
  [ -f "$src/Makefile" ] || die "$src is not a checkout (no Makefile)."
  rm -rf "$root/root/carbon-ci/src"
  mkdir -p "$root/root/carbon-ci/src"
  # The working tree as it is (committed or not), without the host's build products.
  tar -C "$src" --exclude=./.venv --exclude=./.build --exclude=./output --exclude=./dist \
      --exclude=./.pytest_cache --exclude='__pycache__' -cf - . | tar -C "$root/root/carbon-ci/src" -xf -
  # A copy of shared/ beside the clone, as CI lays it out.
  if [ -d "$src/../shared" ]; then
    rm -rf "$root/root/carbon-ci/shared"
    cp -r "$src/../shared" "$root/root/carbon-ci/shared"
  fi
}

cmd="${1:-test}"
shift || true
case "$cmd" in
  build) build ;;
  copy) build >/dev/null; copy_checkout "${1:-}" ;;
  test)
    build >/dev/null
    copy_checkout "${1:-}"
    in_chroot bash -c 'echo "chroot: $(. /etc/os-release && echo "$PRETTY_NAME"), QGIS $(python3 -c "from qgis.core import Qgis; print(Qgis.QGIS_VERSION)" 2>/dev/null)"; cd /root/carbon-ci/src && make test'
    ;;
  run) build >/dev/null; in_chroot bash -c 'cd /root/carbon-ci/src && "$@"' run "$@" ;;
  shell) build >/dev/null; in_chroot bash -l ;;
  *) die "unknown command '$cmd' (build, test, copy, run, shell)" ;;
esac
