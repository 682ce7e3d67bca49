#!/usr/bin/env bash
# Runs faultline and the hand-written reference loop (`raw_des`, a minimal discrete-event loop
# for exactly the bench-tiers models) on the same model, replications and threads, one after
# the other, and prints both programs' events per second and their ratio.
#
#   benches/side-by-side.sh [RAW_DES_DIR]      (default: ../shared/peers/raw_des)
#
# Environment: REPS (bench-tiers replications, default 20000), LARGE_REPS (bench-tiers-large,
# default 200), THREADS (space-separated, default "1 2"), ROUNDS (runs of each, the best kept,
# default 3). An event is an own failure or recovery, counted alike by both programs. faultline
# is timed as a whole command (reading the scenario, statistics and the JSON included); raw_des
# reports its own simulation time.
set -euo pipefail
cd "$(dirname "$0")/.."

raw_dir=${1:-../shared/peers/raw_des}
reps=${REPS:-20000}
large_reps=${LARGE_REPS:-200}
threads=${THREADS:-"1 2"}
rounds=${ROUNDS:-3}

if [ ! -f "$raw_dir/Cargo.toml" ]; then
    echo "no raw_des at $raw_dir (pass its directory as the first argument)" >&2
    exit 2
fi
cargo build --release --quiet
(cd "$raw_dir" && cargo build --release --quiet)
raw="$raw_dir/target/release/raw_des"
faultline=target/release/faultline

# Best events/s of `rounds` runs of faultline on $1 with $2 replications and $3 threads.
faultline_rate() {
    local best=0
    for _ in $(seq "$rounds"); do
        local start end events rate
        start=$(date +%s.%N)
        events=$("$faultline" run "$1" --replications "$2" --threads "$3" -q --format json |
            python3 -c 'import json,sys; print(sum(a["events"] for a in json.load(sys.stdin)["architectures"]))')
        end=$(date +%s.%N)
        rate=$(python3 -c "print($events / ($end - $start))")
        best=$(python3 -c "print(max($best, $rate))")
    done
    echo "$best"
}

# Best events/s of `rounds` runs of raw_des with arguments "$@".
raw_rate() {
    local best=0
    for _ in $(seq "$rounds"); do
        local rate
        rate=$("$raw" "$@" | sed -n 's/^RESULT //p' | python3 -c 'import json,sys; print(json.load(sys.stdin)["events_per_s"])')
        best=$(python3 -c "print(max($best, $rate))")
    done
    echo "$best"
}

printf '%-18s %8s %7s %16s %16s %7s\n' model reps threads "faultline ev/s" "raw_des ev/s" ratio
for t in $threads; do
    for model in bench-tiers bench-tiers-large; do
        if [ "$model" = bench-tiers ]; then n=$reps; extra=(); else n=$large_reps; extra=(--large); fi
        f=$(faultline_rate "scenarios/$model.ron" "$n" "$t")
        r=$(raw_rate "${extra[@]}" -R "$n" --threads "$t")
        python3 -c "print('%-18s %8d %7d %16.3e %16.3e %7.2f' % ('$model', $n, $t, $f, $r, $f / $r))"
    done
done
