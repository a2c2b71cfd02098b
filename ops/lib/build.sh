# shellcheck shell=bash
# Building the jars the parts run (Maven, under the lock), only when missing or out of date.

# part_artifacts PART : the files its artifacts= variables name, one a line. A tool that is not a
# part of the stack (./papertape backtest) names its own: artifacts=VAR,VAR.
part_artifacts() {
  local var vars=()
  if [[ $1 == artifacts=* ]]; then
    IFS=, read -r -a vars <<<"${1#artifacts=}"
  else
    mapfile -t vars < <(part_list "$1" artifacts)
  fi
  for var in "${vars[@]}"; do
    printf '%s\n' "${!var}"
  done
}

# Sources that go into the jars: the root pom and every module of it.
sources_newer_than() {
  local ref=$1 modules=() m
  while IFS= read -r m; do
    if [[ -d $ROOT/$m ]]; then modules+=("$ROOT/$m"); fi
  done < <(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' "$ROOT/pom.xml")
  find "$ROOT/pom.xml" "${modules[@]}" -name target -prune -o -type f -newer "$ref" -print -quit 2>/dev/null
}

# Builds the jars when one is missing or sources changed since the last build.
build_if_needed() {
  local no_build=$1 parts=("${@:2}") artifacts=() a missing=() oldest='' stamp=$RUN/build.stamp ref reason=''
  for a in "${parts[@]}"; do
    while IFS= read -r f; do
      if [[ -n $f ]]; then artifacts+=("$f"); fi
    done < <(part_artifacts "$a")
  done
  ((${#artifacts[@]})) || return 0
  for a in "${artifacts[@]}"; do
    if [[ ! -f $a ]]; then missing+=("$(rel "$a")"); elif [[ -z $oldest || $a -ot $oldest ]]; then oldest=$a; fi
  done
  if ((no_build)); then
    ((${#missing[@]} == 0)) || die "not built: ${missing[*]}; run $PROG up without --no-build (or: flock $MVN_LOCK mvn -B package -DskipTests)"
    return 0
  fi
  if ((${#missing[@]})); then
    reason="missing ${missing[*]}"
  else
    ref=$oldest
    [[ -f $stamp && $stamp -nt $ref ]] && ref=$stamp
    [[ -n $(sources_newer_than "$ref") ]] && reason="sources changed since the last build"
  fi
  [[ -n $reason ]] || { ok "jars up to date"; return 0; }
  note "building the jars ($reason) ..."
  local start
  start=$(now)
  mkdir -p "$RUN"
  touch "$stamp.new"
  mvn_locked -q -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true package ||
    die "the Maven build failed (output above); fix it, or start the infrastructure only: $PROG up --only postgres,kafka"
  mv -f "$stamp.new" "$stamp"
  missing=()
  for a in "${artifacts[@]}"; do [[ -f $a ]] || missing+=("$(rel "$a")"); done
  ((${#missing[@]} == 0)) || die "the build succeeded but did not produce: ${missing[*]} (is that module finished?)"
  ok "built the jars ($(($(now) - start)) s)"
}

