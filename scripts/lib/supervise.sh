#!/usr/bin/env bash
# Runs one command and records it for scripts/lib/services.sh: writes the
# command's pid to PIDFILE once it runs and its exit status to EXITFILE when it
# ends (128+N when killed by signal N). Started by services.sh under nohup and
# setsid, with stdout and stderr going to the process's log.
#
#   supervise.sh PIDFILE EXITFILE COMMAND [ARGS...]
set -uo pipefail

pid_file=$1
exit_file=$2
shift 2
rm -f "$exit_file"
"$@" &
child=$!
printf '%s\n' "$child" >"$pid_file.tmp" && mv -f "$pid_file.tmp" "$pid_file"
wait "$child"
printf '%s\n' "$?" >"$exit_file"
