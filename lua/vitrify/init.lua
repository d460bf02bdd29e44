-- vitrify — molecular dynamics and analysis of network glass formers, from Lua.
--   local vitrify = require "vitrify"
--   local sys = vitrify.read("structures/ZIF-zni_nbzifff_1600.data")
--   local ff  = vitrify.nbzifff{ kspace = "ewald", accuracy = 1e-8 }
--   local e   = ff:energy(sys)          -- eV by term, and total
--   vitrify.write(sys, "out.xyz")
local core = require "vitrify.core"
local util = require "vitrify.util"
local forcefield = require "vitrify.forcefield"

local vitrify = {
  core = core,
  version = "0.1.0",
  home = util.home,
}

local data_extensions = { data = true, lmp = true, lammps = true }

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
  if not (data_extensions[ext] or looks_like_lammps_data(path)) then
    util.raise(string.format("%s: unknown structure format (expected a LAMMPS data file: .data, .lmp)", path))
  end
  local sys = core.read_data(path)
  if opts.types then name_types(sys, opts.types, path) end
  return sys
end

-- Writes a system by extension: .xyz/.extxyz (extended XYZ; opts.append adds a frame,
-- opts.comment is stored in the frame), .data/.lmp (LAMMPS data, atom_style full).
function vitrify.write(sys, path, opts)
  if type(path) ~= "string" then util.raise("vitrify.write expects a file name") end
  opts = opts or {}
  local ext = util.extension(path)
  if ext == "xyz" or ext == "extxyz" then
    core.write_xyz(sys, path, opts.append or false, opts.comment)
  elseif data_extensions[ext] then
    core.write_data(sys, path)
  else
    util.raise(string.format("%s: cannot tell the format from the extension (use .data or .xyz)", path))
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

-- Text describing a force field: types, parameters with units, reference.
function vitrify.describe(name)
  return forcefield.new(vitrify.parameters(name)):describe()
end

-- Threads used by the native kernels (OpenMP); with an argument, sets them.
vitrify.threads = core.threads
vitrify.wtime = core.wtime

return vitrify
