#!/usr/bin/env bash
# Runs examples/slurm/{sweep,merge}.sbatch on a real single-node Slurm cluster started here, and checks
# that the merged results equal a single-machine run of the same sweep.
# Needs root and Debian's slurm-wlm and munge (.ci/run installs them); where they are missing it
# prints why it skipped and exits 0.
# Usage: tests/slurm/run.sh PATH_TO_TRUCE_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
truce=$(realpath "${1:?usage: run.sh PATH_TO_TRUCE_BINARY}")

skip() { echo "slurm test skipped: $*"; exit 0; }
[[ $(id -u) == 0 ]] || skip "starting Slurm daemons needs root"
for tool in sbatch squeue sinfo slurmctld slurmd munged; do
  command -v "$tool" >/dev/null || skip "$tool not found (install Debian's slurm-wlm and munge)"
done

work=$(mktemp -d)
node=$(hostname -s)
conf=/etc/slurm/slurm.conf
backup=""
[[ -f $conf ]] && backup="$work/slurm.conf.orig" && cp "$conf" "$backup"
pids=()
cleanup() {
  for pidfile in /run/slurmd.pid /run/slurmctld.pid; do
    [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  if [[ -n $backup ]]; then cp "$backup" "$conf"; else rm -f "$conf"; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p /etc/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm /run/munge
cat > "$conf" <<CONF
ClusterName=trucetest
SlurmctldHost=$node(127.0.0.1)
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmUser=slurm
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=2000 State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
chown -R slurm:slurm /var/lib/slurm /var/log/slurm
chown munge:munge /run/munge
[[ -f /etc/munge/munge.key ]] || skip "no munge key (/etc/munge/munge.key)"
if ! pgrep -x munged >/dev/null; then
  runuser -u munge -- /usr/sbin/munged || skip "munged did not start"
fi
/usr/sbin/slurmctld || skip "slurmctld did not start"
/usr/sbin/slurmd || skip "slurmd did not start"
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
  sleep 1
done
sinfo -h -o %T | grep -qE '^(idle|mixed|allocated)' || { sinfo; echo "the Slurm node never became idle"; exit 1; }

# A small sweep: 4 points, 3 shards.
cd "$work"
cat > sweep.toml <<TOML
name = "slurm_test"
horizon_days = 120
[sweep]
base = "$here/configs/baseline.toml"
design = "grid"
replications = 60
chunk_replications = 20
[[sweep.parameters]]
key = "guarantors.air_cover.level"
values = ["none", "on_call"]
[[sweep.parameters]]
key = "guarantors.reassurance.troops_rear"
values = [0.0, 15.0]
TOML
mkdir -p logs
export TRUCE="$truce"
job=$(sbatch --parsable --export=ALL --array=0-2 "$here/examples/slurm/sweep.sbatch" sweep.toml out)
merge=$(sbatch --parsable --export=ALL --dependency=afterok:"$job" "$here/examples/slurm/merge.sbatch" out)
echo "submitted array job $job and merge job $merge"
for _ in $(seq 300); do
  [[ -z $(squeue -h -j "$job,$merge" 2>/dev/null) ]] && break
  sleep 1
done
[[ -z $(squeue -h -j "$job,$merge" 2>/dev/null) ]] || { squeue; echo "jobs did not finish in 5 minutes"; exit 1; }
for log in logs/*; do echo "== $log"; cat "$log"; done
[[ -f out/merged/runs.parquet ]] || { echo "the merge job wrote no out/merged/runs.parquet"; exit 1; }
ls out/shards

"$truce" sweep sweep.toml --out whole --quiet >/dev/null
cmp out/merged/runs.parquet whole/runs.parquet || { echo "merged runs.parquet differs from a single-machine run"; exit 1; }
cmp out/merged/points.parquet whole/points.parquet || { echo "merged points.parquet differs from a single-machine run"; exit 1; }
echo "slurm test passed: 3 array tasks and a dependent merge equal a single-machine run"
