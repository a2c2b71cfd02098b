# shellcheck shell=bash
# 'install': Debian packages, java and maven checks, PostgreSQL with TimescaleDB (built from
# Debian trixie's source package on Debian 12), the service user (ops/lib/service.sh).

TIMESCALEDB_VERSION=2.19.3
APT_UPDATED=0
INSTALL_VERBOSE=1
INSTALL_SUMMARY=()

install_ok() {
  INSTALL_SUMMARY+=("$1")
  if ((INSTALL_VERBOSE)); then ok "$2"; fi
}

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing_pkgs() {
  local p
  for p in "$@"; do
    pkg_installed "$p" || printf '%s\n' "$p"
  done
}

# apt_install PKG... : installs the packages (apt-get update once, only when something is missing).
apt_install() {
  (($#)) || return 0
  local log=$LOGS/install.log
  mkdir -p "$LOGS"
  if ! is_root && ! command -v sudo >/dev/null; then
    die "missing Debian packages: $*; run as root: apt-get update && apt-get install -y --no-install-recommends $*"
  fi
  note "installing (apt): $* ..."
  local start
  start=$(now)
  {
    if ((APT_UPDATED == 0)); then
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
  } 2>&1 | log_append "$log" || {
    tail -n 20 "$log" >&2
    die "apt-get install failed ($*); full output in $(rel "$log")"
  }
  APT_UPDATED=1
  ok "installed $* ($(($(now) - start)) s)"
}

debian_major() {
  local v
  v=$(cat /etc/debian_version 2>/dev/null || true)
  case $v in
    [0-9]*) printf '%s' "${v%%.*}" ;;
    trixie*) printf '13' ;;
    bookworm*) printf '12' ;;
    *) printf '' ;;
  esac
}

check_java_maven() {
  local line major
  command -v java >/dev/null ||
    die "java not found: install a JDK 17 (apt-get install openjdk-17-jdk-headless) and run again"
  line=$(java -version 2>&1 | head -n 1)
  major=$(sed -E 's/.*version "([0-9]+)(\.[^"]*)?".*/\1/' <<<"$line")
  if ! [[ $major =~ ^[0-9]+$ ]] || ((major < 17)); then
    die "java 17 or newer is needed, found: $line (apt-get install openjdk-17-jdk-headless)"
  fi
  command -v javac >/dev/null || die "javac not found: a JDK is needed, not only a JRE (apt-get install openjdk-17-jdk-headless)"
  command -v mvn >/dev/null || die "mvn not found: apt-get install maven"
  install_ok "java $major" "java $major ($line)"
  install_ok "maven" "maven ($(mvn -v 2>/dev/null | head -n 1 | sed -E 's/\x1b\[[0-9;]*m//g'))"
}

# The newest PostgreSQL server version that has TimescaleDB installed (empty when none).
pg_version_with_timescaledb() {
  local d v best=''
  for d in /usr/lib/postgresql/*/lib; do
    v=${d#/usr/lib/postgresql/}
    v=${v%/lib}
    if [[ -f $d/timescaledb.so || -f $d/timescaledb-$TIMESCALEDB_VERSION.so ]] && [[ -x /usr/lib/postgresql/$v/bin/postgres ]]; then
      if [[ -z $best ]] || ((v > best)); then best=$v; fi
    fi
  done
  printf '%s' "$best"
}

# Debian 12: Debian trixie's source package timescaledb, built Apache-only against PostgreSQL 15,
# with private apt dirs so the system's apt sources stay as they are.
build_timescaledb_from_trixie_source() {
  local pgver=15 build=$PAPERTAPE_HOME/build/timescaledb log=$LOGS/timescaledb-build.log start src
  local pg_config=/usr/lib/postgresql/$pgver/bin/pg_config
  start=$(now)
  note "building TimescaleDB $TIMESCALEDB_VERSION (Apache-only) from Debian trixie's source package; log: $(rel "$log")"
  mkdir -p "$build"/apt/lists/partial "$build"/apt/cache/archives/partial "$build"/src "$LOGS"
  echo 'deb-src http://deb.debian.org/debian trixie main' >"$build"/apt/sources.list
  local aptopts=(-o Dir::Etc::SourceList="$build"/apt/sources.list -o Dir::Etc::SourceParts=/dev/null
    -o Dir::State::Lists="$build"/apt/lists -o Dir::Cache="$build"/apt/cache)
  (cd "$build"/src && rm -rf timescaledb-*/ timescaledb_* &&
    apt-get "${aptopts[@]}" update -q && apt-get "${aptopts[@]}" source timescaledb) 2>&1 | log_append "$log" || {
    tail -n 30 "$log" >&2
    die "could not fetch the timescaledb source package (needs deb.debian.org); full log: $(rel "$log")"
  }
  src=$(find "$build"/src -maxdepth 1 -type d -name 'timescaledb-*' | head -n 1)
  [[ -n $src && -x $src/bootstrap ]] || die "timescaledb source not unpacked under $(rel "$build/src"); see $(rel "$log")"
  [[ $src == *"-$TIMESCALEDB_VERSION"* ]] ||
    note "note: trixie now ships $(basename "$src"), not $TIMESCALEDB_VERSION; building that"
  (cd "$src" && BUILD_FORCE_REMOVE=true ./bootstrap -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPG_CONFIG="$pg_config" -DAPACHE_ONLY=ON -DREGRESS_CHECKS=OFF -DTAP_CHECKS=OFF \
    -DWARNINGS_AS_ERRORS=OFF -DSEND_TELEMETRY_DEFAULT=OFF && make -C build -j"$(nproc)") 2>&1 | log_append "$log" || {
    tail -n 30 "$log" >&2
    die "TimescaleDB build failed; full log: $(rel "$log")"
  }
  as_root make -C "$src"/build install 2>&1 | log_append "$log" || {
    tail -n 20 "$log" >&2
    die "TimescaleDB make install failed; full log: $(rel "$log")"
  }
  ok "built and installed TimescaleDB into $("$pg_config" --pkglibdir) ($(($(now) - start)) s)"
}

ensure_postgres_timescaledb() {
  local ver deb
  ver=$(pg_version_with_timescaledb)
  if [[ -z $ver ]]; then
    deb=$(debian_major)
    case $deb in
      13)
        # shellcheck disable=SC2046
        apt_install $(missing_pkgs postgresql-17 postgresql-17-timescaledb)
        ;;
      12)
        # The dev package upgrades the server package: it goes in before any server starts.
        # shellcheck disable=SC2046
        apt_install $(missing_pkgs postgresql-15 postgresql-server-dev-15 libssl-dev dpkg-dev cmake gcc make)
        build_timescaledb_from_trixie_source
        ;;
      *)
        die "no PostgreSQL with TimescaleDB found and this is not Debian 12 or 13 ($(cat /etc/debian_version 2>/dev/null || echo 'no /etc/debian_version')): install PostgreSQL with TimescaleDB $TIMESCALEDB_VERSION yourself"
        ;;
    esac
    ver=$(pg_version_with_timescaledb)
    [[ -n $ver ]] || die "TimescaleDB still not found under /usr/lib/postgresql/*/lib after installing"
  fi
  # shellcheck disable=SC2034 # read by ops/lib/postgres.sh
  PG_VERSION=$ver
  PG_BIN=/usr/lib/postgresql/$ver/bin
  local so tsv=''
  for so in /usr/lib/postgresql/"$ver"/lib/timescaledb-[0-9]*.so; do
    if [[ -f $so ]]; then tsv=${so##*/timescaledb-} && tsv=${tsv%.so}; fi
  done
  install_ok "PostgreSQL $ver + TimescaleDB" "PostgreSQL $ver with TimescaleDB ${tsv:-(version unknown)} ($PG_BIN)"
}

ensure_tools() {
  # shellcheck disable=SC2046
  apt_install $(missing_pkgs kcat curl supervisor)
  install_ok "kcat" "kcat $(kcat -V 2>/dev/null | sed -nE 's/^Version ([^ ]+).*/\1/p'), curl"
  install_ok "supervisor" "supervisor $(supervisord --version 2>/dev/null) (runs the parts: ops/lib/supervise.sh)"
}

# Jupyter from Debian (pyenv's python3, if any, lacks these): the notebook runs via /usr/bin/jupyter.
ensure_notebook_tools() {
  # shellcheck disable=SC2046
  apt_install $(missing_pkgs jupyter-nbconvert python3-nbclient python3-ipykernel python3-psycopg2 python3-pandas python3-matplotlib)
  install_ok "notebook tools" "notebook tools (jupyter-nbconvert, ipykernel, psycopg2, pandas, matplotlib)"
}

# Installs shellcheck, for the scripts' check in './papertape test'.
ensure_shellcheck() {
  # shellcheck disable=SC2046
  apt_install $(missing_pkgs shellcheck)
  install_ok "shellcheck" "shellcheck $(shellcheck --version 2>/dev/null | sed -n 's/^version: //p')"
}

# Quiet mode (implicit install from up/test) prints one summary line instead of one per item.
run_install() {
  INSTALL_VERBOSE=${1:-1}
  INSTALL_SUMMARY=()
  mkdir -p "$LOGS"
  ensure_service_user
  check_java_maven
  ensure_tools
  ensure_postgres_timescaledb
  if [[ ${2:-} == notebook ]]; then ensure_notebook_tools && ensure_shellcheck; fi
  if ((INSTALL_VERBOSE == 0)); then
    local joined
    joined=$(printf ', %s' "${INSTALL_SUMMARY[@]}")
    ok "prerequisites present (${joined:2})"
  fi
}
