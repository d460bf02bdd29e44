-- bench/cells.lua — the cells the benchmarks run on, named the way bench scripts take
-- them in data=...:
--   FILE             a LAMMPS data file with its types named (Masses comments)
--   build:zni:2x2x4  a ZIF-zni supercell (structures/ZIF-zni.cif; zni:1x1x1 is 1600
--                    particles, 2x2x4 25,600) built by vitrify.build and relaxed, kept
--                    as out/bench/ZIF-zni_2x2x4_relaxed.data for later runs
--                    (build:4:... takes ZIF-4.cif the same way)
-- Built cells start strained (bond energy ~0.09 eV per bond from the crystal
-- geometry): NPT would start by turning that into heat, so they are relaxed first in
-- their fixed box, briefly and to a loose tolerance, as a starting point only.
-- Run as a script, it prints the data file of cell=SPEC (building it when needed):
--   vitrify bench/cells.lua cell=build:zni:2x2x4
local vitrify = require "vitrify"

local cells = {}

cells.dir = vitrify.home .. "/out/bench"
local cifs = { zni = "ZIF-zni", ["4"] = "ZIF-4" }
local relax = { ftol = 0.1, max_iterations = 100 } -- eV/Å; a start, not a minimum

local function say(fmt, ...) io.stderr:write(string.format(fmt, ...), "\n") end

local function exists(path)
  local f = io.open(path, "r")
  if f then f:close() end
  return f ~= nil
end

-- The data file of a cell spec (see above), building and relaxing it on first use.
function cells.path(spec)
  local kind, a, b, c = spec:match("^build:(%w+):(%d+)x(%d+)x(%d+)$")
  if not kind then return spec end
  local name = cifs[kind] or error("bench/cells: unknown structure '" .. kind .. "' in " .. spec)
  local path = string.format("%s/%s_%sx%sx%s_relaxed.data", cells.dir, name, a, b, c)
  if exists(path) then return path end
  os.execute("mkdir -p '" .. cells.dir .. "'")
  local t0 = vitrify.wtime()
  local sys = vitrify.build{ cif = "structures/" .. name .. ".cif", forcefield = "nbzifff",
                             supercell = { tonumber(a), tonumber(b), tonumber(c) } }
  say("bench/cells: built %s (%d particles); relaxing (fixed box, ftol %g eV/Å, at most %d iterations)",
    spec, sys:natoms(), relax.ftol, relax.max_iterations)
  local m = vitrify.minimize(sys, vitrify.nbzifff{ kspace = "pppm", accuracy = 1e-5, coulomb_cutoff = 10 },
    { ftol = relax.ftol, max_iterations = relax.max_iterations })
  say("bench/cells: PE %.2f -> %.2f eV, largest force %.3f eV/Å after %d iterations (%.0f s); written to %s",
    m.energy_initial, m.energy, m.fmax, m.iterations, vitrify.wtime() - t0, path)
  vitrify.write(sys, path)
  return path
end

if params and params.cell then print(cells.path(params.cell)) end

return cells
