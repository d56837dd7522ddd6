#!/bin/bash
# Adapter "actorsync-wal": the actorsync adapter with databases.src.capture-mode = wal (issue #20): a publication and a
# logical replication slot on the source (wal_level = logical, as native gets), no triggers. In one sitting with native:
#   ADAPTERS="native actorsync actorsync-wal" WORKLOADS="w1 w2" bash tests/ActorSync.Benchmarks/peers/run.sh
ACTORSYNC_DATABASE_CAPTURE=wal exec bash "$(dirname "$0")/actorsync.sh" "$@"
