-- vitrify — molecular dynamics and analysis of network glass formers, from Lua.
--   local vitrify = require "vitrify"
--   local sys = vitrify.read("structures/ZIF-zni_nbzifff_1600.data")
--   local ff  = vitrify.nbzifff{ kspace = "ewald", accuracy = 1e-8 }
--   local e   = ff:energy(sys)          -- eV by term, and total
--   vitrify.write(sys, "out.xyz")
local core = require "vitrify.core"
local util = require "vitrify.util"
local forcefield = require "vitrify.forcefield"
local trajectory = require "vitrify.trajectory"

local vitrify = {
  core = core,
  version = "0.1.0",
  home = util.home,
  -- Output: .dat tables, gnuplot figures of them, trajectories.
  table = require "vitrify.table",
  plot = require "vitrify.plot",
  trajectory = trajectory,
}

local data_extensions = { data = true, lmp = true, lammps = true }
local dump_extensions = { dump = true, lammpstrj = true }

-- True when the file starts like a LAMMPS data file (a title, then "N atoms").
local function looks_like_lammps_data(path)
  local f = io.open(path, "r")
  if not f then return false end
  f:read("l")
  for _ = 1, 20 do
    local line = f:read("l")
    if not line then break end
    if line:match("^%s*%d+%s+atoms%s*$") then f:close() return true end
  end
  f:close()
  return false
end

-- Names the atom types of sys: names[t] for type t (files written by LAMMPS's
-- write_data carry no names).
local function name_types(sys, names, path)
  if #names ~= sys:ntypes() then
    util.raise(string.format("%s has %d atom types but %d names were given", path,
      sys:ntypes(), #names))
  end
  for t, name in ipairs(names) do sys:set_type_name(t, name) end
end

-- Reads a structure; LAMMPS data files by extension (.data .lmp .lammps) or content.
-- opts.types = {"Zn", "C4", ...} names the atom types in order. Errors name the file
-- and line of the problem.
function vitrify.read(path, opts)
  if type(path) ~= "string" then
    util.raise("vitrify.read expects a file name, got " .. type(path))
  end
  opts = util.options(opts, { types = { type = "table" } }, "vitrify.read")
  if not util.file_exists(path) then util.raise(path .. ": cannot open: no such file") end
  local ext = util.extension(path)
  if ext == "cif" then
    util.raise(path .. ": a CIF becomes a system with a force field's types: use vitrify.build{ cif = \"" .. path .. "\", forcefield = \"nbzifff\" }")
  end
  if not (data_extensions[ext] or looks_like_lammps_data(path)) then
    util.raise(string.format("%s: unknown structure format (expected a LAMMPS data file: .data, .lmp)", path))
  end
  local sys = core.read_data(path)
  if opts.types then name_types(sys, opts.types, path) end
  return sys
end

-- Writes a system by extension: .xyz/.extxyz (extended XYZ; opts.append adds a frame,
-- opts.comment is stored in the frame), .data/.lmp (LAMMPS data, atom_style full),
-- .dump/.lammpstrj (LAMMPS dump frame; opts step, time, append, fields = {"id", "type",
-- "x", "y", "z", ...} as LAMMPS names them).
function vitrify.write(sys, path, opts)
  if type(path) ~= "string" then util.raise("vitrify.write expects a file name") end
  opts = opts or {}
  local ext = util.extension(path)
  if ext == "xyz" or ext == "extxyz" then
    core.write_xyz(sys, path, opts.append or false, opts.comment)
  elseif data_extensions[ext] then
    core.write_data(sys, path)
  elseif dump_extensions[ext] then
    trajectory.write_dump(sys, path, opts)
  else
    util.raise(string.format("%s: cannot tell the format from the extension (use .data, .xyz or .dump)", path))
  end
  return path
end

local forcefields = { nbzifff = "vitrify.forcefields.nbzifff" }

-- The parameter table of a named force field.
function vitrify.parameters(name)
  local module = forcefields[name]
  if not module then util.raise("unknown force field '" .. tostring(name) .. "'") end
  return require(module)
end

-- nb-ZIF-FF. Options: kspace ("ewald"), accuracy (relative force error, 1e-8),
-- g_ewald (1/Å, chosen from the accuracy when absent), skin (Å, 2.0).
function vitrify.nbzifff(opts)
  return forcefield.new(vitrify.parameters("nbzifff"), opts)
end

-- A force field from a parameter table shaped like forcefields/nbzifff.lua (types,
-- lj, optional morse, coulomb, special, styles); the same options as nbzifff.
function vitrify.forcefield(params, opts)
  if type(params) ~= "table" then util.raise("vitrify.forcefield expects a parameter table") end
  return forcefield.new(params, opts)
end

-- Text describing a force field: types, parameters with units, reference.
function vitrify.describe(name)
  return forcefield.new(vitrify.parameters(name)):describe()
end

local function one_of(...)
  local allowed, list = {}, table.concat({ ... }, "\", \"")
  for _, v in ipairs({ ... }) do allowed[v] = true end
  return function(v) return allowed[v], "must be one of \"" .. list .. "\"" end
end
local function positive(v) return v > 0, "must be > 0" end
local function non_negative(v) return v >= 0, "must be >= 0" end

local minimize_schema = {
  style = { type = "string", check = one_of("fire", "cg") },
  box = { type = "string", check = one_of("fixed", "iso", "aniso") },
  pressure = { type = "number" },
  ftol = { type = "number", check = non_negative },
  etol = { type = "number", check = non_negative },
  ptol = { type = "number", check = positive },
  max_iterations = { type = "number", check = function(v)
    return math.type(v) == "integer" and v >= 0, "must be a whole number >= 0" end },
  dmax = { type = "number", check = positive },
}

-- Minimises the energy of sys under ff in place, quietly; atoms end wrapped into the
-- cell. Options: style "fire" (default) or "cg" (Polak–Ribière); box "fixed"
-- (default), "iso" or "aniso" (orthorhombic lengths relaxed toward pressure, bar, 1);
-- stops when the largest force component < ftol (eV/Å, 1e-3) and the relaxed pressure
-- components are within ptol (bar, 1) of the target, or the relative energy change of
-- an iteration < etol (1e-10), or after max_iterations (10000); no atom moves more than
-- dmax (Å, 0.1) per iteration. Returns {iterations, evaluations, converged, reason,
-- energy_initial, energy (eV, potential energy), fmax (eV/Å), pressure (bar, virial
-- only: xx yy zz xy xz yz scalar)}.
function vitrify.minimize(sys, ff, opts)
  opts = util.options(opts, minimize_schema, "vitrify.minimize")
  return core.minimize(ff:evaluator(sys), opts)
end

-- Molecular dynamics with schedules, output, checkpoints (see vitrify/dynamics.lua).
vitrify.dynamics = require "vitrify.dynamics"

-- A force-field-ready system from a crystal structure (CIF), with supercells:
-- vitrify.build{ cif = "structures/ZIF-4.cif", forcefield = "nbzifff", supercell = {2, 2, 1} }
-- (options in vitrify/build.lua).
vitrify.build = require("vitrify.build").system

-- Threads used by the native kernels (OpenMP); with an argument, sets them.
vitrify.threads = core.threads
vitrify.wtime = core.wtime

return vitrify
