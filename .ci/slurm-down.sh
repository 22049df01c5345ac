#!/bin/bash
# Stop the one-node cluster started by slurm-up.sh (no pkill; pid files and the daemons' own stop commands).
set -u
wait_gone() { for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; return 1; }
CTLD=$(cat /run/slurm/slurmctld.pid 2>/dev/null || true)
SLD=$(cat /run/slurm/slurmd.pid 2>/dev/null || true)
scontrol shutdown 2>/dev/null || true            # asks slurmctld to stop itself and every slurmd
for p in $CTLD $SLD; do wait_gone "$p" || { echo "pid $p still alive, SIGTERM" >&2; kill "$p"; wait_gone "$p"; }; done
MP=$(cat /run/munge/munged.pid 2>/dev/null || true)
munged --stop 2>/dev/null || { [ -n "$MP" ] && kill "$MP"; }
[ -n "$MP" ] && wait_gone "$MP"
# proctrack/cgroup leaves empty cgroup directories behind; remove them
for c in memory freezer cpuset; do
  d=/sys/fs/cgroup/$c/slurm_$(hostname -s)
  [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
done
exit 0
