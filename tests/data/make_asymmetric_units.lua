-- Makes the symmetric test CIFs of this folder from P1 cells that hold their full
-- space-group symmetry (../shared/structures/ORIGIN.md): keeps one atom of every orbit
-- (the first in file order), checks that every operation maps each kept atom onto an
-- atom of the P1 cell (same element, within TOL Å), and writes the asymmetric unit
-- with the operations. Run from the project root:
--   lua5.4 tests/data/make_asymmetric_units.lua ../shared/structures
-- Plain Lua on purpose: the files test vitrify's CIF reader, so they must not come
-- from it.
local TOL = 0.01

local shared = arg[1] or "../shared/structures"

-- I4_1cd (No. 110), standard setting: 8 operations and the I centring.
local I41cd = { "x,y,z", "-x,-y,z", "-y,x+1/2,z+1/4", "y,-x+1/2,z+1/4", "x,-y,z+1/2",
  "-x,y,z+1/2", "-y,-x+1/2,z+3/4", "y,x+1/2,z+3/4" }
for k = 1, 8 do
  local x, y, z = I41cd[k]:match("^([^,]+),([^,]+),([^,]+)$")
  I41cd[8 + k] = x .. "+1/2," .. y .. "+1/2," .. z .. "+1/2"
end

-- Pbca (No. 61), standard setting.
local Pbca = { "x,y,z", "-x+1/2,-y,z+1/2", "-x,y+1/2,-z+1/2", "x+1/2,-y+1/2,-z", "-x,-y,-z",
  "x+1/2,y,-z+1/2", "x,-y+1/2,z+1/2", "-x+1/2,y+1/2,z" }

local jobs = {
  { from = "ZIF-zni_citable-data_Widmer2019_DFT-fixedcell_P1.cif", to = "ZIF-zni_I41cd.cif",
    group = "I 41 c d", number = 110, ops = I41cd, tag = "_symmetry_equiv_pos_as_xyz",
    uncertainty = false },
  { from = "ZIF-4_citable-data_Lewis2009_DFT_P1.cif", to = "ZIF-4_Pbca.cif",
    group = "P b c a", number = 61, ops = Pbca, tag = "_space_group_symop_operation_xyz",
    uncertainty = true, cell_angles = { 90, 90, 90 } },
}

-- The cell and the atom-site loop of a simple P1 CIF.
local function read_p1(path)
  local cell, atoms, tags, in_sites = {}, {}, nil, false
  for line in io.lines(path) do
    local key, value = line:match("^%s*(_cell_%S+)%s+(%S+)")
    if key then cell[key] = tonumber(value) end
    if line:match("^%s*loop_") then
      tags, in_sites = {}, false
    elseif tags and line:match("^%s*_atom_site_") then
      tags[#tags + 1] = line:match("^%s*(%S+)")
      in_sites = true
    elseif in_sites and line:match("%S") and not line:match("^%s*_") then
      local row, k = {}, 0
      for w in line:gmatch("%S+") do k = k + 1; row[tags[k]] = w end
      if k == #tags then
        atoms[#atoms + 1] = { label = row._atom_site_label, symbol = row._atom_site_type_symbol,
          s = { tonumber(row._atom_site_fract_x), tonumber(row._atom_site_fract_y),
                tonumber(row._atom_site_fract_z) } }
      end
    elseif line:match("^%s*_") then
      tags, in_sites = nil, false
    end
  end
  return cell, atoms
end

-- Rotation and translation of an operation "x+1/2,-y,z".
local function parse_op(text)
  local rot, trans, row = {}, {}, 0
  for part in text:gmatch("[^,]+") do
    row = row + 1
    rot[row], trans[row] = { 0, 0, 0 }, 0
    for sign, term in part:gmatch("([+-]?)([^+-]+)") do
      local s = sign == "-" and -1 or 1
      local axis = ({ x = 1, y = 2, z = 3 })[term]
      if axis then
        rot[row][axis] = s
      else
        local a, b = term:match("^(%d+)/(%d+)$")
        trans[row] = trans[row] + s * tonumber(a) / tonumber(b)
      end
    end
  end
  return function(p)
    local out = {}
    for r = 1, 3 do
      out[r] = rot[r][1] * p[1] + rot[r][2] * p[2] + rot[r][3] * p[3] + trans[r]
    end
    return out
  end
end

local function distance(cell, a, b)
  local d = {}
  for k = 1, 3 do
    local x = b[k] - a[k]
    d[k] = x - math.floor(x + 0.5)
  end
  -- all the cells used here are orthogonal (or within 0.002 degrees of it)
  local lx, ly, lz = cell._cell_length_a, cell._cell_length_b, cell._cell_length_c
  return math.sqrt((d[1] * lx) ^ 2 + (d[2] * ly) ^ 2 + (d[3] * lz) ^ 2)
end

local function find(cell, atoms, symbol, p)
  for i, a in ipairs(atoms) do
    if a.symbol == symbol and distance(cell, a.s, p) < TOL then return i end
  end
end

local function asymmetric_unit(cell, atoms, ops)
  local covered, kept = {}, {}
  for i, a in ipairs(atoms) do
    if not covered[i] then
      kept[#kept + 1] = a
      for _, op in ipairs(ops) do
        local j = find(cell, atoms, a.symbol, op(a.s))
        if not j then error(a.label .. ": an operation maps it onto no atom") end
        covered[j] = true
      end
    end
  end
  for i = 1, #atoms do assert(covered[i]) end
  return kept
end

local function coordinate(x, with_uncertainty)
  local v = x - math.floor(x)
  return with_uncertainty and string.format("%.6f(3)", v) or string.format("%.6f", v)
end

local function write(job, cell, kept)
  local f = assert(io.open("tests/data/" .. job.to, "w"))
  f:write("# Test data for vitrify's CIF reader: the asymmetric unit of\n",
    "# ../shared/structures/", job.from, "\n",
    "# (CC BY 4.0, fxcoudert/citable-data; see that folder's ORIGIN.md) in ", job.group, ",\n",
    "# made by tests/data/make_asymmetric_units.lua. Expanding it must give the P1 cell back.\n")
  f:write("data_", job.to:gsub("%.cif$", ""), "\n")
  local angles = job.cell_angles or { cell._cell_angle_alpha, cell._cell_angle_beta,
    cell._cell_angle_gamma }
  f:write(string.format("_cell_length_a %s\n_cell_length_b %s\n_cell_length_c %s\n",
    cell._cell_length_a, cell._cell_length_b, cell._cell_length_c))
  f:write(string.format("_cell_angle_alpha %s\n_cell_angle_beta %s\n_cell_angle_gamma %s\n",
    angles[1], angles[2], angles[3]))
  f:write(string.format("_symmetry_space_group_name_H-M '%s'\n_symmetry_Int_Tables_number %d\n",
    job.group, job.number))
  f:write("loop_\n", job.tag, "\n")
  for _, op in ipairs(job.ops) do f:write("  '", op, "'\n") end
  f:write("loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n",
    "_atom_site_fract_y\n_atom_site_fract_z\n_atom_site_occupancy\n")
  for _, a in ipairs(kept) do
    f:write(string.format("%-6s %-3s %s %s %s 1.0\n", a.label, a.symbol,
      coordinate(a.s[1], job.uncertainty), coordinate(a.s[2], job.uncertainty),
      coordinate(a.s[3], job.uncertainty)))
  end
  f:close()
end

for _, job in ipairs(jobs) do
  local cell, atoms = read_p1(shared .. "/" .. job.from)
  local ops = {}
  for k, text in ipairs(job.ops) do ops[k] = parse_op(text) end
  local kept = asymmetric_unit(cell, atoms, ops)
  write(job, cell, kept)
  print(string.format("%s: %d atoms -> %d in the asymmetric unit (%d operations)", job.to,
    #atoms, #kept, #ops))
end
