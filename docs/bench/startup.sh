#!/usr/bin/env bash
# Start-up cost: wall time of one cold `kubegate` process linting one file,
# as a pre-commit hook runs it. Embedded schemas, no network, no cache.
#
#   bash docs/bench/startup.sh [RUNS] [REV...]
#
# Builds kubegate from the working tree (and from each git REV given, to
# compare), then times with hyperfine and jq (Debian packages):
#   version        process start and package initialisation only
#   deployment     lint a Deployment and a Service (testdata/examples/web.yaml)
#   one-deployment lint one plain Deployment
#   configmap      lint one ConfigMap (no Rego rule applies to it)
# and prints min and median in milliseconds for each. On a shared machine
# the medians move from run to run: compare builds within one run, and run
# it more than once.
set -euo pipefail

runs=${1:-30}
shift || true
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"

for tool in hyperfine jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "startup: $tool is needed: apt-get install $tool" >&2
		exit 2
	fi
done

builds=(worktree)
go build -o "$work/kubegate-worktree" ./cmd/kubegate
for rev in "$@"; do
	mkdir "$work/src-$rev"
	git archive "$rev" | tar -x -C "$work/src-$rev"
	(cd "$work/src-$rev" && go build -o "$work/kubegate-$rev" ./cmd/kubegate)
	builds+=("$rev")
done

cat >"$work/configmap.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  LOG_LEVEL: info
EOF

cat >"$work/deployment.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
EOF

# Findings exit 1 and are fine; hyperfine's -i accepts that, and the
# check below makes sure no build fails to run (exit 2).
for b in "${builds[@]}"; do
	for f in testdata/examples/web.yaml "$work/deployment.yaml" "$work/configmap.yaml"; do
		st=0
		"$work/kubegate-$b" lint --no-color "$f" >/dev/null 2>&1 || st=$?
		if [ "$st" -gt 1 ]; then
			echo "startup: kubegate ($b) lint $f exited $st" >&2
			exit 1
		fi
	done
done

cmds=()
for b in "${builds[@]}"; do
	cmds+=(-n "$b version" "$work/kubegate-$b version")
	cmds+=(-n "$b deployment" "$work/kubegate-$b lint --no-color testdata/examples/web.yaml")
	cmds+=(-n "$b one-deployment" "$work/kubegate-$b lint --no-color $work/deployment.yaml")
	cmds+=(-n "$b configmap" "$work/kubegate-$b lint --no-color $work/configmap.yaml")
done
echo "kubegate start-up: $runs runs each after 3 warm-ups; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N -i --warmup 3 --runs "$runs" --style none --export-json "$work/times.json" "${cmds[@]}" >/dev/null

printf '%-24s %8s %8s\n' build/case "min ms" "median ms"
jq -r '.results[] | [.command, .min * 1000, .median * 1000] | @tsv' "$work/times.json" |
	while IFS=$'\t' read -r name min median; do
		printf '%-24s %8.1f %8.1f\n' "$name" "$min" "$median"
	done
