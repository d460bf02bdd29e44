-- Built systems minimise like the authors': ZIF-zni built from their CIF and their own
-- data file reach the same energy per Zn (within 0.5 %) under the same minimiser, and
-- ZIF-4 2x2x1 built from the experimental CIF minimises without any Zn losing a Zn–N
-- contact. Fixed cell, FIRE to a largest force component of 0.02 eV/Å, Ewald 1e-5:
-- converged enough to compare energies to a few 1e-4, in well under a minute each.
local vitrify = require "vitrify"
local helpers = require "helpers"
local checks = require "zif_checks"

local settings = { style = "fire", ftol = 0.02 }

local function minimised_energy_per_zn(label, sys)
  local ff = vitrify.nbzifff{ accuracy = 1e-5 }
  local t0 = vitrify.wtime()
  local r = vitrify.minimize(sys, ff, settings)
  local per_zn = r.energy / checks.zinc_count(sys)
  print(string.format("\n%s: %.4f -> %.4f eV (%.5f eV/Zn) in %d iterations, %.1f s, %s", label,
    r.energy_initial, r.energy, per_zn, r.iterations, vitrify.wtime() - t0, r.reason))
  assert.is_true(r.converged, label .. ": " .. tostring(r.reason))
  return per_zn
end

describe("minimising built systems", function()
  if not vitrify.minimize then
    pending("vitrify.minimize is not available in this build")
    return
  end

  it("ZIF-zni built from the authors' CIF reaches the energy per Zn of their data file", function()
    local built = vitrify.build{ cif = helpers.shared_file("structures/ZIF-zni_P1_salrodgom.cif") }
    local theirs = vitrify.read(helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600.data"))
    local a = minimised_energy_per_zn("ZIF-zni built", built)
    local b = minimised_energy_per_zn("ZIF-zni authors' data file", theirs)
    local rel = math.abs(a - b) / math.abs(b)
    print(string.format("relative difference %.2e", rel))
    assert.is_true(rel < 0.005, string.format("energies per Zn differ by %.2f %%", 100 * rel))
  end)

  it("ZIF-4 2x2x1 keeps four N1 within 2.5 Å of every Zn", function()
    local sys = vitrify.build{ cif = "structures/ZIF-4.cif", supercell = { 2, 2, 1 } }
    minimised_energy_per_zn("ZIF-4 2x2x1", sys)
    local lost, nzn = checks.zn_missing_n(sys, 2.5)
    assert.are.equal(64, nzn)
    assert.are.equal(0, lost, lost .. " Zn lost a Zn–N contact")
  end)
end)
