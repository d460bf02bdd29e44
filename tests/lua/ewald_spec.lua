-- Ewald summation: forces and energy converge as the requested accuracy tightens,
-- and the real/reciprocal split (the splitting parameter g) changes the result by
-- less than the requested accuracy. The accuracy is a relative RMS force error: the
-- force error over C = 14.399645 eV·Å, the force between two unit charges 1 Å apart
-- (as in LAMMPS's kspace accuracy). The energy error it implies is of order
-- accuracy · C · sqrt(N) / g (N atoms each off by the force error over a length 1/g,
-- adding at random), which is the energy bound used here.
local vitrify = require "vitrify"
local helpers = require "helpers"

local C = 14.399645
local names = { "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" }
local sys = vitrify.read(helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600_minimized.data"),
  { types = names })
local N = sys:natoms()

local function coulomb(opts)
  local ff = vitrify.nbzifff(opts)
  local e = ff:energy(sys, { "coul_real", "coul_kspace" })
  return e.coul_real + e.coul_kspace, sys:forces(), ff:evaluator(sys):info()
end

local function rms_difference(f, g)
  local s = 0
  for i = 1, #f do
    for c = 1, 3 do s = s + (f[i][c] - g[i][c]) ^ 2 end
  end
  return math.sqrt(s / #f)
end

describe("Ewald summation", function()
  it("converges as the accuracy tightens", function()
    local e_ref, f_ref = coulomb{ accuracy = 1e-12 }
    local previous = math.huge
    local lines = {}
    for _, acc in ipairs{ 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10 } do
      local e, f, info = coulomb{ accuracy = acc }
      local ferr = rms_difference(f, f_ref) / C
      local eerr = math.abs(e - e_ref)
      lines[#lines + 1] = string.format("accuracy %.0e: g %.4f, %5d k-vectors, force error %.2e, energy error %.2e eV",
        acc, info.g_ewald, info.kvectors, ferr, eerr)
      assert.is_true(ferr <= acc, lines[#lines])
      assert.is_true(ferr < previous, "force error must fall as the accuracy tightens")
      assert.is_true(eerr <= acc * C * math.sqrt(N) / info.g_ewald, lines[#lines])
      previous = ferr
    end
    print("\n" .. table.concat(lines, "\n"))
  end)

  it("does not depend on the real/reciprocal split", function()
    local lines = {}
    for _, acc in ipairs{ 1e-6, 1e-8, 1e-10 } do
      local e0, f0, info0 = coulomb{ accuracy = acc }
      for _, factor in ipairs{ 1.1, 1.25 } do
        local g = info0.g_ewald * factor
        local e, f = coulomb{ accuracy = acc, g_ewald = g }
        local ferr = rms_difference(f, f0) / C
        local eerr = math.abs(e - e0)
        lines[#lines + 1] = string.format("accuracy %.0e, g %.4f -> %.4f: forces change %.2e, energy %.2e eV",
          acc, info0.g_ewald, g, ferr, eerr)
        assert.is_true(ferr <= acc, lines[#lines])
        assert.is_true(eerr <= acc * C * math.sqrt(N) / info0.g_ewald, lines[#lines])
      end
    end
    print("\n" .. table.concat(lines, "\n"))
  end)

  it("chooses g and the k-vectors as LAMMPS does", function()
    -- LAMMPS 20210929, kspace_style ewald 1e-8 on this cell: G vector 0.28415724 for
    -- the unminimised file's box, kxmax kymax kzmax = 8 8 9, 1299 vectors.
    local s = vitrify.read(helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600.data"))
    local ff = vitrify.nbzifff{ accuracy = 1e-8 }
    ff:energy(s)
    local info = ff:evaluator(s):info()
    assert.is_true(math.abs(info.g_ewald - 0.28415724) < 1e-8)
    assert.are.same({ 8, 8, 9 }, info.kmax)
    assert.are.equal(1299, info.kvectors)
  end)
end)
