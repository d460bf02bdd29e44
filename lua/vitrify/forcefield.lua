-- vitrify.forcefield — a force field described by a parameter table (see
-- forcefields/nbzifff.lua), applied to systems by atom-type name. For each system
-- it meets, it maps the table onto that system's types and binds a native
-- evaluator, kept as long as the system lives.
local core = require "vitrify.core"
local util = require "vitrify.util"

local ForceField = {}
ForceField.__index = ForceField

local forcefield = {}

local schema = {
  -- Reciprocal-space Coulomb: "ewald", "pppm" (LAMMPS's pppm with analytical
  -- differentiation) or "none".
  kspace = { type = "string", check = function(v)
    return v == "ewald" or v == "pppm" or v == "none", "must be \"ewald\", \"pppm\" or \"none\"" end },
  -- PPPM mesh {na, nb, nc} (points along the cell edges) and assignment order; chosen
  -- from the accuracy (as LAMMPS does) and 5 when absent.
  mesh = { type = "table", check = function(v)
    local ok = #v == 3
    for d = 1, 3 do ok = ok and math.type(v[d]) == "integer" and v[d] >= 2 end
    return ok, "must be three integers >= 2, e.g. {32, 32, 32}" end },
  order = { type = "number", check = function(v)
    return math.type(v) == "integer" and v >= 2 and v <= 7, "must be an integer from 2 to 7" end },
  accuracy = { type = "number", check = function(v)
    return v > 0 and v < 1, "must be a relative force error in (0, 1), e.g. 1e-8" end },
  g_ewald = { type = "number", check = function(v) return v > 0, "must be > 0 (1/Å)" end },
  skin = { type = "number", default = 2.0, check = function(v) return v >= 0, "must be >= 0 (Å)" end },
  -- The cluster kernel prunes its list (radius cut-off + skin) to cut-off + prune_buffer
  -- whenever pair distances may have changed by that much (never beyond the skin).
  prune_buffer = { type = "number", default = 0.5, check = function(v) return v >= 0, "must be >= 0 (Å)" end },
  -- LAMMPS approximates erfc in coul/long (absolute error ~1e-7); this makes vitrify do
  -- the same, for trajectories that must follow LAMMPS's step by step.
  lammps_erfc = { type = "boolean", default = false },
  -- The pair kernel: "cluster" (vectorised, the default) or "reference" (one pair at a
  -- time from per-atom lists; slower, kept to check the other against).
  kernel = { type = "string", default = "cluster", check = function(v)
    return v == "cluster" or v == "reference", "must be \"cluster\" or \"reference\"" end },
  -- Arithmetic of the cluster kernel's LJ and real-space Coulomb pairs: "double", or
  -- "mixed" (each pair in single precision, every sum in double, as GROMACS and
  -- LAMMPS's INTEL package do it; ~1e-7 relative per pair, about twice as fast).
  -- Positions, bonded terms, Morse, special pairs and k-space stay double either way.
  -- Meant for k-space accuracies of ~1e-6 and coarser (pair terms beyond g r = 4,
  -- below 5e-7 of the bare force, are dropped).
  precision = { type = "string", default = "double", check = function(v)
    return v == "double" or v == "mixed", "must be \"double\" or \"mixed\"" end },
  -- Real-space Coulomb cut-off (Å); the force field's own (13 Å) when absent. A shorter
  -- one moves work to the reciprocal-space solver at the same accuracy.
  coulomb_cutoff = { type = "number", check = function(v) return v > 0, "must be > 0 Å" end },
}

function forcefield.new(params, opts)
  local o = util.options(opts, schema, params.name or "forcefield")
  if o.precision == "mixed" and (o.lammps_erfc or o.kernel == "reference") then
    error((params.name or "forcefield") .. ": precision = \"mixed\" is the cluster kernel's with its own real-space Coulomb; "
      .. "lammps_erfc and kernel = \"reference\" need precision = \"double\"", 2)
  end
  local self = setmetatable({
    params = params,
    kspace = o.kspace or params.coulomb.kspace,
    accuracy = o.accuracy or params.coulomb.accuracy,
    g_ewald = o.g_ewald,
    skin = o.skin,
    prune_buffer = o.prune_buffer,
    lammps_erfc = o.lammps_erfc,
    kernel = o.kernel,
    precision = o.precision,
    coulomb_cutoff = o.coulomb_cutoff,
    mesh = o.mesh,
    order = o.order,
    bound = setmetatable({}, { __mode = "k" }), -- system -> evaluator
  }, ForceField)
  return self
end

-- Type indices of the system by name; every type must be one the table knows.
function ForceField:type_map(sys)
  local known, list = {}, {}
  for _, t in ipairs(self.params.types) do
    known[t.name] = true
    list[#list + 1] = t.name
  end
  local by_name = {}
  for t, name in ipairs(sys:type_names()) do
    if not name then
      util.raise(string.format(
        "atom type %d has no name; name it in the data file's Masses section (\"%d <mass> # %s\") or with sys:set_type_name(%d, \"%s\")",
        t, t, list[1], t, list[1]))
    end
    if not known[name] then
      util.raise(string.format("atom type %d '%s' is not a %s type (known: %s)", t, name,
        self.params.name, table.concat(list, " ")))
    end
    by_name[name] = by_name[name] or {}
    table.insert(by_name[name], t)
  end
  return by_name
end

-- Rows {ti, tj, values...} for every pair of system types the named pairs cover.
local function pair_rows(by_name, pairs)
  local rows = {}
  for _, p in ipairs(pairs) do
    for _, ti in ipairs(by_name[p[1]] or {}) do
      for _, tj in ipairs(by_name[p[2]] or {}) do
        rows[#rows + 1] = table.pack(ti, tj, table.unpack(p, 3))
      end
    end
  end
  return rows
end

-- The native evaluator's specification for one system.
function ForceField:spec(sys)
  local p = self.params
  local by_name = self:type_map(sys)
  return {
    lj = pair_rows(by_name, p.lj.pairs),
    morse = p.morse and pair_rows(by_name, p.morse.pairs) or {},
    cut_lj = p.lj.cutoff,
    cut_morse = p.morse and p.morse.cutoff or p.lj.cutoff,
    cut_coul = self.coulomb_cutoff or p.coulomb.cutoff,
    tail = p.lj.tail,
    special_lj = p.special.lj,
    special_coul = p.special.coul,
    kspace = self.kspace,
    accuracy = self.accuracy,
    g_ewald = self.g_ewald,
    skin = self.skin,
    prune_buffer = self.prune_buffer,
    lammps_erfc = self.lammps_erfc,
    kernel = self.kernel,
    precision = self.precision,
    mesh = self.mesh,
    order = self.order,
  }
end

function ForceField:evaluator(sys)
  local ev = self.bound[sys]
  if not ev then
    ev = core.evaluator(sys, self:spec(sys))
    self.bound[sys] = ev
  end
  return ev
end

-- Energies in eV by term (bond angle dihedral improper lj morse tail coul_real
-- coul_kspace) and total. `terms` optionally restricts the evaluation.
function ForceField:energy(sys, terms)
  return self:evaluator(sys):compute(terms)
end
ForceField.compute = ForceField.energy

-- Forces in eV/Å as an N×3 table (they are also left in the system: sys:force(i)).
function ForceField:forces(sys, terms)
  self:evaluator(sys):compute(terms)
  return sys:forces()
end

-- Pressure tensor in bar: xx yy zz xy xz yz and scalar (kinetic part from velocities).
function ForceField:pressure(sys, terms)
  return self:evaluator(sys):pressure(terms)
end

-- Virial tensor in eV, total and per term.
function ForceField:virial(sys, terms)
  return self:evaluator(sys):virial(terms)
end

function ForceField:describe()
  local p = self.params
  local out = {}
  local function add(fmt, ...) out[#out + 1] = string.format(fmt, ...) end
  add("%s — %s", p.name, p.reference)
  add("units: energy %s, length %s, charge %s, mass %s", p.units.energy, p.units.length,
    p.units.charge, p.units.mass)
  add("%-4s %-3s %12s %10s  %s", "type", "el", "mass", "charge", "role")
  for _, t in ipairs(p.types) do
    add("%-4s %-3s %12.7f %10.5f  %s", t.name, t.element, t.mass, t.charge, t.role or "")
  end
  add("LJ 12-6 cut %.1f Å, tail correction %s; %d pairs (ε eV, σ Å)", p.lj.cutoff,
    p.lj.tail and "on" or "off", #p.lj.pairs)
  for _, q in ipairs(p.lj.pairs) do add("  %-2s %-2s %14.10f %12.9f", q[1], q[2], q[3], q[4]) end
  if p.morse then
    add("Morse cut %.1f Å (D0 eV, α 1/Å, r0 Å)", p.morse.cutoff)
    for _, q in ipairs(p.morse.pairs) do add("  %-2s %-2s %14.10f %6.3f %6.3f", q[1], q[2], q[3], q[4], q[5]) end
  end
  add("Coulomb: %s, real-space cut %.1f Å, relative force accuracy %g", self.kspace,
    p.coulomb.cutoff, self.accuracy)
  add("special bonds: lj %s, coul %s", table.concat(p.special.lj, " "), table.concat(p.special.coul, " "))
  add("bonded styles: bond %s, angle %s, dihedral %s, improper %s", p.styles.bond,
    p.styles.angle, p.styles.dihedral, p.styles.improper)
  return table.concat(out, "\n")
end

function ForceField:__tostring()
  return string.format("vitrify.ForceField: %s (kspace %s, accuracy %g)", self.params.name,
    self.kspace, self.accuracy)
end

forcefield.ForceField = ForceField
return forcefield
