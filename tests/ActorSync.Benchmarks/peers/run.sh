#!/usr/bin/env bash
# Runs the peers' harness (shared/bench/peers, read in place, never copied) for ActorSync and for the peers in one
# sitting, then prints one comparison table from that run's figures.
#   bash tests/ActorSync.Benchmarks/peers/run.sh                # native, pglogical, bucardo, actorsync; W1 W2 W3
#   ADAPTERS="native actorsync" WORKLOADS="w2" bash tests/ActorSync.Benchmarks/peers/run.sh
# Needs root (the harness creates clusters as the postgres OS user), PostgreSQL 15 server binaries, and for the
# peers Debian's bucardo, postgresql-plperl-15, postgresql-15-pglogical and python3-psycopg2 (installed if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
harness=${PEERS_HARNESS:-$(cd "$repo/../shared/bench/peers" 2>/dev/null && pwd || true)}
[ -n "$harness" ] && [ -f "$harness/run.sh" ] || { echo "The peers' harness was not found at ../shared/bench/peers; set PEERS_HARNESS." >&2; exit 2; }
adapters=${ADAPTERS:-native pglogical bucardo actorsync}
workloads=${WORKLOADS:-w1 w2 w3}

need=(python3-psycopg2)
[[ " $adapters " == *" bucardo "* ]] && need+=(bucardo postgresql-plperl-15)
[[ " $adapters " == *" pglogical "* ]] && need+=(postgresql-15-pglogical)
missing=(); for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/actorsync-peers-XXXXXX)
echo "== publishing the actorsync CLI to $work/publish"
# ReadyToRun: the CLI starts in about half the time (no JIT of its own code), which W3 counts.
dotnet publish "$repo/src/ActorSync" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/publish" --nologo -v quiet >/dev/null
export PRODUCT_CMD=$work/publish/actorsync

# An overlay of the harness: its own lib and workloads (read in place), its adapters plus ours, results of this run.
overlay=$work/harness
mkdir -p "$overlay/adapters" "$overlay/results"
ln -s "$harness/lib" "$overlay/lib"
for a in "$harness"/adapters/*.sh; do ln -s "$a" "$overlay/adapters/"; done
for a in "$here"/adapters/*.sh; do ln -s "$a" "$overlay/adapters/"; done
export BENCH_DIR=$overlay

for a in $adapters; do
  echo "== $a: $workloads"
  bash "$harness/run.sh" "$a" $workloads
done

echo
python3 "$here/compare.py" "$overlay/results/results.tsv" | tee "$work/comparison.md"
echo
echo "Raw figures: $overlay/results/results.tsv (logs under $overlay/results/logs); table: $work/comparison.md"
