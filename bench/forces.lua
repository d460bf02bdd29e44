-- Force evaluations per second, vitrify beside LAMMPS on the same machine, the same
-- structure, cut-offs and Ewald accuracy. LAMMPS runs N steps with no fixes (atoms
-- stay put, every step is one full force evaluation); vitrify evaluates N times.
--   vitrify bench/forces.lua [data=FILE] [n=50] [accuracy=1e-8] [kspace=ewald]
local vitrify = require "vitrify"
local lammps = require "vitrify.lammps"

local data = params.data or vitrify.home .. "/structures/ZIF-zni_nbzifff_1600.data"
local n = math.floor(params.n or 50)
local accuracy = params.accuracy or 1e-8
local types = { "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" }

local function vitrify_rate(threads)
  vitrify.threads(threads)
  local sys = vitrify.read(data, { types = types })
  local ff = vitrify.nbzifff{ accuracy = accuracy }
  ff:energy(sys) -- set-up: neighbour lists, k-vectors
  local t0 = vitrify.wtime()
  for _ = 1, n do
    sys:touch()
    ff:energy(sys)
  end
  return n / (vitrify.wtime() - t0), sys, ff
end

local function lammps_rate(np, sys, ff)
  local dir = os.tmpname()
  os.remove(dir)
  os.execute("mkdir -p " .. dir)
  local input = lammps.input{ data = data, forcefield = ff, system = sys, accuracy = accuracy,
                              extra = "neigh_modify delay 0 every 1 check yes", run = n }
  local log = lammps.run(input, dir, { np = np, env = "OMP_NUM_THREADS=1" })
  os.execute("rm -rf " .. dir)
  local perf = lammps.performance(log)
  return perf.steps_per_second, perf.loop
end

local threads = vitrify.threads()
print(string.format("%s, %d evaluations, Ewald accuracy %g, cut-offs 13 Å", data, n, accuracy))
local rows = {}
local v1, sys, ff = vitrify_rate(1)
local v2 = threads >= 2 and vitrify_rate(2) or nil
local l1, loop1 = lammps_rate(1, sys, ff)
local l2, loop2 = lammps_rate(2, sys, ff)
vitrify.threads(threads)
rows[#rows + 1] = { "vitrify, 1 thread", v1 }
if v2 then rows[#rows + 1] = { "vitrify, 2 threads", v2 } end
rows[#rows + 1] = { "LAMMPS, 1 MPI rank", l1 }
rows[#rows + 1] = { "LAMMPS, 2 MPI ranks", l2 }
print(string.format("%-22s %18s", "code", "evaluations/s"))
for _, r in ipairs(rows) do print(string.format("%-22s %18.2f", r[1], r[2])) end
print("LAMMPS: " .. loop1)
print("LAMMPS: " .. loop2)
local best_lammps = math.max(l1, l2)
local best_vitrify = math.max(v1, v2 or 0)
print(string.format("ratio vitrify/LAMMPS (best of each): %.2f", best_vitrify / best_lammps))
