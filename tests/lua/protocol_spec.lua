-- Schedules, restarts and failure detection of vitrify.dynamics.
local vitrify = require "vitrify"
local helpers = require "helpers"

describe("schedules", function()
  it("ramp the thermostat target linearly and reach it at the right time", function()
    local dir = helpers.scratch("schedule")
    local sys, ff = helpers.argon(3)
    local md = vitrify.dynamics{ system = sys, forcefield = ff, ensemble = "nvt", T = 100,
      output = dir .. "/run", thermo_every = 20, checkpoint_every = 0, quiet = true }
    md:velocities{ T = 100, seed = 3 }
    md:ramp{ to = 200, rate = 500 }  -- 0.2 ps, 400 steps of 0.5 fs
    md:hold{ ps = 0.05 }
    md:ramp{ to = 150, ps = 0.1 }
    local t = helpers.read_dat(dir .. "/run.thermo.dat")
    for k, time in ipairs(t.time) do
      local want
      if time <= 0.2 + 1e-12 then want = 100 + 500 * time
      elseif time <= 0.25 + 1e-12 then want = 200
      else want = 200 - 500 * (time - 0.25) end
      assert.is_true(math.abs(t.T_target[k] - want) < 1e-6,
        string.format("at %.4f ps the target is %.6f K, expected %.6f K", time, t.T_target[k], want))
    end
    local last = #t.time
    assert.is_true(math.abs(t.time[last] - 0.35) < 1e-9)
    assert.are.equal(700, t.step[last])
    assert.are.equal(150, t.T_target[last])
  end)

  it("switch the time step where the target crosses the threshold", function()
    local dir = helpers.scratch("timestep")
    local sys, ff = helpers.argon(2)
    local md = vitrify.dynamics{ system = sys, forcefield = ff, ensemble = "nvt", T = 600,
      dt_fs = { 0.5, hot = 0.25, above = 700 }, output = dir .. "/run", thermo_every = 10,
      checkpoint_every = 0, quiet = true }
    md:velocities{ T = 600, seed = 4 }
    md:ramp{ to = 800, rate = 500 }  -- 0.2 ps at 0.5 fs to 700 K, 0.2 ps at 0.25 fs above
    local t = helpers.read_dat(dir .. "/run.thermo.dat")
    for k = 1, #t.time do
      local expected_dt = t.T_target[k] > 700 + 1e-9 and 0.25 or 0.5
      if t.step[k] ~= 400 then -- the row at the switch belongs to both stages
        assert.are.equal(expected_dt, t.dt[k])
      end
      assert.is_true(math.abs(t.T_target[k] - (600 + 500 * t.time[k])) < 1e-6)
    end
    assert.are.equal(400 + 800, t.step[#t.step])
    assert.is_true(math.abs(t.time[#t.time] - 0.4) < 1e-9)
  end)

  it("refuse to overwrite an earlier run's output", function()
    local dir = helpers.scratch("nooverwrite")
    local sys, ff = helpers.argon(2)
    local function make()
      return vitrify.dynamics{ system = sys, forcefield = ff, ensemble = "nvt", T = 100,
        output = dir .. "/run", quiet = true }
    end
    make():hold{ steps = 10 }
    assert.has_error(make, nil)
  end)
end)

-- A recipe on the ZIF-zni cell with checkpoints every 100 steps; `kill_at` makes it
-- SIGKILL itself at that step (from a hook: a real kill -9, no clean-up).
local recipe_text = [[
local vitrify = require "vitrify"
local sys = vitrify.read(params.data, { types = { "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" } })
local ff = vitrify.nbzifff{ accuracy = 1e-6 }
local md = vitrify.dynamics{ system = sys, forcefield = ff, ensemble = params.ensemble or "npt", T = 300,
  output = params.out, thermo_every = 25, checkpoint_every = 100, restart = params.restart,
  trajectory = { every = 50 } }
md:velocities{ T = 300, seed = 11 }
if params.kill_at then
  md:every(params.kill_at, function(m, th)
    if th.step == params.kill_at then os.execute("kill -9 $PPID") end
  end)
end
if params.collide_at then
  md:every(params.collide_at, function(m, th)
    local x, y, z = sys:position(1)
    sys:set_position(3, x + params.gap, y, z)
  end)
end
if params.nan_at then
  md:every(params.nan_at, function(m, th) sys:set_position(3, 0 / 0, 0, 0) end)
end
if params.nan_velocity_at then
  md:every(params.nan_velocity_at, function(m, th) sys:set_velocity(3, 0 / 0, 0, 0) end)
end
md:hold{ steps = 150 }
md:ramp{ to = 320, steps = 150 }
vitrify.write(sys, params.final)
]]

describe("checkpoints", function()
  local data = helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600_minimized.data")

  it("continue a killed run bit for bit", function()
    local dir = helpers.scratch("restart")
    local recipe = dir .. "/run.lua"
    helpers.write(recipe, recipe_text)
    local common = string.format("%s data=%s", recipe, data)
    local code = helpers.run(string.format("%s out=%s/straight final=%s/straight.data", common, dir, dir))
    assert.are.equal(0, code)
    code = helpers.run(string.format("%s out=%s/killed final=%s/killed.data kill_at=250", common, dir, dir))
    assert.are_not.equal(0, code)
    assert.is_false(helpers.exists(dir .. "/killed.data"))
    local out
    code, out = helpers.run(string.format("%s out=%s/killed final=%s/killed.data restart=%s/killed.ckpt",
      common, dir, dir, dir))
    assert.are.equal(0, code)
    assert.truthy(out:find("resuming from", 1, true))
    local function slurp(p) local f = assert(io.open(p, "rb")) local s = f:read("a") f:close() return s end
    -- Positions, velocities, image flags and cell written with 17 digits: bit for bit.
    assert.are.equal(slurp(dir .. "/straight.data"), slurp(dir .. "/killed.data"))
    assert.are.equal(slurp(dir .. "/straight.thermo.dat"), slurp(dir .. "/killed.thermo.dat"))
    assert.are.equal(slurp(dir .. "/straight.xyz"), slurp(dir .. "/killed.xyz"))
  end)

  it("are refused when damaged or from another system", function()
    local dir = helpers.scratch("badckpt")
    helpers.write(dir .. "/junk.ckpt", "not a checkpoint")
    local sys = vitrify.read(data, { types = { "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" } })
    local ff = vitrify.nbzifff{ accuracy = 1e-5 }
    local ok, err = pcall(vitrify.dynamics, { system = sys, forcefield = ff,
      restart = dir .. "/junk.ckpt", quiet = true })
    assert.is_false(ok)
    assert.truthy(tostring(err):find("junk.ckpt: not a vitrify checkpoint", 1, true))
  end)
end)

describe("failure detection", function()
  local data = helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600_minimized.data")
  local cases = {
    { what = "two atoms 0.1 Å apart", args = "collide_at=120 gap=0.1",
      message = "step 1%d%d: atom %d+ %(%w+%) moved [%d.e+]+ Å in one step" },
    { what = "a NaN force (an atom put at a NaN position)", args = "nan_at=120",
      message = "step 121: force on atom %d+ %(%w+%) is not finite" },
    -- NVE, so that no thermostat spreads the NaN: the one atom must still be named
    { what = "a NaN velocity", args = "nan_velocity_at=120 ensemble=nve", ensemble = "nve",
      message = "step 121: position of atom 3 %(%w+%) is not finite" },
  }
  for k, case in ipairs(cases) do
    it("stops a run with " .. case.what .. " and keeps the last checkpoint", function()
        local dir = helpers.scratch("failure" .. k)
        local recipe = dir .. "/run.lua"
        helpers.write(recipe, recipe_text)
        local code, _, err = helpers.run(string.format("%s data=%s out=%s/run final=%s/final.data %s",
          recipe, data, dir, dir, case.args))
        assert.are_not.equal(0, code)
        assert.truthy(err:match(case.message), err)
        assert.truthy(err:find("run.lua:", 1, true), err)
        -- The checkpoint of step 100 is intact and continues.
        local sys = vitrify.read(data, { types = { "Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne" } })
        local ff = vitrify.nbzifff{ accuracy = 1e-6 }
        local md = vitrify.dynamics{ system = sys, forcefield = ff, ensemble = case.ensemble or "npt",
          restart = dir .. "/run.ckpt", quiet = true }
        assert.are.equal(100, md:thermo().step)
      end)
  end
end)
