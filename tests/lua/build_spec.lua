-- vitrify.build: CIF -> nb-ZIF-FF system. Against the force field's authors (their
-- CIF must give the counts and the bonded type tuples of their data file), the shipped
-- structures at 64 and 1024 Zn, supercells, symmetric CIFs, and one clear message for
-- each kind of bad input.
local vitrify = require "vitrify"
local build = require "vitrify.build"
local helpers = require "helpers"

local checks = require "zif_checks"

local kinds = checks.kinds

local function timed(f)
  local t0 = vitrify.wtime()
  local result = f()
  return result, vitrify.wtime() - t0
end

describe("vitrify.build", function()
  local authors_cif = helpers.shared_file("structures/ZIF-zni_P1_salrodgom.cif")
  local authors_data = helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600.data")

  it("builds the authors' ZIF-zni with the counts and bonded type tuples of their data file", function()
    local dir = helpers.scratch("build_zni")
    local sys, seconds = timed(function()
      return vitrify.build{ cif = authors_cif, forcefield = "nbzifff" }
    end)
    print(string.format("\nZIF-zni 1x1x1 (authors' CIF): %s, built in %.3f s", checks.count_line(sys), seconds))
    assert.are.equal(1600, sys:natoms())
    local written = vitrify.write(sys, dir .. "/zni.data")
    local mine, theirs = checks.read_data_file(written), checks.read_data_file(authors_data)
    assert.are.same({ "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" }, mine.names)
    for _, kind in ipairs(kinds) do
      assert.are.equal(#theirs.entries[kind], #mine.entries[kind], kind .. " count")
      local a, b = checks.multiset(mine.entries[kind]), checks.multiset(theirs.entries[kind])
      local same, which = checks.same_multiset(a, b)
      assert.is_true(same, kind .. " tuple " .. tostring(which) .. ": " .. tostring(a[which]) ..
        " built, " .. tostring(b[which]) .. " in the authors' file")
      print(kind .. " type tuples (built = authors'):\n" .. checks.summary(a))
    end
  end)

  it("writes Masses lines and bonded-type labels that carry the type names", function()
    local dir = helpers.scratch("build_labels")
    local sys = vitrify.build{ cif = "structures/ZIF-zni.cif" }
    local text = io.open(vitrify.write(sys, dir .. "/zni.data")):read("a")
    assert.is_truthy(text:find("\n%s*1%s+64%.3720551%s*# Zn\n"))
    assert.is_truthy(text:find("\n%s*8%s+1%.0079401%s*# Ne\n"))
    assert.is_truthy(text:find("Bond Coeffs.-\n%s*1%s+23%.4144001%s+0%.899999976%s*# Zn He\n"))
    assert.is_truthy(text:find("Improper Coeffs.-# C4 H4 N1 N1\n"))
    local back = vitrify.read(dir .. "/zni.data")
    assert.are.equal("He", back:type_name(7))
  end)

  it("builds the shipped ZIF-zni exactly as the authors' CIF (beta -90 there, 90 here)", function()
    local a = vitrify.build{ cif = authors_cif }
    local b = vitrify.build{ cif = "structures/ZIF-zni.cif" }
    assert.are.equal(a:natoms(), b:natoms())
    local worst = 0
    for i = 1, a:natoms() do
      local p, q = { a:position(i) }, { b:position(i) }
      for c = 1, 3 do worst = math.max(worst, math.abs(p[c] - q[c])) end
    end
    assert.is_true(worst < 1e-9, "positions differ by " .. worst)
  end)

  it("builds ZIF-4 2x2x1 (64 Zn) with every Zn keeping four N1 and every bond short", function()
    local sys, seconds = timed(function()
      return vitrify.build{ cif = "structures/ZIF-4.cif", forcefield = "nbzifff", supercell = { 2, 2, 1 } }
    end)
    print(string.format("\nZIF-4 2x2x1: %s, built in %.3f s", checks.count_line(sys), seconds))
    assert.are.equal(1600, sys:natoms())
    assert.are.equal(1920, sys:count("bond"))
    assert.are.equal(3840, sys:count("angle"))
    assert.are.equal(6400, sys:count("dihedral"))
    assert.are.equal(1920, sys:count("improper"))
    assert.are.equal(0, (checks.zn_missing_n(sys, 2.5)))
    -- neutral as far as the force field's charges are: Zn(Im)2 with its dummies sums to
    -- -4e-5 e (the authors' data file has the same total)
    local q = 0
    for i = 1, sys:natoms() do q = q + sys:charge(i) end
    assert.is_true(math.abs(q / 64 + 0.00004) < 1e-9, "total charge " .. q)
  end)

  it("builds the 1024-Zn production cells (25,600 particles) in a few seconds", function()
    for _, case in ipairs{ { "structures/ZIF-4.cif", { 4, 4, 4 } }, { "structures/ZIF-zni.cif", { 2, 2, 4 } } } do
      local sys, seconds = timed(function()
        return vitrify.build{ cif = case[1], supercell = case[2] }
      end)
      print(string.format("\n%s %dx%dx%d: %s, built in %.3f s", case[1], case[2][1], case[2][2],
        case[2][3], checks.count_line(sys), seconds))
      assert.are.equal(25600, sys:natoms())
      assert.are.equal(30720, sys:count("bond"))
      assert.are.equal(61440, sys:count("angle"))
      assert.are.equal(102400, sys:count("dihedral"))
      assert.are.equal(30720, sys:count("improper"))
    end
  end)

  it("expands symmetric CIFs back into the P1 cells they were reduced from", function()
    local cases = {
      { "tests/data/ZIF-zni_I41cd.cif", "structures/ZIF-zni_citable-data_Widmer2019_DFT-fixedcell_P1.cif" },
      { "tests/data/ZIF-4_Pbca.cif", "structures/ZIF-4_citable-data_Lewis2009_DFT_P1.cif" },
    }
    for _, case in ipairs(cases) do
      local sym, p1 = build.crystal(case[1]), build.crystal(helpers.shared_file(case[2]))
      assert.are.equal(34, checks.listed_sites(case[1]))
      assert.are.equal(#p1.atoms, #sym.atoms)
      -- both are built into the same nb-ZIF-FF topology
      local a = vitrify.build{ cif = case[1] }
      local b = vitrify.build{ cif = helpers.shared_file(case[2]) }
      for _, kind in ipairs(kinds) do assert.are.equal(b:count(kind), a:count(kind)) end
    end
  end)
end)

-- A copy of a CIF with its lines changed by edit(lines) (a list of lines).
local function edited_cif(name, from, edit)
  local lines = {}
  for line in io.lines(from) do lines[#lines + 1] = line end
  edit(lines)
  local path = helpers.scratch("build_bad") .. "/" .. name
  helpers.write(path, table.concat(lines, "\n") .. "\n")
  return path
end

local function line_of(lines, pattern)
  for k, line in ipairs(lines) do if line:match(pattern) then return k end end
  error("no line matches " .. pattern)
end

-- The message of a build that must fail.
local function build_error(opts)
  local ok, msg = pcall(vitrify.build, opts)
  assert.is_false(ok, "the build should have failed")
  print("\n" .. msg)
  return msg
end

local function expect(msg, ...)
  for _, piece in ipairs{ ... } do
    assert.is_truthy(msg:find(piece, 1, true), "expected '" .. piece .. "' in: " .. msg)
  end
end

describe("vitrify.build on bad input", function()
  local zif4 = helpers.source .. "/structures/ZIF-4.cif"

  it("names the carbon whose hydrogen is missing", function()
    local path = edited_cif("missing_h.cif", zif4, function(lines)
      table.remove(lines, line_of(lines, "^H1%s"))
    end)
    expect(build_error{ cif = path }, "build_spec.lua:", path .. ":44: atom C1 (C) at (",
      "ring carbon without its hydrogen", "missing H?")
  end)

  it("refuses partially occupied sites by default, and warns when asked", function()
    local row
    local path = edited_cif("partial.cif", helpers.source .. "/tests/data/ZIF-4_Pbca.cif", function(lines)
      row = line_of(lines, "^C3%s")
      lines[row] = lines[row]:gsub("1%.0$", "0.5")
    end)
    expect(build_error{ cif = path }, path .. ":" .. row .. ": site C3 has occupancy 0.5",
      "choose one ordered model in the CIF, or set partial_occupancy = \"warn\"")
    local sys = vitrify.build{ cif = path, partial_occupancy = "warn" }
    assert.are.equal(400, sys:natoms())
  end)

  it("names a solvent molecule's atom", function()
    local row
    local path = edited_cif("water.cif", zif4, function(lines)
      while lines[#lines] == "" do table.remove(lines) end
      row = #lines + 1
      lines[row] = "O1W      O      0.51       0.5        0.5        0"
      lines[row + 1] = "H1W      H      0.56       0.5        0.5        0"
      lines[row + 2] = "H2W      H      0.51       0.55       0.5        0"
    end)
    expect(build_error{ cif = path }, path .. ":" .. row .. ": atom O1W (O) at (7.851, 7.654, 9.213) Å",
      "not part of a zinc-imidazolate framework", "remove solvent and guest molecules")
  end)

  it("names the line of a broken loop row", function()
    local row, loop
    local path = edited_cif("broken_loop.cif", zif4, function(lines)
      loop, row = line_of(lines, "^loop_"), line_of(lines, "^H1%s")
      lines[row] = lines[row]:gsub("%s+0%s*$", "")
    end)
    expect(build_error{ cif = path },
      path .. ":" .. row .. ": row of the loop_ of line " .. loop .. " has 5 values, expected 6")
  end)

  it("names a Zn left with three N (a missing linker)", function()
    -- Remove one imidazolate: the first C with two N, the atoms within 2.3 Å of it
    -- (its N, H and the backbone C), and the H of those backbone C.
    local crystal = build.crystal(zif4)
    local l = { crystal.box.lx, crystal.box.ly, crystal.box.lz }
    local function dist(a, b)
      local d2 = 0
      for c = 1, 3 do
        local d = b.frac[c] - a.frac[c]
        d2 = d2 + ((d - math.floor(d + 0.5)) * l[c]) ^ 2
      end
      return math.sqrt(d2)
    end
    local function near(a, r, symbol)
      local out = {}
      for _, b in ipairs(crystal.atoms) do
        if b ~= a and b.symbol ~= "Zn" and (not symbol or b.symbol == symbol) and dist(a, b) < r then
          out[#out + 1] = b
        end
      end
      return out
    end
    local c4
    for _, a in ipairs(crystal.atoms) do
      if a.symbol == "C" and #near(a, 1.6, "N") == 2 then c4 = a break end
    end
    local ring = { [c4.line] = true }
    for _, b in ipairs(near(c4, 2.3)) do
      ring[b.line] = true
      if b.symbol == "C" then
        for _, h in ipairs(near(b, 1.2, "H")) do ring[h.line] = true end
      end
    end
    local path = edited_cif("vacancy.cif", zif4, function(lines)
      local drop = {}
      for line in pairs(ring) do drop[#drop + 1] = line end
      table.sort(drop, function(x, y) return x > y end)
      assert.are.equal(8, #drop)
      for _, line in ipairs(drop) do table.remove(lines, line) end
    end)
    expect(build_error{ cif = path }, "atom Zn", "3 N within 2.60 Å; a framework Zn has four")
  end)

  it("names an N bonded to no Zn", function()
    local path = edited_cif("no_zn.cif", zif4, function(lines)
      table.remove(lines, line_of(lines, "^Zn1%s"))
    end)
    expect(build_error{ cif = path }, "(N) at (", "coordinated by 0 Zn within 2.60 Å")
  end)

  it("says that dummy sites are the builder's business", function()
    local path = edited_cif("dummies.cif", zif4, function(lines)
      table.insert(lines, line_of(lines, "^Zn2%s") + 1, "He1 He 0.5 0.5 0.5 0")
    end)
    expect(build_error{ cif = path }, "atom He1 (He)", "dummy sites are added by the builder")
  end)

  it("points vitrify.read at vitrify.build for CIF files, and rejects unknown options", function()
    local ok, msg = pcall(vitrify.read, zif4)
    assert.is_false(ok)
    expect(msg, "a CIF becomes a system with a force field's types: use vitrify.build")
    ok, msg = pcall(vitrify.build, { cif = zif4, supercel = { 2, 2, 1 } })
    expect(msg, "unknown option 'supercel'")
    ok, msg = pcall(vitrify.build, { cif = zif4, supercell = { 2, 0, 1 } })
    expect(msg, "supercell' must hold whole numbers >= 1")
    ok, msg = pcall(vitrify.build, { cif = zif4, forcefield = "uff" })
    expect(msg, "no builder for force field 'uff'")
  end)
end)
