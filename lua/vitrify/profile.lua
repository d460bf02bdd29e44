-- vitrify.profile — where a run's wall time went, as LAMMPS prints it after a run:
-- "Loop time of …", "Performance: …" and the section table (Pair, Bond, Kspace,
-- Neigh, Comm, Output, Modify, Other) from the engine's section timers.
--   local p = profile.start(evaluator)      -- before the steps
--   ... run ...
--   print(p:report{ steps = n, dt_fs = 0.5, natoms = N, threads = T })
local core = require "vitrify.core"

local profile = {}
local Profile = {}
Profile.__index = Profile

local SECTIONS = { "Pair", "Bond", "Kspace", "Neigh", "Comm", "Output", "Modify" }

-- Seconds so far in each timed section of the evaluator ({pair=, bond=, ...}).
local function section_seconds(evaluator) return evaluator:timers() end

function profile.start(evaluator)
  return setmetatable({ evaluator = evaluator, wall0 = core.wtime(), cpu0 = os.clock(),
                        seconds0 = section_seconds(evaluator) }, Profile)
end

-- The report as lines of text. o: steps, dt_fs, natoms, threads; output (seconds
-- spent writing files, counted as Output) optional.
function Profile:report(o)
  local loop = core.wtime() - self.wall0
  local cpu = os.clock() - self.cpu0
  local now = section_seconds(self.evaluator)
  local lines = {}
  local function add(fmt, ...) lines[#lines + 1] = string.format(fmt, ...) end
  local per_step = loop / math.max(o.steps, 1)
  add("Loop time of %g on %d procs for %d steps with %d atoms", loop, o.threads, o.steps, o.natoms)
  add("")
  add("Performance: %.3f ns/day, %.3f hours/ns, %.3f timesteps/s", 86400 / per_step * o.dt_fs * 1e-6,
    per_step / o.dt_fs * 1e6 / 3600, 1 / per_step)
  add("%.1f%% CPU use with 1 MPI tasks x %d OpenMP threads", 100 * cpu / math.max(loop, 1e-12),
    o.threads)
  add("")
  add("Section timing breakdown (the engine's timers; one task, so min = avg = max):")
  add("Section |  min time  |  avg time  |  max time  |%%varavg| %%total")
  add("---------------------------------------------------------------")
  local accounted = 0
  for _, name in ipairs(SECTIONS) do
    local key = name:lower()
    local t = key == "output" and (o.output or 0) or (now[key] or 0) - (self.seconds0[key] or 0)
    accounted = accounted + t
    add("%-8s| %-10.5g | %-10.5g | %-10.5g |%6.1f |%6.2f", name, t, t, t, 0.0,
      100 * t / math.max(loop, 1e-12))
  end
  local other = loop - accounted
  add("Other   |            | %-10.4g |            |       |%6.2f", other,
    100 * other / math.max(loop, 1e-12))
  return table.concat(lines, "\n"), { loop = loop, per_step = per_step }
end

return profile
