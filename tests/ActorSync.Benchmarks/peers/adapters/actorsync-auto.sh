#!/bin/bash
# Adapter "actorsync-auto": the actorsync adapter with capture-mode = auto (statement-level capture for INSERT,
# row-level for UPDATE and DELETE), to compare the capture modes in the same sitting, e.g.
#   ADAPTERS="native actorsync actorsync-auto" WORKLOADS="w2" bash tests/ActorSync.Benchmarks/peers/run.sh
ACTORSYNC_CAPTURE_MODE=auto exec bash "$(dirname "$0")/actorsync.sh" "$@"
