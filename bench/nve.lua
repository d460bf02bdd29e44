-- bench/nve.lua — energy conservation the way the benchmarks measure it: a 300 K start
-- of the shipped 1600-particle ZIF-zni cell, NVE at dt 0.5 fs from it in vitrify and in
-- LAMMPS (pppm 1e-5, 13 Å, the styles bench/compare.sh times, 2 ranks), and the drift:
-- the slope of 100-step block means of the conserved energy (eV/ps).
local vitrify = require "vitrify"
local lammps = require "vitrify.lammps"

local nve = {}

nve.names = { "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" }
nve.minimised = vitrify.home .. "/structures/ZIF-zni_nbzifff_1600_minimized.data"
local DT_PS = 0.0005

function nve.drift(values)
  local n, sx, sy, sxx, sxy = 0, 0, 0, 0, 0
  for k = 1, #values // 100 do
    local m = 0
    for j = (k - 1) * 100 + 1, k * 100 do m = m + values[j] end
    local x, y = (k - 0.5) * 100 * DT_PS, m / 100
    n, sx, sy, sxx, sxy = n + 1, sx + x, sy + y, sxx + x * x, sxy + x * y
  end
  return (n * sxy - sx * sy) / (n * sxx - sx * sx)
end

-- Writes to path the minimised cell after 1000 NVT steps at 300 K from velocities drawn
-- at 600 K with seed, under the force field of settings.
function nve.thermalise(settings, seed, path)
  local sys = vitrify.read(nve.minimised, { types = nve.names })
  local md = vitrify.dynamics{ system = sys, forcefield = vitrify.nbzifff(settings),
    ensemble = "nvt", T = 300, checkpoint_every = 0, quiet = true }
  md:velocities{ T = 600, seed = seed }
  md:hold{ steps = 1000 }
  vitrify.write(sys, path)
end

-- vitrify's drift over steps of NVE from the start file, under settings.
function nve.vitrify(start, settings, steps)
  local sys = vitrify.read(start, { types = nve.names })
  local md = vitrify.dynamics{ system = sys, forcefield = vitrify.nbzifff(settings),
    ensemble = "nve", checkpoint_every = 0, quiet = true }
  local econs = {}
  md:every(1, function(_, th) econs[#econs + 1] = th.Etotal end)
  md:hold{ steps = steps }
  return nve.drift(econs)
end

-- LAMMPS's drift over steps of NVE from the start file (run in folder dir).
function nve.lammps(start, steps, dir)
  os.execute("mkdir -p '" .. dir .. "'")
  local sys = vitrify.read(start, { types = nve.names })
  local lines = lammps.setup_lines{ data = start, forcefield = vitrify.nbzifff{}, system = sys,
    kspace = "pppm", accuracy = 1e-5, diff = "ik", fast = true }
  for _, l in ipairs{ "timestep " .. DT_PS, "fix vf_nve all nve", "thermo_style custom step etotal",
    "thermo_modify format float %.15g", "thermo 1", "run " .. steps } do lines[#lines + 1] = l end
  local log = lammps.run(table.concat(lines, "\n") .. "\n", dir, { np = 2 })
  local etotal = {}
  for _, row in ipairs(lammps.thermo(log)) do etotal[#etotal + 1] = row.toteng end
  table.remove(etotal, 1) -- step 0: vitrify's first record is after step 1
  return nve.drift(etotal)
end

return nve
