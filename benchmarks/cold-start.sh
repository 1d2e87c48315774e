#!/bin/sh
# Whole-process cold runs of the callflux CLI, JVM start included, timed from outside with /usr/bin/time:
# `java -jar callflux.jar` against the installed command (examples/target/callflux/bin/callflux) with and
# without its class-data archive, on Java 17 and, when present, Java 25. The variants take turns, RUNS rounds
# (default 5), and the medians are printed as a Markdown table, with the load average before each round.
#
#   benchmarks/cold-start.sh [RUNS] [ARGS...]     ARGS default: demo --calls 10000
#
# Needs the build (mvn -B -q package -DskipTests); JAVA17_HOME, JAVA25_HOME choose the JDKs.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- demo --calls 10000
java17=${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
java25=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
jar=examples/target/callflux.jar
cmd=examples/target/callflux/bin/callflux
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

variants="jar17 none17 archiveonly17 cmd17"
[ -x "$java25/bin/java" ] && variants="$variants jar25 none25 archiveonly25 cmd25"

one() { # variant: runs it once, appends "wall user sys maxrss_kib" to $out/variant
    v=$1
    shift
    case $v in
        *17) jh=$java17 ;;
        *25) jh=$java25 ;;
    esac
    case $v in
        jar*) set -- env -u CALLFLUX_JAVA_OPTS "$jh/bin/java" -jar "$jar" "$@" ;;
        none*) set -- env JAVA_HOME="$jh" CALLFLUX_CDS_ARCHIVE=none "$cmd" "$@" ;;
        # the archive with the JVM's default JIT and collector, to tell the two apart
        archiveonly*) set -- env JAVA_HOME="$jh" CALLFLUX_JAVA_OPTS="-XX:TieredStopAtLevel=4 -XX:+UseG1GC" "$cmd" "$@" ;;
        cmd*) set -- env JAVA_HOME="$jh" "$cmd" "$@" ;;
    esac
    /usr/bin/time -f '%e %U %S %M' -o "$out/last" "$@" >/dev/null 2>"$out/stderr" || {
        cat "$out/stderr" >&2
        exit 1
    }
    cat "$out/last" >>"$out/$v"
}

for i in $(seq "$runs"); do
    printf 'round %s: load %s\n' "$i" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
    for v in $variants; do
        one "$v" "$@"
    done
done

printf '\n`callflux %s`, median of %s runs\n\n' "$*" "$runs"
printf '| variant | wall s (range) | CPU s, user+sys (range) | peak RSS MiB |\n|---|--:|--:|--:|\n'
for v in $variants; do
    awk -v v="$v" '{ w[NR] = $1; c[NR] = $2 + $3; r[NR] = $4 / 1024 }
        function median(a, n,   i, j, t) {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        END {
            mw = median(w, NR); mc = median(c, NR); mr = median(r, NR)
            printf "| %s | %.2f (%.2f-%.2f) | %.2f (%.2f-%.2f) | %.0f |\n", v, mw, w[1], w[NR], mc, c[1], c[NR], mr
        }' "$out/$v"
done
