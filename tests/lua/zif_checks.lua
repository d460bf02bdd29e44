-- Checks the structure-building specs share: data files read independently of
-- vitrify, multisets of bonded type tuples, Zn–N contacts, energy per Zn and density.
local checks = {}

checks.kinds = { "bond", "angle", "dihedral", "improper" }
local sections = { Bonds = "bond", Angles = "angle", Dihedrals = "dihedral", Impropers = "improper" }

-- Section headers are the only lines after the title that start with a letter.
local function section_of(line)
  if line:match("^%a") then return (line:gsub("%s*#.*", ""):gsub("%s+$", "")) end
end

-- A LAMMPS data file (atom_style full) read without vitrify: type names from the Masses
-- comments, and each bonded entry as its atoms' type names in file order.
function checks.read_data_file(path)
  local names, atom_type, entries, section = {}, {}, {}, nil
  for _, k in ipairs(checks.kinds) do entries[k] = {} end
  local lines = io.lines(path)
  lines() -- the title
  for line in lines do
    local head = section_of(line)
    if head then
      section = head
    elseif section == "Masses" then
      local t, name = line:match("^%s*(%d+)%s+%S+%s*#%s*(%S+)")
      if t then names[tonumber(t)] = name end
    elseif section == "Atoms" then
      local id, t = line:match("^%s*(%d+)%s+%d+%s+(%d+)")
      if id then atom_type[tonumber(id)] = tonumber(t) end
    elseif section and sections[section] then
      local fields = {}
      for w in line:gsub("#.*", ""):gmatch("%S+") do fields[#fields + 1] = tonumber(w) end
      if #fields >= 4 then
        local tuple = {}
        for m = 3, #fields do tuple[#tuple + 1] = names[atom_type[fields[m]]] end
        table.insert(entries[sections[section]], table.concat(tuple, " "))
      end
    end
  end
  return { names = names, entries = entries, natoms = #atom_type }
end

-- {string = count}
function checks.multiset(list)
  local m = {}
  for _, s in ipairs(list) do m[s] = (m[s] or 0) + 1 end
  return m
end

-- true, or false and a key whose counts differ
function checks.same_multiset(a, b)
  for k, v in pairs(a) do if b[k] ~= v then return false, k end end
  for k, v in pairs(b) do if a[k] ~= v then return false, k end end
  return true
end

function checks.summary(m)
  local keys = {}
  for k in pairs(m) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = string.format("    %-14s %5d", k, m[k]) end
  return table.concat(out, "\n")
end

function checks.count_line(sys)
  return string.format("%d atoms, %d bonds, %d angles, %d dihedrals, %d impropers", sys:natoms(),
    sys:count("bond"), sys:count("angle"), sys:count("dihedral"), sys:count("improper"))
end

-- Atom-site rows of a CIF written one per line as "label symbol x y z ...".
function checks.listed_sites(path)
  local n = 0
  for line in io.lines(path) do
    if line:match("^%S+%s+%a+%s+[%d.-]") then n = n + 1 end
  end
  return n
end

local function atoms_named(sys, name)
  local list = {}
  for i = 1, sys:natoms() do
    if sys:type_name(sys:type(i)) == name then list[#list + 1] = i end
  end
  return list
end

-- Zn atoms with fewer than four N1 within r Å, and the number of Zn (orthorhombic
-- cells: the nearest image per axis).
function checks.zn_missing_n(sys, r)
  local zn, n1 = atoms_named(sys, "Zn"), atoms_named(sys, "N1")
  local box = sys:box()
  assert(not box.triclinic, "zn_missing_n handles orthorhombic cells")
  local l = { box.lx, box.ly, box.lz }
  local bad = 0
  for _, i in ipairs(zn) do
    local xi, near = { sys:position(i) }, 0
    for _, j in ipairs(n1) do
      local xj, d2 = { sys:position(j) }, 0
      for c = 1, 3 do
        local d = xj[c] - xi[c]
        d = d - l[c] * math.floor(d / l[c] + 0.5)
        d2 = d2 + d * d
      end
      if d2 < r * r then near = near + 1 end
    end
    if near < 4 then bad = bad + 1 end
  end
  return bad, #zn
end

function checks.zinc_count(sys) return #atoms_named(sys, "Zn") end

-- g/cm³ from the system's masses (g/mol) and volume (Å³).
function checks.density(sys)
  return sys:total_mass() / sys:box().volume * 1.66053906660
end

return checks
