-- LAMMPS reads the data file of a built system and evaluates it to vitrify's energies,
-- forces and pressure (tolerances as in lammps_parity_spec.lua): ZIF-4 2x2x1 from the
-- experimental CIF, and ZIF-zni from the authors' CIF. LAMMPS (Debian's `lmp`) runs
-- inside the test.
local vitrify = require "vitrify"
local lammps = require "vitrify.lammps"
local helpers = require "helpers"

local terms = { "bond", "angle", "dihedral", "improper", "lj", "morse", "tail",
                "coul_real", "coul_kspace" }

-- Per term within 1e-6 relative (LAMMPS's erfc approximation makes coul_real differ by
-- ~3e-7 relative), forces within 1e-4 eV/Å, pressure within 0.5 bar.
local function check_parity(label, sys)
  local dir = helpers.scratch("build_lammps_" .. label)
  local data = vitrify.write(sys, dir .. "/built.data")
  local ff = vitrify.nbzifff{ kspace = "ewald", accuracy = 1e-8 }
  local energy, pressure = ff:energy(sys), ff:pressure(sys)
  local log = lammps.run(lammps.input{ data = data, forcefield = ff, system = sys,
                                       dump = "forces.dump" }, dir)
  local ref = lammps.thermo(log)[1]
  local ref_forces = lammps.read_dump(dir .. "/forces.dump")
  local report = { label }
  for _, term in ipairs(terms) do
    local mine, theirs = energy[term], ref[lammps.term_columns[term]]
    local diff = math.abs(mine - theirs)
    report[#report + 1] = string.format("  %-12s %20.10f %20.10f  %9.2e", term, mine, theirs, diff)
    assert.is_true(diff <= 1e-6 * math.abs(theirs) or diff <= 1e-6,
      string.format("%s: %s differs from LAMMPS by %g eV", label, term, diff))
  end
  local fmax = 0
  for i = 1, sys:natoms() do
    local f = { sys:force(i) }
    for c = 1, 3 do fmax = math.max(fmax, math.abs(f[c] - ref_forces[i][c])) end
  end
  assert.is_true(fmax <= 1e-4, string.format("%s: forces differ by %g eV/Å", label, fmax))
  local pmax = 0
  for mine, col in pairs(lammps.pressure_columns) do
    pmax = math.max(pmax, math.abs(pressure[mine] - ref[col]))
  end
  assert.is_true(pmax <= 0.5, string.format("%s: pressure differs by %g bar", label, pmax))
  report[#report + 1] = string.format("  total %.10f (LAMMPS %.10f); max |dF| %.2e eV/Å; max |dP| %.3g bar",
    energy.total, ref.poteng, fmax, pmax)
  print("\n" .. table.concat(report, "\n"))
end

describe("LAMMPS on built systems", function()
  it("evaluates ZIF-4 2x2x1 as vitrify does", function()
    check_parity("ZIF-4_2x2x1", vitrify.build{ cif = "structures/ZIF-4.cif", supercell = { 2, 2, 1 } })
  end)
  it("evaluates ZIF-zni from the authors' CIF as vitrify does", function()
    check_parity("ZIF-zni", vitrify.build{ cif = helpers.shared_file("structures/ZIF-zni_P1_salrodgom.cif") })
  end)
end)
