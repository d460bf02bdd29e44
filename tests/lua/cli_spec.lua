-- The vitrify program: usage, parameters reaching the recipe, and errors that name
-- the file and line and exit non-zero — for recipe mistakes and for bad data files.
local helpers = require "helpers"

local dir = helpers.scratch("cli")

local function recipe(name, text)
  local path = dir .. "/" .. name
  helpers.write(path, text)
  return path
end

-- A small valid data file: two atoms of two named types, one bond.
local good_data = [[
two atoms

2 atoms
1 bonds
2 atom types
1 bond types

0 10 xlo xhi
0 10 ylo yhi
0 10 zlo zhi

Masses

1 12.0 # C4
2 1.0 # H4

Bond Coeffs

1 16.0 1.088

Atoms # full

1 1 1 0.1 1.0 1.0 1.0
2 1 2 -0.1 2.0 1.0 1.0

Bonds

1 1 1 2
]]

describe("the vitrify program", function()
  it("prints usage and fails without a recipe", function()
    local code, out, err = helpers.run("")
    assert.are_not.equal(0, code)
    assert.truthy(err:find("usage: vitrify RECIPE.lua", 1, true))
  end)

  it("passes name=value pairs to the recipe as params, numbers converted", function()
    local r = recipe("params.lua", [[
print(type(params.T), params.T, type(params.name), params.name, params.flag, select(1, ...).T)
]])
    local code, out = helpers.run(r .. " T=300 name=zif flag=true")
    assert.are.equal(0, code)
    assert.are.equal("number\t300\tstring\tzif\ttrue\t300\n", out)
  end)

  it("reaches the library with require \"vitrify\"", function()
    local r = recipe("require.lua", [[
local vitrify = require "vitrify"
print(vitrify.version, type(vitrify.read), type(vitrify.nbzifff))
]])
    local code, out = helpers.run(r)
    assert.are.equal(0, code)
    assert.truthy(out:match("^%d+%.%d+%.%d+\tfunction\tfunction"))
  end)

  it("reports a Lua error with the recipe file and line and exits non-zero", function()
    local r = recipe("broken.lua", "local x = 1\nlocal y = nil\nprint(x + y)\n")
    local code, out, err = helpers.run(r)
    assert.are_not.equal(0, code)
    assert.truthy(err:find("broken.lua:3:", 1, true), err)
  end)

  it("blames the recipe line for a bad option given to the library", function()
    local r = recipe("option.lua", [[
local vitrify = require "vitrify"

local ff = vitrify.nbzifff{ acuracy = 1e-8 }
]])
    local code, _, err = helpers.run(r)
    assert.are_not.equal(0, code)
    assert.truthy(err:find("option.lua:3: nb-ZIF-FF: unknown option 'acuracy'", 1, true), err)
  end)

  it("reports a syntax error with file and line", function()
    local r = recipe("syntax.lua", "local x = \n\n(")
    local code, _, err = helpers.run(r)
    assert.are_not.equal(0, code)
    assert.truthy(err:find("syntax.lua:3:", 1, true), err)
  end)

  it("fails clearly for a recipe that does not exist", function()
    local code, _, err = helpers.run(dir .. "/missing.lua")
    assert.are_not.equal(0, code)
    assert.truthy(err:find("missing.lua", 1, true))
  end)

  describe("with malformed data files", function()
    local cases = {
      { "missing Atoms section", function(t) return (t:gsub("Atoms # full.*", "")) end,
        ":%d+: missing Atoms section" },
      { "wrong column count", function(t) return (t:gsub("2 1 2 %-0.1 2.0 1.0 1.0", "2 1 2 -0.1 2.0 1.0")) end,
        ":24: Atoms: expected 7 or 10 columns" },
      { "atom id out of range", function(t) return (t:gsub("\n2 1 2 %-0.1", "\n7 1 2 -0.1")) end,
        ":24: Atoms: atom id 7" },
      { "unknown atom type", function(t) return (t:gsub("2 1 2 %-0.1", "2 1 5 -0.1")) end,
        ":24: Atoms: unknown atom type 5" },
      { "non-numeric field", function(t) return (t:gsub("2 1 2 %-0.1 2.0", "2 1 2 -0.1 two")) end,
        ":24: Atoms: column 5 'two' is not a number" },
      { "bond to a missing atom", function(t) return (t:gsub("1 1 1 2\n$", "1 1 1 3\n")) end,
        ":28: Bonds:" },
    }
    for k, case in ipairs(cases) do
      it(case[1], function()
        local data = dir .. "/bad" .. k .. ".data"
        helpers.write(data, case[2](good_data))
        local r = recipe("read" .. k .. ".lua",
          "local vitrify = require 'vitrify'\nlocal sys = vitrify.read('" .. data .. "')\n")
        local code, _, err = helpers.run(r)
        assert.are_not.equal(0, code)
        assert.truthy(err:find("read" .. k .. ".lua:2:", 1, true), err)
        assert.truthy(err:match("bad" .. k .. "%.data" .. case[3]), err)
      end)
    end

    it("accepts the well-formed one", function()
      local data = dir .. "/good.data"
      helpers.write(data, good_data)
      local r = recipe("good.lua", "local sys = require('vitrify').read('" .. data .. "')\nprint(sys:natoms())\n")
      local code, out = helpers.run(r)
      assert.are.equal(0, code)
      assert.are.equal("2\n", out)
    end)
  end)

  it("does not overwrite an existing file when a write fails", function()
    local data = dir .. "/keep.data"
    helpers.write(data, good_data)
    -- Coefficients for one of two bond types: a file LAMMPS would reject, so the
    -- write is refused before anything reaches the disk.
    local r = recipe("overwrite.lua", [[
local vitrify = require "vitrify"
local sys = vitrify.read("]] .. data .. [[")
sys:set_topology_types("bond", 2)
sys:set_coeff("bond", 1, { 16.0, 1.088 })
vitrify.write(sys, "]] .. data .. [[")
]])
    local code, _, err = helpers.run(r)
    assert.are_not.equal(0, code)
    assert.truthy(err:find("overwrite.lua:5: " .. data, 1, true), err)
    local f = io.open(data)
    assert.are.equal(good_data, f:read("a"))
    f:close()
  end)
end)
