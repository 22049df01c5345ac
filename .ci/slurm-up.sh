#!/bin/bash
# Bring up a one-node SLURM cluster on loopback for the sweep tests (ouro sweep --executor slurm).
# Debian 12, root, no systemd. Measured and explained in ../shared/reference/cluster.md (this is its script,
# plus the removal of a stale cluster name a reused machine may hold).
# Usage: slurm-up.sh            (proctrack/linuxproc, task/none)
#        SLURM_CGROUP=1 slurm-up.sh   (proctrack/cgroup + task/cgroup: per-job memory/CPU limits; cgroup v1 hosts)
set -euo pipefail
ts() { date +%s.%N; }
T0=$(ts)
export DEBIAN_FRONTEND=noninteractive

# 1. packages (munge + controller + node daemon + client tools; ~3.5 MB, 8 packages)
apt-get update -qq
apt-get install -y -qq --no-install-recommends munge slurmctld slurmd slurm-client >/dev/null
T1=$(ts)

# 2. munge: key (postinst normally creates it), runtime dir (systemd would create it), daemon as user munge
if [ ! -s /etc/munge/munge.key ]; then
  install -d -o munge -g munge -m 0700 /etc/munge
  runuser -u munge -- /usr/sbin/mungekey --create --keyfile /etc/munge/munge.key
fi
chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
fi
for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
munge -n | unmunge | grep 'STATUS: *Success (0)' >/dev/null   # not grep -q: SIGPIPE + pipefail
T2=$(ts)

# 3. slurm.conf (node line derived from the hardware; memory 90% of total)
H=$(hostname -s)
HW=$(slurmd -C | awk 'NR==1' | sed -e 's/^NodeName=[^ ]* //' -e 's/ RealMemory=[0-9]*//')
MEM=$(( $(awk '/^MemTotal:/{print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
NCPU=$(nproc)
if [ "${SLURM_CGROUP:-0}" = 1 ]; then
  PROCTRACK=proctrack/cgroup; TASK=task/cgroup,task/affinity; SELP=CR_Core_Memory
  DEFMEM="DefMemPerCPU=$(( MEM / NCPU ))"
  cat > /etc/slurm/cgroup.conf <<CG
CgroupPlugin=cgroup/v1
CgroupMountpoint=/sys/fs/cgroup
ConstrainCores=yes
ConstrainRAMSpace=yes
ConstrainSwapSpace=no
CG
else
  PROCTRACK=proctrack/linuxproc; TASK=task/none; SELP=CR_Core; DEFMEM="#DefMemPerCPU unset"
  rm -f /etc/slurm/cgroup.conf
fi
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ci
SlurmctldHost=${H}(127.0.0.1)
SlurmUser=slurm
SlurmdUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=${PROCTRACK}
TaskPlugin=${TASK}
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=${SELP}
${DEFMEM}
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
Waittime=0
NodeName=${H} NodeAddr=127.0.0.1 ${HW} RealMemory=${MEM} State=UNKNOWN
PartitionName=debug Nodes=${H} Default=YES MaxTime=INFINITE State=UP
CONF
install -d -o slurm -g slurm -m 0755 /var/spool/slurmctld /var/log/slurm /run/slurm
install -d -m 0755 /var/spool/slurmd
T3=$(ts)

# 4. daemons (they fork to the background and write pid files under /run/slurm).
#    -c: discard saved job/node state (a DRAIN from an earlier bad config would otherwise persist)
# A machine reused after a bring-up with another ClusterName: slurmctld would exit with CLUSTER NAME MISMATCH.
rm -f /var/spool/slurmctld/clustername
slurmctld -c
slurmd
ok=0
for _ in $(seq 300); do
  st=$(sinfo -h -n "$H" -o %T 2>/dev/null || true)
  if [ "$st" = idle ]; then ok=1; break; fi
  sleep 0.1
done
T4=$(ts)
if [ $ok != 1 ] && [ -n "${st:-}" ]; then   # e.g. drained/down from an earlier run: try once to resume
  scontrol update nodename="$H" state=resume 2>/dev/null || true
  for _ in $(seq 50); do [ "$(sinfo -h -n "$H" -o %T 2>/dev/null)" = idle ] && { ok=1; break; }; sleep 0.1; done
  T4=$(ts)
fi
sinfo
if [ $ok != 1 ]; then
  echo "node not idle (state: ${st:-none})" >&2
  tail -20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2
  exit 1
fi
printf 'timing: packages %.1fs, munge %.2fs, config %.2fs, daemons->idle %.2fs, total %.1fs\n' \
  "$(echo "$T1-$T0" | bc)" "$(echo "$T2-$T1" | bc)" "$(echo "$T3-$T2" | bc)" "$(echo "$T4-$T3" | bc)" "$(echo "$T4-$T0" | bc)"
