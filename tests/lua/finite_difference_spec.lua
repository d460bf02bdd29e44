-- Every nb-ZIF-FF term on the authors' ZIF-zni cell (1600 particles, unminimised):
-- forces equal −∂E/∂x by central differences on a sample of atoms of every type,
-- and the virial equals −∂E/∂ε under homogeneous strain, to 1e-6 relative.
-- A step during which a pair crosses a cut-off (where the truncated potentials
-- jump) is detected from the pair counts and retried smaller.
local vitrify = require "vitrify"
local helpers = require "helpers"

local TOLERANCE = 1e-6
local terms = { "bond", "angle", "dihedral", "improper", "lj", "morse", "tail",
                "coul_real", "coul_kspace" }

local sys = vitrify.read(helpers.shared_file("forcefield/ZIF-zni_nbzifff_1600.data"))
local ff = vitrify.nbzifff{ accuracy = 1e-8 }
local ev = ff:evaluator(sys)

local function signature()
  local c = ev:info().pairs_within_cutoff
  return string.format("%d/%d/%d", c.lj, c.coul, c.morse)
end

-- Per-term energies and the cut-off signature of the current configuration.
local function energies()
  local e = ff:energy(sys)
  return e, signature()
end

-- Two atoms of every type, spread over the cell.
local function sample_atoms()
  local by_type, picked = {}, {}
  for i = 1, sys:natoms() do
    local t = sys:type(i)
    by_type[t] = (by_type[t] or 0) + 1
    if by_type[t] == 1 or by_type[t] == 37 then picked[#picked + 1] = i end
  end
  return picked
end

local function relative(fd, an, scale)
  return math.abs(fd - an) / math.max(math.abs(an), scale)
end

describe("finite differences on the ZIF-zni cell", function()
  it("forces of every term equal minus the energy gradient", function()
    -- Analytic forces term by term.
    local analytic, rms = {}, {}
    for _, term in ipairs(terms) do
      analytic[term] = ff:forces(sys, { term })
      local s = 0
      for i = 1, sys:natoms() do
        for c = 1, 3 do s = s + analytic[term][i][c] ^ 2 end
      end
      rms[term] = math.sqrt(s / (3 * sys:natoms()))
    end
    local worst = {}
    for _, i in ipairs(sample_atoms()) do
      for c = 1, 3 do
        local x = { sys:position(i) }
        local _, sig0 = energies()
        local h, ep, em = 1e-5, nil, nil
        while true do
          local xp = { x[1], x[2], x[3] }
          xp[c] = x[c] + h
          sys:set_position(i, xp[1], xp[2], xp[3])
          local e1, s1 = energies()
          xp[c] = x[c] - h
          sys:set_position(i, xp[1], xp[2], xp[3])
          local e2, s2 = energies()
          sys:set_position(i, x[1], x[2], x[3])
          if s1 == sig0 and s2 == sig0 then ep, em = e1, e2 break end
          h = h / 8
          assert.is_true(h > 1e-9, "no step avoids a cut-off crossing")
        end
        for _, term in ipairs(terms) do
          local fd = -(ep[term] - em[term]) / (2 * h)
          local an = analytic[term][i][c]
          if rms[term] > 0 then
            local rel = relative(fd, an, rms[term])
            worst[term] = math.max(worst[term] or 0, rel)
            assert.is_true(rel <= TOLERANCE, string.format(
              "%s: atom %d component %d: analytic %.12g, finite difference %.12g", term, i, c, an, fd))
          else
            assert.is_true(math.abs(fd) < 1e-9, term .. " has zero forces but its energy moves")
          end
        end
      end
    end
    local lines = {}
    for _, term in ipairs(terms) do
      lines[#lines + 1] = string.format("%-12s forces rel. err. %.2e", term, worst[term] or 0)
    end
    print("\n" .. table.concat(lines, "\n"))
  end)

  it("the virial of every term equals minus the strain derivative of its energy", function()
    local box = sys:box()
    local positions = sys:positions()
    local function restore()
      sys:set_box{ lo = box.lo, hi = box.hi, tilt = { box.xy, box.xz, box.yz } }
      for i, r in ipairs(positions) do sys:set_position(i, r[1], r[2], r[3]) end
    end
    restore()
    local _, per_term = ff:virial(sys)
    -- The tail virial is the pressure of the potential beyond the cut-off: it also
    -- holds the pairs a strain carries across rc, (2π/3V) Σ N_a N_b rc³ u_ab(rc).
    local p = vitrify.parameters("nbzifff")
    local count = {}
    for i = 1, sys:natoms() do
      local name = sys:type_name(sys:type(i))
      count[name] = (count[name] or 0) + 1
    end
    local rc, crossing = p.lj.cutoff, 0
    for _, q in ipairs(p.lj.pairs) do
      local sr6 = (q[4] / rc) ^ 6
      local nn = (count[q[1]] or 0) * (count[q[2]] or 0) * (q[1] == q[2] and 1 or 2)
      crossing = crossing + nn * rc ^ 3 * 4 * q[3] * (sr6 * sr6 - sr6)
    end
    crossing = 2 * math.pi / 3 * crossing / box.volume

    local lines = {}
    for _, comp in ipairs{ "xx", "yy", "zz", "xy", "xz", "yz" } do
      local _, sig0 = energies()
      local h, ep, em = 1e-6, nil, nil
      while true do
        sys:strain{ [comp] = h }
        local e1, s1 = energies()
        restore()
        sys:strain{ [comp] = -h }
        local e2, s2 = energies()
        restore()
        if s1 == sig0 and s2 == sig0 then ep, em = e1, e2 break end
        h = h / 8
        assert.is_true(h > 1e-11, "no strain step avoids a cut-off crossing")
      end
      for _, term in ipairs(terms) do
        local fd = -(ep[term] - em[term]) / (2 * h)
        if term == "tail" and #comp == 2 and comp:sub(1, 1) == comp:sub(2, 2) then
          fd = fd + crossing
        end
        local an = per_term[term][comp]
        local scale = math.max(math.abs(per_term[term].xx), math.abs(per_term[term].yy),
          math.abs(per_term[term].zz), 1e-12)
        local rel = relative(fd, an, scale)
        lines[#lines + 1] = string.format("%-12s %s analytic %18.10f  strain derivative %18.10f  rel %.1e",
          term, comp, an, fd, rel)
        assert.is_true(rel <= TOLERANCE, lines[#lines])
      end
    end
    print("\n" .. table.concat(lines, "\n"))
  end)
end)
