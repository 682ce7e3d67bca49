#!/usr/bin/env bash
# Runs a faultline scenario as a Slurm job array: N shards, then a merge job that starts once
# every shard has succeeded (--dependency=afterok). The merged result is the same bytes as
# `faultline run` of the scenario on one machine with the same options.
#
#   contrib/slurm/faultline-array.sh SCENARIO N OUTDIR [run options...]
#
#   SCENARIO     the scenario file (RON), on a file system every node sees
#   N            the number of shards (array tasks 0..N-1)
#   OUTDIR       where the partials, the logs, result.json and report/ go (shared too)
#   run options  passed to every shard: --seed, --replications, --horizon, --threads, --arch
#
# Writes OUTDIR/part-I.json per shard (`faultline run --shard I/N --emit`), then
# OUTDIR/result.json (`faultline merge --format json`), OUTDIR/result.txt (the table) and,
# without --arch, OUTDIR/report/ (`faultline report --from`). Prints the two job ids.
# Environment: FAULTLINE (the binary, default `faultline` on PATH), SBATCH_ARGS (extra
# arguments for both sbatch calls, such as --partition=... --time=...).
set -euo pipefail

if [ $# -lt 3 ]; then
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
scenario=$1
shards=$2
out=$3
shift 3
case "$shards" in
    '' | *[!0-9]* | 0) echo "N must be a positive integer, got '$shards'" >&2; exit 2 ;;
esac
faultline=${FAULTLINE:-faultline}
command -v "$faultline" >/dev/null || { echo "faultline not found: set FAULTLINE" >&2; exit 2; }
faultline=$(command -v "$faultline")
mkdir -p "$out"
scenario=$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")
out=$(cd "$out" && pwd)
# Each option quoted once for the job's shell.
options=$(printf ' %q' "$@")
report=yes
for arg in "$@"; do [ "$arg" = "--arch" ] && report=no; done

# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_ARGS:-} --array="0-$((shards - 1))" --job-name=faultline-shard \
    --output="$out/shard-%a.log" \
    --wrap="$(printf '%q' "$faultline") run $(printf '%q' "$scenario") --shard \$SLURM_ARRAY_TASK_ID/$shards --emit $(printf '%q' "$out")/part-\$SLURM_ARRAY_TASK_ID.json -q$options")
array=${array%%;*}

merge_steps="cd $(printf '%q' "$out") && $(printf '%q' "$faultline") merge part-*.json --format json > result.json && $(printf '%q' "$faultline") merge part-*.json > result.txt"
if [ "$report" = yes ]; then
    merge_steps="$merge_steps && $(printf '%q' "$faultline") report --from part-*.json --out report"
fi
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    --job-name=faultline-merge --output="$out/merge.log" --wrap="$merge_steps")
merge=${merge%%;*}
echo "shards: job $array (array 0-$((shards - 1))), merge: job $merge, into $out"
