-- nb-ZIF-FF energies, forces and pressure equal LAMMPS's on the authors' ZIF-zni
-- cell (unminimised and minimised), Ewald accuracy 1e-8. LAMMPS (Debian's `lmp`)
-- runs inside the test on an input vitrify writes.
local vitrify = require "vitrify"
local lammps = require "vitrify.lammps"
local helpers = require "helpers"

local terms = { "bond", "angle", "dihedral", "improper", "lj", "morse", "tail",
                "coul_real", "coul_kspace" }

local names = { "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" }

local function compare(label, file)
  local dir = helpers.scratch("parity_" .. label)
  local sys = vitrify.read(file, { types = names })
  local ff = vitrify.nbzifff{ kspace = "ewald", accuracy = 1e-8 }
  local energy = ff:energy(sys)
  local pressure = ff:pressure(sys)

  local log = lammps.run(lammps.input{ data = file, forcefield = ff, system = sys,
                                       dump = "forces.dump" }, dir)
  local ref = lammps.thermo(log)[1]
  local ref_forces = lammps.read_dump(dir .. "/forces.dump")

  local report = {}
  for _, term in ipairs(terms) do
    local mine, theirs = energy[term], ref[lammps.term_columns[term]]
    local diff = math.abs(mine - theirs)
    report[#report + 1] = string.format("%-12s %20.10f %20.10f  %9.2e", term, mine, theirs, diff)
    assert.is_true(diff <= 1e-6 * math.abs(theirs) or diff <= 1e-6,
      string.format("%s: %s differs from LAMMPS by %g eV", label, term, diff))
  end
  local coul, ref_coul = energy.coul_real + energy.coul_kspace, ref.e_coul + ref.e_long
  assert.is_true(math.abs(coul - ref_coul) <= 1e-6 * math.abs(ref_coul))
  -- The total is a sum of terms of a few hundred eV that cancel; compare it on the
  -- scale of the Coulomb energy, the largest of them.
  local dtotal = math.abs(energy.total - ref.poteng)
  report[#report + 1] = string.format("%-12s %20.10f %20.10f  %9.2e", "total", energy.total,
    ref.poteng, dtotal)
  assert.is_true(dtotal <= 1e-6 * math.abs(ref_coul), "total energy")

  local fmax = 0
  for i = 1, sys:natoms() do
    local f = { sys:force(i) }
    for c = 1, 3 do fmax = math.max(fmax, math.abs(f[c] - ref_forces[i][c])) end
  end
  report[#report + 1] = string.format("max |F - F_lammps| = %.2e eV/Å", fmax)
  assert.is_true(fmax <= 1e-4, string.format("%s: force differs by %g eV/Å", label, fmax))

  local pmax = 0
  for mine, col in pairs(lammps.pressure_columns) do
    local d = math.abs(pressure[mine] - ref[col])
    pmax = math.max(pmax, d)
    assert.is_true(d <= 0.5, string.format("%s: pressure %s differs by %g bar", label, mine, d))
  end
  report[#report + 1] = string.format("max |P - P_lammps| = %.3g bar", pmax)
  print("\n" .. label .. "\n" .. table.concat(report, "\n"))
end

describe("LAMMPS parity of nb-ZIF-FF", function()
  it("on the unminimised ZIF-zni cell (1600 particles)", function()
    compare("unminimised", helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600.data"))
  end)
  it("on the minimised ZIF-zni cell", function()
    compare("minimised", helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600_minimized.data"))
  end)
  -- bench/compare.sh times LAMMPS with lammps.input's fast styles (LJ and Coulomb in
  -- one loop, Coulomb tables, OPT package): the same force field up to the tables'
  -- interpolation error, which must stay far below the 1e-5 force accuracy the
  -- benchmark asks of the Coulomb sum (RMS, in LAMMPS's units of accuracy).
  it("the benchmark's faster LAMMPS styles compute the same force field", function()
    local file = helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600_minimized.data")
    local dir = helpers.scratch("parity_fast_styles")
    local sys = vitrify.read(file, { types = names })
    local ff = vitrify.nbzifff{ kspace = "ewald", accuracy = 1e-8 }
    local energy = ff:energy(sys)
    local pressure = ff:pressure(sys)
    local log = lammps.run(lammps.input{ data = file, forcefield = ff, system = sys, fast = true,
                                         dump = "forces.dump" }, dir)
    local ref = lammps.thermo(log)[1]
    local ref_forces = lammps.read_dump(dir .. "/forces.dump")
    local nonbonded = energy.lj + energy.morse + energy.tail + energy.coul_real
    local dnonbonded = math.abs(nonbonded - (ref.e_vdwl + ref.e_coul))
    local dtotal = math.abs(energy.total - ref.poteng)
    local frms = 0
    for i = 1, sys:natoms() do
      local f = { sys:force(i) }
      for c = 1, 3 do frms = frms + (f[c] - ref_forces[i][c]) ^ 2 end
    end
    frms = math.sqrt(frms / sys:natoms()) / 14.399645
    local pmax = 0
    for mine, col in pairs(lammps.pressure_columns) do
      pmax = math.max(pmax, math.abs(pressure[mine] - ref[col]))
    end
    print(string.format("\nfast styles: |dE_pair| %.2e eV, |dE| %.2e eV, RMS |dF| %.2e (accuracy units), max |dP| %.3g bar",
      dnonbonded, dtotal, frms, pmax))
    assert.is_true(dnonbonded <= 1e-6 * math.abs(ref.e_coul), "pair energy differs by " .. dnonbonded)
    assert.is_true(dtotal <= 1e-6 * math.abs(ref.e_coul), "total energy differs by " .. dtotal)
    assert.is_true(frms <= 1e-7, "forces differ by " .. frms .. " (accuracy units)")
    assert.is_true(pmax <= 0.5, "pressure differs by " .. pmax .. " bar")
  end)
  it("the unminimised file reproduces the reference energies in ORIGIN.md", function()
    local sys = vitrify.read(helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600.data"))
    local e = vitrify.nbzifff{ accuracy = 1e-8 }:energy(sys)
    -- LAMMPS 20220106 with ewald 1e-8 (ORIGIN.md): E_vdwl = LJ + Morse + tail.
    assert.is_true(math.abs(e.bond - 170.014543896) < 1e-6)
    assert.is_true(math.abs(e.angle - 158.9424849) < 1e-6)
    assert.is_true(math.abs(e.dihedral - 7.7963263699) < 1e-6)
    assert.is_true(math.abs(e.improper - 0.815016994303) < 1e-6)
    assert.is_true(math.abs((e.lj + e.morse + e.tail) - 164.031539427) < 1e-5)
    assert.is_true(math.abs(e.coul_kspace - (-162.940644351)) < 1e-6)
    assert.is_true(math.abs(e.coul_real - (-328.287011245)) < 1e-6 * 328.3)
  end)
end)
