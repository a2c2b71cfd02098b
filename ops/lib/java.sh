# shellcheck shell=bash
# JVM options of the Java parts: PAPERTAPE_JAVA_OPTS, and the --add-opens list Flink needs.

# JAVA_OPTS from PAPERTAPE_JAVA_OPTS, split on spaces on purpose (several JVM options).
java_opts() {
  local -a opts=()
  if [[ -n $PAPERTAPE_JAVA_OPTS ]]; then read -r -a opts <<<"$PAPERTAPE_JAVA_OPTS"; fi
  # shellcheck disable=SC2034 # read by the commands in ops/lib/parts.sh
  JAVA_OPTS=("${opts[@]}")
}

# FLINK_OPENS: the --add-opens options Flink 2.x needs on Java 17 (Kryo on JDK types). The one
# list is the root pom's property flink.add.opens (one line, options separated by spaces): Maven
# passes it to surefire and failsafe (argLine), and this reads it for the flink part and the
# pipeline bench.
flink_opens() {
  local pom=$ROOT/pom.xml lines opt
  ((${#FLINK_OPENS[@]})) && return 0
  lines=$(sed -n 's:^[[:space:]]*<flink\.add\.opens>\(.*\)</flink\.add\.opens>[[:space:]]*$:\1:p' "$pom")
  [[ -n $lines && $lines != *$'\n'* ]] ||
    die "$(rel "$pom"): expected the property <flink.add.opens> once, on one line (the JVM options Flink needs)"
  read -r -a FLINK_OPENS <<<"$lines"
  for opt in "${FLINK_OPENS[@]}"; do
    [[ $opt =~ ^--add-(opens|exports)=[A-Za-z0-9_.]+/[A-Za-z0-9_.]+=ALL-UNNAMED$ ]] ||
      die "$(rel "$pom"): <flink.add.opens> holds '$opt', expected --add-opens=MODULE/PACKAGE=ALL-UNNAMED options"
  done
}
FLINK_OPENS=()
