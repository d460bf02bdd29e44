-- PPPM (analytical differentiation) on the authors' ZIF-zni cell: the same numbers as
-- LAMMPS's pppm with "kspace_modify diff ad" at the same g, mesh and order; forces
-- within the accuracy asked for of a converged Ewald sum (1e-10); forces and virial
-- equal to minus the derivatives of the energy.
local vitrify = require "vitrify"
local lammps = require "vitrify.lammps"
local helpers = require "helpers"

local names = { "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" }
local minimised = helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600_minimized.data")
local unminimised = helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600.data")

-- RMS force error in LAMMPS's units of accuracy: eV/Å over the force between two
-- unit charges 1 Å apart.
local TWO_CHARGES = 14.399645
local function rms_error(f, ref)
  local s = 0
  for i = 1, #ref do
    for c = 1, 3 do s = s + (f[i][c] - ref[i][c]) ^ 2 end
  end
  return math.sqrt(s / #ref) / TWO_CHARGES
end

describe("PPPM", function()
  -- orders 4 and 5 have stencil code of their own; 7 takes the general one
  for _, order in ipairs{ 4, 5, 7 } do
  it("equals LAMMPS's pppm (diff ad) at the same g, mesh and order " .. order, function()
    local dir = helpers.scratch("pppm_lammps_" .. order)
    local sys = vitrify.read(unminimised, { types = names })
    -- LAMMPS's erfc in the real-space part, so that the forces compared (real-space
    -- plus mesh Coulomb) differ only by the mesh part.
    local ff = vitrify.nbzifff{ kspace = "pppm", accuracy = 1e-5, lammps_erfc = true, order = order }
    local energy = ff:energy(sys, { "coul_real", "coul_kspace" })
    local forces = sys:forces()
    local info = ff:evaluator(sys):info()
    local log = lammps.run(lammps.input{ data = unminimised, forcefield = ff, system = sys,
      g_ewald = info.g_ewald, mesh = info.mesh, order = info.order, dump = "forces.dump",
      coulomb_only = true }, dir)
    local ref = lammps.thermo(log)[1]
    local ref_forces = lammps.read_dump(dir .. "/forces.dump")
    -- LAMMPS's energy leaves out the self-force term (see pppm.h).
    local mine = energy.coul_kspace - info.self_force_energy
    local de = math.abs(mine - ref.e_long)
    local fmax = 0
    for i = 1, sys:natoms() do
      for c = 1, 3 do fmax = math.max(fmax, math.abs(forces[i][c] - ref_forces[i][c])) end
    end
    print(string.format("\ng %.6f, mesh %s, order %d: E %.10f vs LAMMPS %.10f (diff %.2e eV); max |dF| %.2e eV/Å",
      info.g_ewald, table.concat(info.mesh, "x"), info.order, mine, ref.e_long, de, fmax))
    assert.is_true(de <= 1e-8 * math.abs(ref.e_long), "energy differs by " .. de)
    assert.is_true(fmax <= 1e-8, "forces differ by " .. fmax)
  end)
  end

  it("keeps forces within the accuracy asked for of a converged Ewald sum", function()
    for _, file in ipairs{ minimised, unminimised } do
      local sys = vitrify.read(file, { types = names })
      local terms = { "coul_real", "coul_kspace" }
      vitrify.nbzifff{ kspace = "ewald", accuracy = 1e-10 }:energy(sys, terms)
      local ref = sys:forces()
      for _, case in ipairs{ { 1e-5, 13 }, { 1e-5, 10 }, { 1e-6, 10 }, { 1e-5, 8 } } do
        local ff = vitrify.nbzifff{ kspace = "pppm", accuracy = case[1], coulomb_cutoff = case[2] }
        ff:energy(sys, terms)
        local err = rms_error(sys:forces(), ref)
        local info = ff:evaluator(sys):info()
        print(string.format("%s: accuracy %g, cut %g Å: mesh %s, g %.4f, RMS error %.2e (LAMMPS's estimate %.2e)",
          file:match("[^/]+$"), case[1], case[2], table.concat(info.mesh, "x"), info.g_ewald, err,
          info.estimated_error))
        assert.is_true(err <= case[1], "RMS force error " .. err)
        -- An estimate that is far off would choose meshes badly.
        assert.is_true(err >= case[1] / 20, "suspiciously small error " .. err)
      end
    end
  end)

  it("has forces and virial equal to minus the derivatives of its energy", function()
    local sys = vitrify.read(unminimised)
    local ff = vitrify.nbzifff{ kspace = "pppm", accuracy = 1e-5 }
    local terms = { "coul_kspace" }
    local function energy() return ff:energy(sys, terms).coul_kspace end
    energy()
    local forces = sys:forces()
    local _, virial = ff:virial(sys, terms)
    for _, i in ipairs{ 1, 77, 400, 1201 } do
      local x = { sys:position(i) }
      for c = 1, 3 do
        local h = 1e-5
        local p = { x[1], x[2], x[3] }
        p[c] = x[c] + h
        sys:set_position(i, p[1], p[2], p[3])
        local ep = energy()
        p[c] = x[c] - h
        sys:set_position(i, p[1], p[2], p[3])
        local em = energy()
        sys:set_position(i, x[1], x[2], x[3])
        local fd = -(ep - em) / (2 * h)
        assert.is_true(math.abs(fd - forces[i][c]) <= 1e-6 * math.max(1, math.abs(forces[i][c])),
          string.format("atom %d component %d: analytic %.10g, finite difference %.10g", i, c,
            forces[i][c], fd))
      end
    end
    local box = sys:box()
    local positions = sys:positions()
    local function restore()
      sys:set_box{ lo = box.lo, hi = box.hi, tilt = { box.xy, box.xz, box.yz } }
      for i, r in ipairs(positions) do sys:set_position(i, r[1], r[2], r[3]) end
    end
    for _, comp in ipairs{ "xx", "yy", "zz", "xy", "xz", "yz" } do
      local h = 1e-6
      sys:strain{ [comp] = h }
      local ep = energy()
      restore()
      sys:strain{ [comp] = -h }
      local em = energy()
      restore()
      local fd = -(ep - em) / (2 * h)
      local an = virial.coul_kspace[comp]
      local scale = math.max(math.abs(virial.coul_kspace.xx), math.abs(virial.coul_kspace.yy),
        math.abs(virial.coul_kspace.zz))
      assert.is_true(math.abs(fd - an) <= 1e-6 * scale,
        string.format("virial %s: analytic %.10g, strain derivative %.10g", comp, an, fd))
    end
  end)
end)
