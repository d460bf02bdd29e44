-- The integrators against LAMMPS's (Debian's lmp, fix nve/nvt/npt) from the same
-- thermalised ZIF-zni configuration and velocities:
--  * with LAMMPS's erfc approximation (the only difference left in the forces) the
--    trajectories coincide step by step: NVE positions after 200 steps within 1e-6 Å;
--    NVT and NPT temperature, pressure and volume every 50 of 300 steps within 1e-6
--    relative (the same splitting, masses and MTK terms);
--  * with vitrify's own erfc, 2 ps of NPT (300 K, 1 bar, Tdamp 0.05 ps, Pdamp 0.5 ps)
--    give mean T, P and V within three combined standard errors of LAMMPS's, the
--    errors from 0.125-ps block means.
local vitrify = require "vitrify"
local lammps = require "vitrify.lammps"
local helpers = require "helpers"

local fixes = {
  nve = "fix vf_md all nve",
  nvt = "fix vf_md all nvt temp 300 300 0.05",
  npt = "fix vf_md all npt temp 300 300 0.05 iso 1 1 0.5",
}

local function lammps_run(dir, data, sys, ff, ensemble, steps, every, dump)
  local extra = table.concat({
    "timestep 0.0005", fixes[ensemble], "thermo " .. every,
    "thermo_style custom step temp press vol pe etotal",
    "thermo_modify format float %.12g",
    dump and ("dump vf_pos all custom " .. steps .. " " .. dump .. " id x y z\n" ..
      "dump_modify vf_pos sort id format float %.12f") or "",
  }, "\n")
  local log = lammps.run(lammps.input{ data = data, forcefield = ff, system = sys, extra = extra,
    run = steps }, dir, { np = 2 })
  local rows = {}
  for _, r in ipairs(lammps.thermo(log)) do
    if r.step > 0 then rows[#rows + 1] = r end
  end
  return rows
end

describe("dynamics against LAMMPS", function()
  local dir = helpers.scratch("dynamics_lammps")
  local data = helpers.thermalised_zif(dir)

  it("NVE positions agree after 200 steps", function()
    local _, sys, ff = helpers.record_run(data, { ensemble = "nve", lammps_erfc = true }, 200, 200)
    lammps_run(dir, data, sys, ff, "nve", 200, 200, dir .. "/nve.dump")
    local ref = lammps.read_dump(dir .. "/nve.dump")
    local box, worst = sys:box(), 0
    local L = { box.lx, box.ly, box.lz }
    for i = 1, sys:natoms() do
      local p = { sys:position(i) }
      for c = 1, 3 do
        local d = p[c] - ref[i][c]
        worst = math.max(worst, math.abs(d - L[c] * math.floor(d / L[c] + 0.5)))
      end
    end
    print(string.format("\nNVE: largest position difference after 200 steps %.2e Å", worst))
    assert.is_true(worst < 1e-6)
  end)

  for _, ensemble in ipairs{ "nvt", "npt" } do
    it(ensemble:upper() .. " follows LAMMPS step by step for 300 steps", function()
      local mine, sys, ff = helpers.record_run(data, { ensemble = ensemble, lammps_erfc = true }, 300, 50)
      local ref = lammps_run(dir, data, sys, ff, ensemble, 300, 50)
      local worst = 0
      for k, r in ipairs(mine) do
        local l = ref[k]
        assert.are.equal(r.step, l.step)
        for _, q in ipairs{ { r.T, l.temp }, { r.V, l.volume }, { r.PE, l.poteng } } do
          worst = math.max(worst, math.abs(q[1] - q[2]) / math.abs(q[2]))
        end
        worst = math.max(worst, math.abs(r.P - l.press) / 1e4) -- P passes through zero
      end
      print(string.format("\n%s: largest relative difference in T, V, PE (P per 10 kbar) %.2e",
        ensemble, worst))
      assert.is_true(worst < 1e-6)
    end)
  end

  it("NPT means over 2 ps are statistically those of LAMMPS", function()
    local mine, sys, ff = helpers.record_run(data, { ensemble = "npt" }, 4000, 10)
    local ref = lammps_run(dir, data, sys, ff, "npt", 4000, 10)
    local function stats(values)
      local means = helpers.block_means(values, 25)
      local m, v = 0, 0
      for _, x in ipairs(means) do m = m + x end
      m = m / #means
      for _, x in ipairs(means) do v = v + (x - m) ^ 2 end
      return m, math.sqrt(v / (#means - 1) / #means)
    end
    for _, q in ipairs{ { "T", "temp", "K" }, { "P", "press", "bar" }, { "V", "volume", "Å³" } } do
      local a, b = {}, {}
      for k, r in ipairs(mine) do a[k] = r[q[1]] end
      for k, r in ipairs(ref) do b[k] = r[q[2]] end
      local ma, sa = stats(a)
      local mb, sb = stats(b)
      local z = (ma - mb) / math.sqrt(sa ^ 2 + sb ^ 2)
      print(string.format("\nNPT mean %s: vitrify %.2f ± %.2f, LAMMPS %.2f ± %.2f %s (%.2f σ)", q[1],
        ma, sa, mb, sb, q[3], z))
      assert.is_true(math.abs(z) < 3)
    end
  end)
end)
