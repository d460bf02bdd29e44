#!/usr/bin/env bash
# vitrify beside LAMMPS on the same NPT runs (issue 6), in one go: the shipped
# 1600-particle ZIF-zni cell and the 25,600-particle 2x2x4 supercell (built and relaxed
# once by bench/cells.lua), vitrify on 1 and 2 threads (bench/npt.lua) and LAMMPS on 1
# and 2 MPI ranks (kspace pppm 1e-5; input from vitrify.lammps.npt_input with LAMMPS's
# fastest styles for the force field: lj/cut/coul/long + morse, Coulomb tables, OPT
# package; LAMMPS_STYLES=plain for the cross-check styles), each for a
# fixed number of steps after the same untimed warm-up; vitrify in double and in mixed
# precision (pair arithmetic in single precision, every sum in double). Prints ns/day, µs per
# particle-step (wall time), the ratio to LAMMPS's best on that cell, and peak memory
# (largest resident set of one process, from /usr/bin/time -v: an MPI run has one
# such process per rank).
#   bench/compare.sh [steps_1600=500] [steps_25600=100]
# With REPEAT=R (1) every run is made R times, in R interleaved rounds of the whole
# set, and the fastest of each is kept (this machine's timings wander by 10-30 %).
# Environment: VITRIFY (the program, build/vitrify), KSPACE, ACCURACY and
# COULOMB_CUTOFF (vitrify's Coulomb: pppm 7e-6 with LAMMPS's 13 Å real-space cut, whose
# force error is below LAMMPS's at pppm 1e-5 (bench/accuracy.lua accuracy=7e-6
# coulomb_cutoff=13 prints both) and whose NVE drift from 8 starts is below LAMMPS's
# on average (bench/drift.lua cuts=13 accuracy=7e-6); shorter cuts, where the kernel
# leaves Coulomb out of the i rows with no pair within reach, ran no faster and, at
# 11 Å, drifted more), ORDER
# (vitrify's PPPM order, 5), PRECISIONS (vitrify's
# pair arithmetic, "double mixed"), WARMUP (steps, 20), LMP
# (lmp). Logs go to out/bench/compare/.
set -euo pipefail
cd "$(dirname "$0")/.."

small=${1:-500}
large=${2:-100}
vitrify=${VITRIFY:-build/vitrify}
lmp=${LMP:-lmp}
lammps_styles=${LAMMPS_STYLES:-fast}
kspace=${KSPACE:-pppm}
accuracy=${ACCURACY:-7e-6}
coulomb_cutoff=${COULOMB_CUTOFF:-13}
warmup=${WARMUP:-20}
precisions=${PRECISIONS:-double mixed}
order=${ORDER:-5}
repeat=${REPEAT:-1}
out=out/bench/compare
mkdir -p "$out"
rows=$out/rows.txt
: > "$rows"

# Peak resident set in MB, from a /usr/bin/time -v report.
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }
# "seconds steps atoms" from LAMMPS's "Loop time of X on P procs for N steps with M atoms".
loop_line() { awk '/^Loop time of/ { t = $4; n = $9; m = $12 } END { print t, n, m }' "$1"; }

# One cell, one round: vitrify on 1 and 2 threads, LAMMPS on 1 and 2 ranks; a line per
# run in $rows: code|configuration|seconds steps atoms|peak MB.
run_cell() {
  local label=$1 data=$2 steps=$3 round=$4 dir=$out/$1
  for precision in $precisions; do
    for t in 1 2; do
      local run=vitrify_${precision}_${t}_r$round
      echo "[$label, round $round] vitrify, $precision, $t thread(s), $steps steps" >&2
      OMP_NUM_THREADS=$t /usr/bin/time -v -o "$dir/$run.time" "$vitrify" bench/npt.lua \
        data="$data" steps="$steps" threads="$t" warmup="$warmup" kspace="$kspace" \
        accuracy="$accuracy" coulomb_cutoff="$coulomb_cutoff" precision="$precision" order="$order" \
        > "$dir/$run.log"
      echo "vitrify|$t thr, $precision, $kspace $accuracy/$order ${coulomb_cutoff}A|$(loop_line "$dir/$run.log")|$(peak_mb "$dir/$run.time")" >> "$rows"
    done
  done
  for np in 1 2; do
    local run=lammps_${np}_r$round
    echo "[$label, round $round] LAMMPS, $np MPI rank(s), $steps steps" >&2
    local mpi=()
    [ "$np" -gt 1 ] && mpi=(mpirun --allow-run-as-root --oversubscribe -np "$np")
    (cd "$dir" && OMP_NUM_THREADS=1 /usr/bin/time -v -o "$run.time" "${mpi[@]}" "$lmp" \
      -in in.lammps -log "$run.log" -screen none)
    echo "LAMMPS|$np rank(s), pppm 1e-5 13A, $lammps_styles styles|$(loop_line "$dir/$run.log")|$(peak_mb "$dir/$run.time")" >> "$rows"
  done
}

# Built once, before anything is timed (the relaxation takes minutes at 25,600).
large_data=$("$vitrify" bench/cells.lua cell=build:zni:2x2x4)
small_data=structures/ZIF-zni_nbzifff_1600_minimized.data
for cell in "1600 $small_data $small" "25600 $large_data $large"; do
  set -- $cell
  mkdir -p "$out/$1"
  "$vitrify" bench/lammps_npt.lua data="$2" steps="$3" warmup="$warmup" \
    styles="$lammps_styles" out="$out/$1/in.lammps"
done
for round in $(seq "$repeat"); do
  run_cell 1600 "$small_data" "$small" "$round"
  run_cell 25600 "$large_data" "$large" "$round"
done

# dt is 0.5 fs: ns/day = 86400 / (seconds per step) * 0.5e-6.
# The fastest of the rounds per configuration (and the largest peak memory).
awk -F'|' '
  { split($3, r, " "); key = $1 "|" $2 "|" r[3]; t = r[1] / r[2]
    if (!(key in best_t)) { order[++n] = key; code[key] = $1; conf[key] = $2; atoms[key] = r[3] }
    if (!(key in best_t) || t < best_t[key]) best_t[key] = t
    if ($4 + 0 > mem[key] + 0) mem[key] = $4 }
  END {
    for (k = 1; k <= n; k++) {
      key = order[k]; nsday[key] = 86400 / best_t[key] * 0.5e-6
      if (code[key] == "LAMMPS" && nsday[key] > lbest[atoms[key]]) lbest[atoms[key]] = nsday[key]
    }
    printf "%-8s %-36s %7s %9s %18s %14s %12s\n", "code", "configuration", "atoms", "ns/day",
      "us/particle-step", "x LAMMPS best", "peak RSS MB"
    for (k = 1; k <= n; k++) {
      key = order[k]
      printf "%-8s %-36s %7d %9.4f %18.3f %14.2f %12s\n", code[key], conf[key], atoms[key],
        nsday[key], best_t[key] / atoms[key] * 1e6, nsday[key] / lbest[atoms[key]], mem[key]
    }
  }' "$rows"
