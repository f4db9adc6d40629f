# shellcheck shell=bash
# Private single-node Slurm cluster on localhost for CLI tests.
# Source this file, then:
#   slurm_start DIR   # build conf under DIR, start munged+slurmctld+slurmd, wait idle
#   slurm_stop        # stop everything slurm_start started (idempotent, trap-safe)
# Optional env: SLURM_TEST_MAX_ARRAY_SIZE=N  -> MaxArraySize=N (array indices 0..N-1).
# Needs root (SlurmUser=root, munged --force). No systemd, no slurmdbd, no cgroups.

SLURM_TEST_DIR=""
_SLURM_TEST_PIDS=""   # PIDs of slurmd, slurmctld, munged

# Print a TCP port on 127.0.0.1 that nothing listens on and that differs from $1.
_slurm_free_port() {
    local p i
    for ((i = 0; i < 100; i++)); do
        p=$((20000 + RANDOM % 40000))
        [ "$p" = "${1:-}" ] && continue
        # A successful connect means the port is taken.
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

_slurm_dump_logs() {
    local f
    for f in "$SLURM_TEST_DIR"/log/*; do
        [ -f "$f" ] || continue
        echo "===== $f =====" >&2
        tail -n 50 "$f" >&2
    done
}

slurm_start() {
    local d host cpus mem cport dport i pid
    [ $# -eq 1 ] || { echo "usage: slurm_start DIR" >&2; return 2; }
    mkdir -p "$1" && d=$(cd "$1" && pwd) || return 1
    SLURM_TEST_DIR=$d
    mkdir -p "$d"/etc "$d"/spool "$d"/state "$d"/log "$d"/run
    chmod 0755 "$d" "$d"/run   # munged refuses a group/world-writable socket dir

    # --- munge ---
    dd if=/dev/urandom of="$d/etc/munge.key" bs=1 count=1024 2>/dev/null
    chmod 0400 "$d/etc/munge.key"
    # --force: run as root and tolerate the permissions of /tmp etc.
    munged --foreground --force --socket="$d/run/munge.sock" \
        --key-file="$d/etc/munge.key" --pid-file="$d/run/munged.pid" \
        --seed-file="$d/state/munged.seed" --log-file="$d/log/munged.log" \
        </dev/null >>"$d/log/munged.stdout" 2>&1 &
    _SLURM_TEST_PIDS=$!
    for ((i = 0; i < 50; i++)); do [ -S "$d/run/munge.sock" ] && break; sleep 0.1; done

    # --- slurm.conf ---
    host=$(hostname -s)
    cpus=$(nproc)
    # RealMemory must not exceed what slurmd detects, else the node is drained;
    # half of MemTotal (in MB) is always accepted and memory is not scheduled anyway.
    mem=$(awk '/^MemTotal:/ {print int($2 / 2048)}' /proc/meminfo)
    cport=$(_slurm_free_port) || { echo "slurm_start: no free port" >&2; return 1; }
    dport=$(_slurm_free_port "$cport") || { echo "slurm_start: no free port" >&2; return 1; }
    cat >"$d/etc/slurm.conf" <<EOF
ClusterName=bsweeptest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$cport
SlurmdPort=$dport
SlurmUser=root
SlurmdUser=root
# Clients and daemons talk to our private munged, not /run/munge.
AuthType=auth/munge
AuthInfo=socket=$d/run/munge.sock
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/run/slurmctld.pid
SlurmdPidFile=$d/run/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
# Keep the system's /etc/slurm/plugstack.conf out of the picture.
PlugStackConfig=$d/etc/plugstack.conf
MailProg=/bin/true
MpiDefault=none
# No cgroups in the container: track job processes through /proc.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# Allocate cores, not whole nodes, so several 1-cpu tasks run at once.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# A node that came up after a restart/down goes back to service by itself.
ReturnToService=2
# Ended jobs stay visible to squeue for 10 minutes.
MinJobAge=600
# Fast kill on scancel/timeout: SIGKILL 2 s after SIGTERM, no grace minutes.
KillWait=2
OverTimeLimit=0
# Schedule a submitted/freed job at the next 1 s controller tick instead of
# waiting up to 3 s (the default batch_sched_delay).
SchedulerParameters=batch_sched_delay=0
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
# A partition whose node is another machine (never up): for the check that its nodes can see the results folder.
NodeName=faraway NodeAddr=127.0.0.9 CPUs=1 RealMemory=100 State=DOWN
PartitionName=far Nodes=faraway MaxTime=INFINITE State=UP
EOF
    : >"$d/etc/plugstack.conf"
    if [ -n "${SLURM_TEST_MAX_ARRAY_SIZE:-}" ]; then
        echo "MaxArraySize=$SLURM_TEST_MAX_ARRAY_SIZE" >>"$d/etc/slurm.conf"
    fi
    export SLURM_CONF="$d/etc/slurm.conf"

    # --- daemons (foreground mode, backgrounded here, so $! is the daemon) ---
    slurmctld -D </dev/null >>"$d/log/slurmctld.stdout" 2>&1 &
    _SLURM_TEST_PIDS="$! $_SLURM_TEST_PIDS"
    slurmd -D </dev/null >>"$d/log/slurmd.stdout" 2>&1 &
    _SLURM_TEST_PIDS="$! $_SLURM_TEST_PIDS"

    for ((i = 0; i < 120; i++)); do
        [ "$(sinfo -h -p debug -o %T 2>/dev/null)" = "idle" ] && return 0
        for pid in $_SLURM_TEST_PIDS; do       # a daemon died: fail now
            kill -0 "$pid" 2>/dev/null || break 2
        done
        sleep 0.5
    done
    echo "slurm_start: node not idle (sinfo: $(sinfo -h -p debug -o %T 2>&1))" >&2
    _slurm_dump_logs
    return 1
}

slurm_stop() {
    local pid i alive
    [ -n "$_SLURM_TEST_PIDS" ] || return 0
    # slurmd leaves running job steps alive on shutdown: cancel jobs first.
    if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ]; then
        scancel --quiet --user="$(id -un)" 2>/dev/null
        for ((i = 0; i < 20; i++)); do
            [ -n "$(squeue -h -t running,completing -o %i 2>/dev/null)" ] || break
            sleep 0.5
        done
    fi
    # Each daemon needs 1-2 s to shut down: signal all at once, then wait.
    # shellcheck disable=SC2086
    kill -TERM $_SLURM_TEST_PIDS 2>/dev/null
    for ((i = 0; i < 100; i++)); do
        alive=""
        for pid in $_SLURM_TEST_PIDS; do
            kill -0 "$pid" 2>/dev/null && alive="$alive $pid"
        done
        [ -n "$alive" ] || break
        sleep 0.1
    done
    # shellcheck disable=SC2086
    [ -z "$alive" ] || kill -KILL $alive 2>/dev/null
    for pid in $_SLURM_TEST_PIDS; do wait "$pid" 2>/dev/null; done
    # Anything still carrying our SLURM_CONF (stray slurmstepd or job processes).
    if [ -n "$SLURM_TEST_DIR" ]; then
        # shellcheck disable=SC2013
        for pid in $(grep -lsz "^SLURM_CONF=$SLURM_TEST_DIR/etc/slurm.conf\$" /proc/[0-9]*/environ \
                     | cut -d/ -f3); do
            [ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] || kill -KILL "$pid" 2>/dev/null
        done
    fi
    _SLURM_TEST_PIDS=""
    return 0
}
