# shellcheck shell=bash
# Named, timed steps of a script: `phase NAME COMMAND...` runs the command and
# prints how long it took; a failing command ends the script (set -e), and the
# EXIT trap calls phase_abort to time the phase that failed. phases_summary
# prints every phase's time.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PHASE_RESULTS=()
PHASE_NAME=""
PHASE_STARTED=0

# Runs COMMAND as phase NAME.
phase() {
    PHASE_NAME=$1
    PHASE_STARTED=$SECONDS
    shift
    say "phase $PHASE_NAME"
    "$@"
    phase_record ok
}

# Records the running phase's time with result $1 and prints it.
phase_record() {
    local took=$((SECONDS - PHASE_STARTED))
    PHASE_RESULTS+=("$PHASE_NAME ${took}s $1")
    say "phase $PHASE_NAME: $1 in ${took}s"
    PHASE_NAME=""
}

# Records the running phase, if any, as failed with exit status $1.
phase_abort() {
    if [[ -n "$PHASE_NAME" ]]; then phase_record "failed (exit $1)"; fi
}

phases_summary() {
    local line
    say "timing:"
    for line in "${PHASE_RESULTS[@]}"; do printf '    %s\n' "$line"; done
    printf '    total %ss\n' "$SECONDS"
}
