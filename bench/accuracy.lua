-- The accuracy side of the benchmark: what the fast settings cost in force error
-- and energy conservation, beside LAMMPS's own at its benchmark settings.
--  1. RMS Coulomb force error against a converged Ewald sum (accuracy 1e-10, 13 Å),
--     in LAMMPS's units of accuracy (eV/Å over 14.399645 eV/Å, the force between two
--     unit charges 1 Å apart), on the minimised ZIF-zni cell and on the same cell
--     after 0.5 ps at 900 K: vitrify at the benchmark's settings, LAMMPS at pppm 1e-5
--     with the styles bench/compare.sh times (Coulomb tables included).
--  2. NVE drift at dt 0.5 fs over `nve_steps` from the same thermalised 300 K start:
--     vitrify at the benchmark's settings, LAMMPS at pppm 1e-5 (2 ranks, the same
--     styles).
--   vitrify bench/accuracy.lua [kspace=pppm] [accuracy=1e-5] [coulomb_cutoff=13]
--                              [precision=double] [order=5] [nve_steps=4000]
local vitrify = require "vitrify"
local lammps = require "vitrify.lammps"

local names = { "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" }
local settings = { kspace = params.kspace or "pppm", accuracy = params.accuracy or 1e-5,
                   coulomb_cutoff = params.coulomb_cutoff or 13, precision = params.precision or "double",
                   order = params.order and (math.tointeger(params.order) or params.order) }
local nve_steps = math.tointeger(params.nve_steps or 4000)
local dir = vitrify.home .. "/out/bench/accuracy"
os.execute("mkdir -p '" .. dir .. "'")
local TWO_CHARGES = 14.399645
local COULOMB = { "coul_real", "coul_kspace" }

local function rms_error(f, ref)
  local s = 0
  for i = 1, #ref do for c = 1, 3 do s = s + (f[i][c] - ref[i][c]) ^ 2 end end
  return math.sqrt(s / #ref) / TWO_CHARGES
end

local function coulomb_forces(sys, opts)
  vitrify.nbzifff(opts):energy(sys, COULOMB)
  return sys:forces()
end

-- LAMMPS's Coulomb forces (coul/long 13 Å with tables + pppm 1e-5, its defaults otherwise).
local function lammps_coulomb_forces(data, sys, label)
  local d = dir .. "/" .. label
  os.execute("mkdir -p '" .. d .. "'")
  lammps.run(lammps.input{ data = data, forcefield = vitrify.nbzifff{}, system = sys,
    kspace = "pppm", accuracy = 1e-5, diff = "ik", coulomb_only = true, fast = true,
    dump = "forces.dump" }, d)
  return lammps.read_dump(d .. "/forces.dump")
end

local function configurations()
  local minimised = vitrify.home .. "/structures/ZIF-zni_nbzifff_1600_minimized.data"
  local hot = dir .. "/ZIF-zni_900K.data"
  local sys = vitrify.read(minimised, { types = names })
  local md = vitrify.dynamics{ system = sys, forcefield = vitrify.nbzifff(settings),
    ensemble = "nvt", T = 900, dt_fs = 0.25, checkpoint_every = 0, quiet = true }
  md:velocities{ T = 900, seed = 900 }
  md:hold{ ps = 0.5 }
  vitrify.write(sys, hot)
  return { { "minimised", minimised }, { "900 K", hot } }
end

print(string.format("Coulomb force error against Ewald 1e-10 (RMS, LAMMPS's accuracy units); vitrify: %s %g (order %s), real-space cut %g Å, %s precision",
  settings.kspace, settings.accuracy, settings.order or "default", settings.coulomb_cutoff, settings.precision))
print(string.format("%-10s %14s %14s", "cell", "vitrify", "LAMMPS pppm+tab"))
for _, c in ipairs(configurations()) do
  local sys = vitrify.read(c[2], { types = names })
  local ref = coulomb_forces(sys, { kspace = "ewald", accuracy = 1e-10 })
  local mine = coulomb_forces(sys, settings)
  local theirs = lammps_coulomb_forces(c[2], sys, c[1]:gsub(" ", ""))
  print(string.format("%-10s %14.3e %14.3e", c[1], rms_error(mine, ref), rms_error(theirs, ref)))
end

-- NVE drift: slope of 100-step block means of the conserved energy (eV/ps).
local function drift(values, dt_ps)
  local n, sx, sy, sxx, sxy = 0, 0, 0, 0, 0
  for k = 1, #values // 100 do
    local m = 0
    for j = (k - 1) * 100 + 1, k * 100 do m = m + values[j] end
    local x, y = (k - 0.5) * 100 * dt_ps, m / 100
    n, sx, sy, sxx, sxy = n + 1, sx + x, sy + y, sxx + x * x, sxy + x * y
  end
  return (n * sxy - sx * sy) / (n * sxx - sx * sx)
end

local start = dir .. "/thermalised_300K.data"
do
  local sys = vitrify.read(vitrify.home .. "/structures/ZIF-zni_nbzifff_1600_minimized.data",
    { types = names })
  local md = vitrify.dynamics{ system = sys, forcefield = vitrify.nbzifff(settings),
    ensemble = "nvt", T = 300, checkpoint_every = 0, quiet = true }
  md:velocities{ T = 600, seed = 2024 }
  md:hold{ steps = 1000 }
  vitrify.write(sys, start)
end

local sys = vitrify.read(start, { types = names })
local md = vitrify.dynamics{ system = sys, forcefield = vitrify.nbzifff(settings),
  ensemble = "nve", checkpoint_every = 0, quiet = true }
local econs = {}
md:every(1, function(_, th) econs[#econs + 1] = th.Etotal end)
md:hold{ steps = nve_steps }
local mine = drift(econs, 0.0005)

local d = dir .. "/nve_lammps"
os.execute("mkdir -p '" .. d .. "'")
local lines = lammps.setup_lines{ data = start, forcefield = vitrify.nbzifff{}, system = sys,
  kspace = "pppm", accuracy = 1e-5, diff = "ik", fast = true }
for _, l in ipairs{ "timestep 0.0005", "fix vf_nve all nve", "thermo_style custom step etotal",
  "thermo_modify format float %.15g", "thermo 1", "run " .. nve_steps } do lines[#lines + 1] = l end
local log = lammps.run(table.concat(lines, "\n") .. "\n", d, { np = 2 })
local etotal = {}
for _, row in ipairs(lammps.thermo(log)) do etotal[#etotal + 1] = row.toteng end
table.remove(etotal, 1) -- step 0: vitrify's first record is after step 1
local theirs = drift(etotal, 0.0005)
print(string.format("\nNVE drift over %d steps of 0.5 fs from the same 300 K start (eV/ps, 1600 particles):", nve_steps))
print(string.format("vitrify (%s %g, cut %g Å, %s) %+.4f   LAMMPS (pppm 1e-5, 13 Å, tables) %+.4f", settings.kspace,
  settings.accuracy, settings.coulomb_cutoff, settings.precision, mine, theirs))
