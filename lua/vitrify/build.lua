-- vitrify.build — force-field-ready systems from crystal structures (CIF).
--
--   local sys = vitrify.build{ cif = "structures/ZIF-4.cif", forcefield = "nbzifff",
--                              supercell = {2, 2, 1} }
--
-- The CIF's symmetry operations are applied (copies closer than 0.01 Å merged), the
-- cell is replicated, every atom is typed from distances alone, the force field's dummy
-- sites are added and the full bonded topology is generated with the force field's
-- types, charges, masses and coefficients (src/zif_perceive.h, src/nbzifff_build.h).
-- Anything that cannot be typed — a missing H, a Zn with three N, a solvent molecule —
-- is an error naming the atom's label, CIF line and position.
--
-- Options:
--   cif               path; when it does not exist as given, the copy shipped with
--                     vitrify (e.g. "structures/ZIF-4.cif") is used
--   forcefield        "nbzifff" (the only one with a builder so far)
--   supercell         {na, nb, nc}, default {1, 1, 1}
--   partial_occupancy "error" (default) or "warn": sites with occupancy < 1 are built
--                     as fully occupied, with a warning on stderr
--   n_dummy_placement "bisector" or "toward_zn" (default: the force field's; see
--                     forcefields/nbzifff.lua)
-- vitrify.read does not take CIF files: a CIF becomes a system only with a force
-- field's types. build.crystal(path) gives the expanded crystal as plain tables.
local core = require "vitrify.core"
local util = require "vitrify.util"

local build = {}

local function one_of(list)
  local allowed = {}
  for _, v in ipairs(list) do allowed[v] = true end
  return function(v) return allowed[v], "must be \"" .. table.concat(list, "\" or \"") .. "\"" end
end

local function supercell_ok(v)
  if #v ~= 3 then return false, "must be three counts {na, nb, nc}" end
  for _, n in ipairs(v) do
    if math.type(n) ~= "integer" or n < 1 then return false, "must hold whole numbers >= 1" end
  end
  return true
end

local schema = {
  cif = { type = "string" },
  forcefield = { type = "string", default = "nbzifff" },
  supercell = { type = "table", default = { 1, 1, 1 }, check = supercell_ok },
  partial_occupancy = { type = "string", default = "error", check = one_of { "error", "warn" } },
  n_dummy_placement = { type = "string", check = one_of { "bisector", "toward_zn" } },
}

-- The CIF as given, else vitrify's shipped copy.
local function locate(path)
  if util.file_exists(path) then return path end
  local shipped = util.shipped(path)
  if util.file_exists(shipped) then return shipped end
  util.raise(path .. ": cannot open: no such file")
end

-- Type index (1-based) of each name in the parameter table.
local function type_indices(params)
  local index = {}
  for t, ty in ipairs(params.types) do index[ty.name] = t end
  return index
end

local kinds = { "bond", "angle", "dihedral", "improper" }

-- The native builder's spec from an nb-ZIF-FF-like parameter table.
local function zif_spec(params, o)
  local b = params.build
  local index = type_indices(params)
  local types, sites, bonded = {}, {}, {}
  for t, ty in ipairs(params.types) do
    types[t] = { name = ty.name, mass = ty.mass, charge = ty.charge }
  end
  for site, name in pairs(b.sites) do
    sites[site] = index[name] or util.raise(string.format(
      "%s: build site '%s' names type '%s', which is not one of its types", params.name, site,
      name))
  end
  for _, kind in ipairs(kinds) do
    bonded[kind] = {}
    for r, row in ipairs(params.bonded[kind]) do
      bonded[kind][r] = { names = row[1], coeff = row[2] }
    end
  end
  return {
    supercell = o.supercell,
    partial_occupancy = o.partial_occupancy == "warn",
    types = types,
    sites = sites,
    zn_dummy_distance = b.zn_dummy_distance,
    n_dummy_distance = b.n_dummy_distance,
    n_dummy_placement = o.n_dummy_placement or b.n_dummy_placement,
    bonded = bonded,
  }
end

local function warn(list)
  for _, w in ipairs(list) do io.stderr:write("warning: ", w, "\n") end
end

-- The force-field-ready System of a crystal structure (see the options above).
function build.system(opts)
  local o = util.options(opts, schema, "vitrify.build")
  if not o.cif then util.raise("vitrify.build needs cif = \"path/to/structure.cif\"") end
  local ok, params = pcall(require, "vitrify.forcefields." .. o.forcefield)
  if not ok or type(params) ~= "table" or not params.build then
    util.raise(string.format("vitrify.build: no builder for force field '%s' (known: nbzifff)",
      o.forcefield))
  end
  local sys, warnings = core.build_nbzifff(locate(o.cif), zif_spec(params, o))
  warn(warnings)
  return sys
end

-- The crystal of a CIF after its symmetry operations: { box = {lx, ly, lz, xy, xz, yz},
-- atoms = { {label, symbol, frac = {x, y, z}, line}, ... }, warnings = {...} }.
-- opts.partial_occupancy as for build.system.
function build.crystal(path, opts)
  local o = util.options(opts, { partial_occupancy = schema.partial_occupancy }, "build.crystal")
  return core.read_cif(locate(path), o.partial_occupancy == "warn")
end

return build
