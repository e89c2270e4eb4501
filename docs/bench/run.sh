#!/usr/bin/env bash
# Side by side: kubegate (schema only, and every default rule) against
# kubeconform -strict, over the same generated corpus and the same schemas
# (kubegate's embedded ones, exported for kubeconform), offline.
#
#   bash docs/bench/run.sh [OBJECTS] [RUNS]
#
# Prints objects/s (median of RUNS) and peak RSS for each. Needs GNU time
# (/usr/bin/time); installs kubeconform at a pinned version into .bin/.
set -euo pipefail

objects=${1:-10000}
runs=${2:-5}
kubeconform_version=v0.8.0

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"

if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time (GNU time) is needed for peak memory: apt-get install time" >&2
	exit 2
fi
mkdir -p .bin
if ! .bin/kubeconform -v 2>/dev/null | grep -q "${kubeconform_version#v}"; then
	GOFLAGS= GOBIN="$root/.bin" go install "github.com/yannh/kubeconform/cmd/kubeconform@$kubeconform_version"
fi
go build -o "$work/kubegate" ./cmd/kubegate
go run ./engine/internal/benchcorpus/gencorpus -n "$objects" "$work/corpus"
"$work/kubegate" schema export "$work/schemas" >/dev/null

# measure NAME CMD...: RUNS runs; prints the median wall time and the
# largest peak RSS. Exit status 1 (findings) is fine, anything above not.
measure() {
	local name=$1
	shift
	local times=() rss=0
	for _ in $(seq "$runs"); do
		local st=0
		/usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>&1 || st=$?
		if [ "$st" -gt 1 ]; then
			echo "bench: $name exited $st:" >&2
			tail -5 "$work/out" >&2
			exit 1
		fi
		read -r secs kb < <(tail -n 1 "$work/time")
		times+=("$secs")
		if [ "$kb" -gt "$rss" ]; then rss=$kb; fi
	done
	local median
	median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	printf '%-28s %8.2fs %10.0f objects/s %8.0f MiB peak RSS\n' "$name" "$median" \
		"$(awk -v n="$objects" -v t="$median" 'BEGIN {print (t > 0 ? n / t : 0)}')" \
		"$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
	echo "$name $median" >>"$work/medians"
	tail -n 2 "$work/out" | sed "s/^/    last output: /"
}

echo "corpus: $objects objects in $(ls "$work/corpus" | wc -l) files; $runs runs each; $(nproc) CPUs"
measure "kubeconform -strict" "$root/.bin/kubeconform" -strict -summary \
	-schema-location "$work/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$work/corpus"
measure "kubegate --only schema" "$work/kubegate" lint --only schema "$work/corpus"
measure "kubegate (all rules)" "$work/kubegate" lint "$work/corpus"

awk '
	/^kubeconform/ {kc = $NF}
	/^kubegate --only/ {s = $NF}
	/^kubegate \(all/ {a = $NF}
	END {
		printf "kubegate schema-only is %.2fx kubeconform; full lint is %.2fx\n", kc / s, kc / a
	}' "$work/medians"
