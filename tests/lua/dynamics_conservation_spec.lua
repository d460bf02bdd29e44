-- Energy conservation of the integrators on the ZIF-zni cell at 300 K, dt 0.5 fs:
-- NVE total energy, and the conserved quantities of NVT (Nosé–Hoover chain) and NPT
-- (MTK), each over 2000 steps (1 ps).
--
-- The bound, 0.04 eV/ps for the 1600 particles (2.5e-2 eV per atom per ns): the
-- energy of the unshifted 13 Å cut-offs jumps as pairs cross them, which makes even
-- exact dynamics drift; LAMMPS on the same start drifts 0.009 ± 0.002 eV/ps. The
-- fast oscillation of the total energy (±0.3 eV, the stiff bonds of the light dummy
-- sites at 0.5 fs) is averaged over 100-step blocks; what remains limits a 1-ps fit
-- to about ±0.01 eV/ps. A wrong force or integrator drifts by eV/ps. NVE is run again
-- with the mixed-precision pair kernel, whose single-precision pair forces must not
-- add a drift of their own.
local helpers = require "helpers"

local BOUND = 0.04 -- eV/ps
local dt = 0.0005

describe("energy conservation at 0.5 fs", function()
  local data = helpers.thermalised_zif(helpers.scratch("conservation"))
  local lines = {}

  for _, case in ipairs{ { "nve", "Etotal" }, { "nvt", "Econserved" }, { "npt", "Econserved" },
                        { "nve", "Etotal", "mixed" } } do
    local label = case[1] .. (case[3] and " (" .. case[3] .. " precision)" or "")
    it(label .. " conserves " .. case[2], function()
      local rows = helpers.record_run(data, { ensemble = case[1], precision = case[3] }, 2000, 1)
      local values = {}
      for k, r in ipairs(rows) do values[k] = r[case[2]] end
      local slope, err = helpers.drift(values, dt)
      lines[#lines + 1] = string.format("%s %s drift %.4f ± %.4f eV/ps = %.2e eV/atom/ns", label,
        case[2], slope, err, slope / 1600 * 1000)
      print("\n" .. lines[#lines])
      assert.is_true(math.abs(slope) <= BOUND, lines[#lines])
    end)
  end

  it("refuses mixed precision where it cannot apply", function()
    local vitrify = require "vitrify"
    for _, opts in ipairs{ { precision = "mixed", lammps_erfc = true },
                           { precision = "mixed", kernel = "reference" },
                           { precision = "single" } } do
      local ok, msg = pcall(vitrify.nbzifff, opts)
      assert.is_false(ok)
      assert.matches("precision", msg)
    end
  end)
end)
