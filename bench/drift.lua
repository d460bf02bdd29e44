-- NVE drift from several starts, vitrify beside LAMMPS: does vitrify at the benchmark's
-- settings conserve energy as well as LAMMPS does on the same starts? One 2-ps drift is
-- noisy (runs from one start whose forces differ only in the last bits end up drifting
-- 0.02 eV/ps apart), so this takes `starts` starts (bench/nve.lua's thermalisation with
-- seeds 1, 2, ..., under the force field's defaults), runs NVE from each in vitrify at
-- every real-space Coulomb cut of `cuts` and in LAMMPS (pppm 1e-5, 13 Å, the styles
-- bench/compare.sh times), and prints the drifts per start, their means, the means of
-- their sizes, and on how many starts vitrify drifted no more than LAMMPS (eV/ps, 1600
-- particles, dt 0.5 fs).
--   vitrify bench/drift.lua [starts=8] [cuts=11,12,13] [precision=mixed] [accuracy=1e-5]
--                           [order=5] [nve_steps=4000]
local vitrify = require "vitrify"
package.path = vitrify.home .. "/bench/?.lua;" .. package.path
local nve = require "nve"

local starts = math.tointeger(params.starts or 8)
local steps = math.tointeger(params.nve_steps or 4000)
local cuts = {}
for c in tostring(params.cuts or "11,12,13"):gmatch("[^,]+") do
  cuts[#cuts + 1] = tonumber(c)
    or error("bench/drift.lua: cuts=" .. tostring(params.cuts) .. " is not a list of numbers")
end
local base = { kspace = "pppm", accuracy = params.accuracy or 1e-5,
               precision = params.precision or "mixed", order = math.tointeger(params.order or 5) }
local function settings(cut)
  local s = { coulomb_cutoff = cut }
  for k, v in pairs(base) do s[k] = v end
  return s
end
local dir = vitrify.home .. "/out/bench/drift"
os.execute("mkdir -p '" .. dir .. "'")

local header = { string.format("%-6s", "start") }
for _, c in ipairs(cuts) do
  header[#header + 1] = string.format("%12s", "vitrify " .. c .. " Å")
end
header[#header + 1] = string.format("%12s", "LAMMPS")
print(string.format(
  "NVE drift (eV/ps) over %d steps of 0.5 fs; vitrify %s precision, pppm %g order %d", steps,
  base.precision, base.accuracy, base.order))
print(table.concat(header, " "))
local sum, size, below, lammps_sum, lammps_size = {}, {}, {}, 0, 0
for _, c in ipairs(cuts) do sum[c], size[c], below[c] = 0, 0, 0 end
for seed = 1, starts do
  local start = string.format("%s/start_%d.data", dir, seed)
  nve.thermalise({ kspace = "pppm", accuracy = 1e-5 }, seed, start)
  local theirs = nve.lammps(start, steps, string.format("%s/lammps_%d", dir, seed))
  local row = { string.format("%-6d", seed) }
  for _, c in ipairs(cuts) do
    local mine = nve.vitrify(start, settings(c), steps)
    sum[c], size[c] = sum[c] + mine, size[c] + math.abs(mine)
    if math.abs(mine) <= math.abs(theirs) then below[c] = below[c] + 1 end
    row[#row + 1] = string.format("%+12.4f", mine)
  end
  lammps_sum, lammps_size = lammps_sum + theirs, lammps_size + math.abs(theirs)
  row[#row + 1] = string.format("%+12.4f", theirs)
  print(table.concat(row, " "))
end
local mean = { string.format("%-6s", "mean") }
local mean_size = { string.format("%-6s", "mean |d|") }
local count = { string.format("%-6s", "<= LAMMPS") }
for _, c in ipairs(cuts) do
  mean[#mean + 1] = string.format("%+12.4f", sum[c] / starts)
  mean_size[#mean_size + 1] = string.format("%12.4f", size[c] / starts)
  count[#count + 1] = string.format("%12s", below[c] .. " of " .. starts)
end
mean[#mean + 1] = string.format("%+12.4f", lammps_sum / starts)
mean_size[#mean_size + 1] = string.format("%12.4f", lammps_size / starts)
print(table.concat(mean, " "))
print(table.concat(mean_size, " "))
print(table.concat(count, " "))
