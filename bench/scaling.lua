-- How the cost per particle-step grows with size (issue 6 wants it flat within 20 %
-- from 1600 to 102,400 particles): NPT (bench/npt.lua) on ZIF-zni supercells 1x1x1,
-- 2x2x2, 2x2x4 and 4x4x4 (1600, 12,800, 25,600, 102,400 particles; built and relaxed
-- once, bench/cells.lua), on 1 and 2 threads. Each configuration runs in a process of
-- its own so that its peak resident memory (VmHWM) is its own.
-- `steps` are the timed steps of the largest cell; smaller ones run proportionally
-- more (the same particle-steps everywhere, so short runs of small cells are not
-- dominated by when the lists happen to be rebuilt).
--   vitrify bench/scaling.lua [steps=20] [warmup=5] [kspace=pppm] [accuracy=1e-5]
--                             [coulomb_cutoff=13] [precision=double] [order=5]
--                             [sizes=1x1x1,2x2x2,2x2x4,4x4x4] [threads=1,2]
local vitrify = require "vitrify"

local steps = math.tointeger(params.steps or 20)
local warmup = math.tointeger(params.warmup or 5)
local kspace, accuracy = params.kspace or "pppm", params.accuracy or 1e-5
local coulomb_cutoff = params.coulomb_cutoff or 13
local precision = params.precision or "double"
local order = math.tointeger(params.order or 5)
  or error("bench/scaling.lua: order must be a whole number (got " .. tostring(params.order) .. ")")
local function list(s) local t = {} for w in tostring(s):gmatch("[^,]+") do t[#t + 1] = w end return t end
local sizes = list(params.sizes or "1x1x1,2x2x2,2x2x4,4x4x4")
local thread_counts = list(params.threads or "1,2")
local program = arg and arg[-1] or "vitrify" -- the interpreter running this script

local function cell_atoms(size) -- 1600 per ZIF-zni unit cell
  local n = 1600
  for k in size:gmatch("%d+") do n = n * tonumber(k) end
  return n
end
local largest = 0
for _, size in ipairs(sizes) do largest = math.max(largest, cell_atoms(size)) end

local function run(cell, threads, steps)
  local cmd = string.format("OMP_NUM_THREADS=%s %s %s/bench/npt.lua data=%s steps=%d warmup=%d threads=%s kspace=%s accuracy=%s coulomb_cutoff=%s precision=%s order=%d",
    threads, program, vitrify.home, cell, steps, warmup, threads, kspace, accuracy, coulomb_cutoff,
    precision, order)
  local p = assert(io.popen(cmd))
  local text = p:read("a")
  p:close()
  local loop, atoms = text:match("Loop time of (%S+) on %d+ procs for %d+ steps with (%d+) atoms")
  if not loop then error("bench/scaling.lua: no timing from: " .. cmd .. "\n" .. text) end
  return tonumber(loop), tonumber(atoms), tonumber(text:match("Peak resident memory: (%S+) MB"))
end

print(string.format("NPT 300 K, dt 0.5 fs, %s %g order %d, real-space Coulomb cut %g Å, %s precision, %d timed steps (largest cell; smaller ones in proportion) after %d warm-up",
  kspace, accuracy, order, coulomb_cutoff, precision, steps, warmup))
print(string.format("%-8s %8s %8s %10s %18s %12s", "cell", "atoms", "threads", "ns/day",
  "us/particle-step", "peak RSS MB"))
for _, size in ipairs(sizes) do
  for _, threads in ipairs(thread_counts) do
    local cell_steps = steps * largest // cell_atoms(size)
    local loop, atoms, mb = run("build:zni:" .. size, threads, cell_steps)
    local per_step = loop / cell_steps
    print(string.format("%-8s %8d %8s %10.4f %18.3f %12.1f", size, atoms, threads,
      86400 / per_step * 0.5e-6, per_step / atoms * 1e6, mb or 0 / 0))
  end
end
