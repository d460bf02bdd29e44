#!/usr/bin/env bash
# vitrify beside LAMMPS on the same NPT runs (issue 6), in one go: the shipped
# 1600-particle ZIF-zni cell and the 25,600-particle 2x2x4 supercell (built and relaxed
# once by bench/cells.lua), vitrify on 1 and 2 threads (bench/npt.lua) and LAMMPS on 1
# and 2 MPI ranks (kspace pppm 1e-5; input from vitrify.lammps.npt_input), each for a
# fixed number of steps after the same untimed warm-up; vitrify in double and in mixed
# precision (pair arithmetic in single precision, every sum in double). Prints ns/day, µs per
# particle-step (wall time), the ratio to LAMMPS's best on that cell, and peak memory
# (largest resident set of one process, from /usr/bin/time -v: an MPI run has one
# such process per rank).
#   bench/compare.sh [steps_1600=500] [steps_25600=100]
# Environment: VITRIFY (the program, build/vitrify), KSPACE, ACCURACY and
# COULOMB_CUTOFF (vitrify's Coulomb: pppm 1e-5 with a 13 Å real-space cut; the
# force error this costs is printed by bench/accuracy.lua), PRECISIONS (vitrify's
# pair arithmetic, "double mixed"), WARMUP (steps, 20), LMP
# (lmp). Logs go to out/bench/compare/.
set -euo pipefail
cd "$(dirname "$0")/.."

small=${1:-500}
large=${2:-100}
vitrify=${VITRIFY:-build/vitrify}
lmp=${LMP:-lmp}
kspace=${KSPACE:-pppm}
accuracy=${ACCURACY:-1e-5}
coulomb_cutoff=${COULOMB_CUTOFF:-13}
warmup=${WARMUP:-20}
precisions=${PRECISIONS:-double mixed}
out=out/bench/compare
mkdir -p "$out"
rows=$out/rows.txt
: > "$rows"

# Peak resident set in MB, from a /usr/bin/time -v report.
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }
# "seconds steps atoms" from LAMMPS's "Loop time of X on P procs for N steps with M atoms".
loop_line() { awk '/^Loop time of/ { t = $4; n = $9; m = $12 } END { print t, n, m }' "$1"; }

# One cell: vitrify on 1 and 2 threads, LAMMPS on 1 and 2 ranks; a line per run in
# $rows: code|configuration|seconds steps atoms|peak MB.
run_cell() {
  local label=$1 data=$2 steps=$3 dir=$out/$1
  mkdir -p "$dir"
  for precision in $precisions; do
    for t in 1 2; do
      local run=vitrify_${precision}_$t
      echo "[$label] vitrify, $precision, $t thread(s), $steps steps" >&2
      OMP_NUM_THREADS=$t /usr/bin/time -v -o "$dir/$run.time" "$vitrify" bench/npt.lua \
        data="$data" steps="$steps" threads="$t" warmup="$warmup" kspace="$kspace" \
        accuracy="$accuracy" coulomb_cutoff="$coulomb_cutoff" precision="$precision" > "$dir/$run.log"
      echo "vitrify|$t thr, $precision, $kspace $accuracy ${coulomb_cutoff}A|$(loop_line "$dir/$run.log")|$(peak_mb "$dir/$run.time")" >> "$rows"
    done
  done
  "$vitrify" bench/lammps_npt.lua data="$data" steps="$steps" warmup="$warmup" \
    out="$dir/in.lammps"
  for np in 1 2; do
    echo "[$label] LAMMPS, $np MPI rank(s), $steps steps" >&2
    local mpi=()
    [ "$np" -gt 1 ] && mpi=(mpirun --allow-run-as-root --oversubscribe -np "$np")
    (cd "$dir" && OMP_NUM_THREADS=1 /usr/bin/time -v -o "lammps_$np.time" "${mpi[@]}" "$lmp" \
      -in in.lammps -log "lammps_$np.log" -screen none)
    echo "LAMMPS|$np rank(s), pppm 1e-5 13A|$(loop_line "$dir/lammps_$np.log")|$(peak_mb "$dir/lammps_$np.time")" >> "$rows"
  done
}

# Built once, before anything is timed (the relaxation takes minutes at 25,600).
large_data=$("$vitrify" bench/cells.lua cell=build:zni:2x2x4)
run_cell 1600 structures/ZIF-zni_nbzifff_1600_minimized.data "$small"
run_cell 25600 "$large_data" "$large"

# dt is 0.5 fs: ns/day = 86400 / (seconds per step) * 0.5e-6.
awk -F'|' '
  { split($3, r, " "); code[NR] = $1; conf[NR] = $2; t = r[1]; n = r[2]; atoms[NR] = r[3]
    nsday[NR] = 86400 / (t / n) * 0.5e-6; us[NR] = t / (n * r[3]) * 1e6; mem[NR] = $4
    if ($1 == "LAMMPS" && nsday[NR] > best[r[3]]) best[r[3]] = nsday[NR] }
  END {
    printf "%-8s %-34s %7s %9s %18s %14s %12s\n", "code", "configuration", "atoms", "ns/day",
      "us/particle-step", "x LAMMPS best", "peak RSS MB"
    for (k = 1; k <= NR; k++)
      printf "%-8s %-34s %7d %9.4f %18.3f %14.2f %12s\n", code[k], conf[k], atoms[k], nsday[k],
        us[k], nsday[k] / best[atoms[k]], mem[k]
  }' "$rows"
