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
--                              [precision=double] [order=5] [nve_steps=4000] [seed=2024]
local vitrify = require "vitrify"
local lammps = require "vitrify.lammps"
package.path = vitrify.home .. "/bench/?.lua;" .. package.path
local nve = require "nve"

local names = nve.names
local settings = { kspace = params.kspace or "pppm", accuracy = params.accuracy or 1e-5,
                   coulomb_cutoff = params.coulomb_cutoff or 13, precision = params.precision or "double",
                   order = params.order and (math.tointeger(params.order) or params.order) }
local nve_steps = math.tointeger(params.nve_steps or 4000)
local seed = math.tointeger(params.seed or 2024) -- of the 300 K start's velocities
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
  local minimised = nve.minimised
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

local start = dir .. "/thermalised_300K.data"
nve.thermalise(settings, seed, start)
local mine = nve.vitrify(start, settings, nve_steps)
local theirs = nve.lammps(start, nve_steps, dir .. "/nve_lammps")
print(string.format("\nNVE drift over %d steps of 0.5 fs from the same 300 K start (eV/ps, 1600 particles):", nve_steps))
print(string.format("vitrify (%s %g, cut %g Å, %s) %+.4f   LAMMPS (pppm 1e-5, 13 Å, tables) %+.4f", settings.kspace,
  settings.accuracy, settings.coulomb_cutoff, settings.precision, mine, theirs))
