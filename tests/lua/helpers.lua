-- Shared by the busted specs: where things are, temporary folders, comparisons.
local helpers = {}

helpers.source = os.getenv("VITRIFY_SOURCE_DIR") or "."
helpers.shared = os.getenv("VITRIFY_SHARED_DIR") or (helpers.source .. "/../shared")
helpers.tmp = os.getenv("VITRIFY_TEST_TMP") or "/tmp"
helpers.exe = os.getenv("VITRIFY_EXE") or (helpers.source .. "/build/vitrify")

local function exists(path)
  local f = io.open(path, "r")
  if f then f:close() return true end
  return false
end
helpers.exists = exists

-- A reference file from ../shared, or the project's shipped copy of it.
function helpers.shared_file(relpath)
  local p = helpers.shared .. "/" .. relpath
  if exists(p) then return p end
  return helpers.source .. "/structures/" .. relpath:match("[^/]+$")
end

-- A fresh scratch folder for one test.
function helpers.scratch(name)
  local dir = helpers.tmp .. "/" .. name
  os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
  return dir
end

-- Runs the vitrify program; returns exit code, stdout, stderr.
function helpers.run(args, dir)
  local out, err = os.tmpname(), os.tmpname()
  local cmd = string.format("%s%s %s >%s 2>%s", dir and ("cd '" .. dir .. "' && ") or "",
    helpers.exe, args, out, err)
  local ok, _, code = os.execute(cmd)
  local function slurp(p)
    local f = io.open(p, "r")
    local s = f:read("a")
    f:close()
    os.remove(p)
    return s
  end
  return ok and 0 or code, slurp(out), slurp(err)
end

function helpers.write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end


-- A small fcc argon crystal (4·cells³ atoms, LJ ε = 0.0104 eV, σ = 3.4 Å, cut 8.5 Å)
-- and its force field: a cheap system for protocol tests.
function helpers.argon(cells)
  local vitrify = require "vitrify"
  cells = cells or 3
  local a = 5.26
  local n = 4 * cells ^ 3
  local sys = vitrify.core.system(n, 1)
  sys:set_type_name(1, "Ar")
  sys:set_mass(1, 39.948)
  sys:set_box{ lo = { 0, 0, 0 }, hi = { cells * a, cells * a, cells * a } }
  local basis = { { 0, 0, 0 }, { 0.5, 0.5, 0 }, { 0.5, 0, 0.5 }, { 0, 0.5, 0.5 } }
  local i = 0
  for x = 0, cells - 1 do
    for y = 0, cells - 1 do
      for z = 0, cells - 1 do
        for _, b in ipairs(basis) do
          i = i + 1
          sys:set_position(i, (x + b[1]) * a, (y + b[2]) * a, (z + b[3]) * a)
        end
      end
    end
  end
  local params = {
    name = "LJ argon",
    reference = "test system",
    units = { energy = "eV", length = "Å", angle = "degree", charge = "e", mass = "g/mol" },
    types = { { name = "Ar", element = "Ar", mass = 39.948, charge = 0 } },
    styles = { bond = "harmonic", angle = "charmm", dihedral = "charmm", improper = "cvff" },
    lj = { cutoff = 8.5, tail = true, pairs = { { "Ar", "Ar", 0.0104, 3.4 } } },
    coulomb = { cutoff = 8.5, kspace = "none", accuracy = 1e-5 },
    special = { lj = { 0, 0, 0 }, coul = { 0, 0, 0 } },
  }
  return sys, vitrify.forcefield(params, { skin = 1.0 })
end

-- Least-squares slope (per unit x) of y and its standard error.
function helpers.slope(xs, ys)
  local n, mx, my = #xs, 0, 0
  for k = 1, n do mx, my = mx + xs[k], my + ys[k] end
  mx, my = mx / n, my / n
  local sxy, sxx = 0, 0
  for k = 1, n do
    sxy = sxy + (xs[k] - mx) * (ys[k] - my)
    sxx = sxx + (xs[k] - mx) ^ 2
  end
  local slope, res = sxy / sxx, 0
  for k = 1, n do res = res + (ys[k] - my - slope * (xs[k] - mx)) ^ 2 end
  return slope, math.sqrt(res / (n - 2) / sxx)
end

-- Means of consecutive blocks of `size` values.
function helpers.block_means(values, size)
  local means = {}
  for b = 0, #values // size - 1 do
    local s = 0
    for k = 1, size do s = s + values[b * size + k] end
    means[#means + 1] = s / size
  end
  return means
end

-- Reads a vitrify .dat table into columns by name.
function helpers.read_dat(path)
  local columns, names = {}, nil
  for line in io.lines(path) do
    if line:sub(1, 1) == "#" then
      local found = {}
      for name in line:sub(2):gmatch("([^%s()]+)%s*%b()") do found[#found + 1] = name end
      local bare = {}
      for w in line:sub(2):gsub("%b()", ""):gmatch("%S+") do bare[#bare + 1] = w end
      if #bare > 1 then names = bare end
    elseif line:match("%S") and names then
      local k = 0
      for v in line:gmatch("%S+") do
        k = k + 1
        columns[names[k]] = columns[names[k]] or {}
        table.insert(columns[names[k]], tonumber(v))
      end
    end
  end
  return columns
end

helpers.zif_types = { "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" }

-- The minimised ZIF-zni cell thermalised at 300 K (NVT from 600 K velocities, so that
-- equipartition lands near 300 K), written with its velocities to a data file in dir.
function helpers.thermalised_zif(dir, steps)
  local vitrify = require "vitrify"
  local path = dir .. "/thermalised.data"
  local sys = vitrify.read(helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600_minimized.data"),
    { types = helpers.zif_types })
  local ff = vitrify.nbzifff{ accuracy = 1e-6 }
  local md = vitrify.dynamics{ system = sys, forcefield = ff, ensemble = "nvt", T = 300,
    checkpoint_every = 0, quiet = true }
  md:velocities{ T = 600, seed = 2024 }
  md:hold{ steps = steps or 600 }
  vitrify.write(sys, path)
  return path
end

-- Runs `steps` of dynamics from a data file, recording thermo every `every` steps.
function helpers.record_run(data, opts, steps, every)
  local vitrify = require "vitrify"
  local sys = vitrify.read(data, { types = helpers.zif_types })
  local ff = vitrify.nbzifff{ accuracy = opts.accuracy or 1e-6, lammps_erfc = opts.lammps_erfc,
    precision = opts.precision }
  local md = vitrify.dynamics{ system = sys, forcefield = ff, ensemble = opts.ensemble, T = 300,
    P = 1, tdamp_ps = 0.05, pdamp_ps = 0.5, checkpoint_every = 0, quiet = true }
  local rows = {}
  md:every(every, function(_, th) rows[#rows + 1] = th end)
  md:hold{ steps = steps }
  return rows, sys, ff
end

-- Drift (eV/ps) of a quantity recorded every step at dt ps, from 100-step block means
-- (the stiff dummy-site bonds make it oscillate fast; the blocks average that out).
function helpers.drift(values, dt)
  local means = helpers.block_means(values, 100)
  local times = {}
  for k = 1, #means do times[k] = (k - 0.5) * 100 * dt end
  return helpers.slope(times, means)
end

return helpers
