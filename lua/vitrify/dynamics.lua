-- vitrify.dynamics — molecular dynamics driven by a schedule: holds and linear ramps
-- of temperature and pressure, with thermo output, trajectories, hooks, checkpoints
-- and restart.
--
--   local md = vitrify.dynamics{ system = sys, forcefield = ff, ensemble = "npt",
--                                T = 300, P = 1, output = "out/glass",
--                                restart = params.restart }
--   md:velocities{ T = 300, seed = 42 }
--   md:ramp{ to = 900, rate = 4.8 }        -- K/ps
--   md:hold{ ps = 250 }
--   md:ramp{ to = 300, rate = 4.8 }
--
-- A recipe re-run with restart = <checkpoint> replays its calls: stages before the
-- checkpoint are skipped, the one it was in resumes at its step, output files are cut
-- back to what they held at the checkpoint. Units: K, bar, ps (dt in fs where named).
local core = require "vitrify.core"
local util = require "vitrify.util"
local profile = require "vitrify.profile"
local column_table = require "vitrify.table"
local trajectory = require "vitrify.trajectory"

local dynamics = {}
local Dynamics = {}
Dynamics.__index = Dynamics

local thermo_columns = {
  { "step", "", format = "%d" }, { "time", "ps" }, { "T", "K" }, { "T_target", "K" },
  { "P", "bar" }, { "P_target", "bar" }, { "PE", "eV" }, { "KE", "eV" }, { "Etotal", "eV" },
  { "Econserved", "eV" }, { "V", "Å³" }, { "density", "g/cm³" }, { "lx", "Å" }, { "ly", "Å" },
  { "lz", "Å" }, { "Pxx", "bar" }, { "Pyy", "bar" }, { "Pzz", "bar" }, { "dt", "fs" },
  { "stage", "", format = "%d" },
}

local function positive(v) return v > 0, "must be > 0" end
local function non_negative_integer(v)
  return math.type(v) == "integer" and v >= 0, "must be a whole number >= 0"
end

-- A time step that depends on the target temperature: { 0.5, hot = 0.25, above = 700 }
-- means 0.5 fs, and 0.25 fs for targets above 700 K (ramps are split there).
local function check_timestep(v)
  if type(v) == "number" then return v > 0, "must be > 0 fs" end
  if type(v) == "table" and type(v[1]) == "number" and type(v.hot) == "number"
     and type(v.above) == "number" then
    return true
  end
  return false, "must be a number of fs or { cold_fs, hot = hot_fs, above = T }"
end

local schema = {
  system = { type = "userdata" },
  forcefield = { type = "table" },
  ensemble = { type = "string", default = "npt", check = function(v)
    return v == "nve" or v == "nvt" or v == "npt", "must be \"nve\", \"nvt\" or \"npt\"" end },
  barostat = { type = "string", default = "iso", check = function(v)
    return v == "iso" or v == "aniso", "must be \"iso\" (shape kept) or \"aniso\"" end },
  T = { type = "number", default = 300, check = positive },
  P = { type = "number", default = 1.0 },
  dt_fs = { default = 0.5, check = check_timestep },
  tdamp_ps = { type = "number", check = positive },
  pdamp_ps = { type = "number", check = positive },
  chain = { type = "number", default = 3, check = function(v)
    return math.type(v) == "integer" and v >= 1 and v <= 8, "must be 1..8" end },
  seed = { type = "number", default = 12345, check = non_negative_integer },
  output = { type = "string" },
  thermo_every = { type = "number", default = 100, check = function(v)
    return math.type(v) == "integer" and v >= 1, "must be a whole number >= 1" end },
  checkpoint_every = { type = "number", default = 1000, check = non_negative_integer },
  trajectory = { type = "table" },
  restart = { type = "string" },
  overwrite = { type = "boolean", default = false },
  max_displacement = { type = "number", default = 0.5, check = positive },
  max_volume_ratio = { type = "number", default = 1.5, check = function(v)
    return v > 1, "must be > 1" end },
  quiet = { type = "boolean", default = false },
}

local function dt_for(timestep, T)
  if type(timestep) == "number" then return timestep end
  return T > timestep.above and timestep.hot or timestep[1]
end

-- Protocol state saved with checkpoints: key=value lines.
local function encode(state)
  local keys, lines = {}, {}
  for k in pairs(state) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do lines[#lines + 1] = k .. "=" .. tostring(state[k]) end
  return table.concat(lines, "\n")
end

local function decode(text)
  local state = {}
  for k, v in text:gmatch("([%w_]+)=([^\n]*)") do state[k] = math.tointeger(tonumber(v)) or tonumber(v) or v end
  return state
end

function dynamics.new(opts)
  local o = util.options(opts, schema, "vitrify.dynamics")
  if not o.system or not o.forcefield then
    util.raise("vitrify.dynamics needs system = <System> and forcefield = <ForceField>")
  end
  local dt0 = dt_for(o.dt_fs, o.T)
  local self = setmetatable({
    sys = o.system, ff = o.forcefield, opts = o,
    T = o.T, P = o.P,              -- current targets (the end of the last stage)
    stage = 0,                     -- stages started so far
    hooks = {},
    output = o.output,
  }, Dynamics)
  self.integrator = core.integrator(o.forcefield:evaluator(o.system), {
    ensemble = o.ensemble, barostat = o.barostat, dt = dt0 / 1000,
    tdamp = o.tdamp_ps or 100 * dt0 / 1000, pdamp = o.pdamp_ps or 1000 * dt0 / 1000,
    chain = o.chain, seed = o.seed, max_displacement = o.max_displacement,
    max_volume_ratio = o.max_volume_ratio, rebuild_every = o.checkpoint_every,
  })
  self.integrator:set_targets(o.T, o.P)
  if o.output then
    local dir = o.output:match("^(.*)/[^/]*$")
    if dir then os.execute("mkdir -p '" .. dir .. "'") end
    self.checkpoint_path = o.output .. ".ckpt"
  end
  if o.restart then self:resume_from(o.restart) end
  self:open_outputs()
  return self
end

function Dynamics:say(fmt, ...)
  if not self.opts.quiet then io.write(string.format(fmt, ...), "\n") io.flush() end
end

function Dynamics:resume_from(path)
  local state = decode(self.integrator:restore(path))
  self.resume = state
  self.T, self.P = state.T, state.P
  self:say("resuming from %s: stage %d, step %d (%.3f ps)", path, state.stage, state.stage_step,
    self.integrator:thermo().time)
end

function Dynamics:open_outputs()
  if not self.output then return end
  local r = self.resume
  local path = self.output .. ".thermo.dat"
  if r and r.thermo_offset then
    self.thermo_table = column_table.open{ path = path, columns = thermo_columns,
                                           resume_offset = r.thermo_offset }
  else
    self.thermo_table = column_table.new{ path = path, columns = thermo_columns,
      title = "thermodynamics", overwrite = self.opts.overwrite }
  end
  local t = self.opts.trajectory
  if t then
    local tpath = t.path or (self.output .. "." .. (t.format or "xyz"))
    if r and r.trajectory_offset then
      self.traj = trajectory.open{ path = tpath, every = t.every or 1000,
                                   resume_offset = r.trajectory_offset }
    else
      self.traj = trajectory.new{ path = tpath, every = t.every or 1000,
                                  overwrite = self.opts.overwrite }
    end
  end
end

-- Maxwell–Boltzmann velocities at T (zero total momentum, exactly T), from the
-- integrator's random stream (seeded by `seed`); skipped when resuming.
function Dynamics:velocities(opts)
  local o = util.options(opts, { T = { type = "number", default = self.T },
                                 seed = { type = "number", check = non_negative_integer } },
    "md:velocities")
  if self.resume then return self end
  if o.seed then
    core.velocities(self.sys, o.T, o.seed) -- its own stream; the run's is unaffected
  else
    self.integrator:velocities(o.T)
  end
  return self
end

-- fn(md, thermo) every n steps (on multiples of n of the global step count).
function Dynamics:every(n, fn)
  if math.type(n) ~= "integer" or n < 1 or type(fn) ~= "function" then
    util.raise("md:every(n, fn) needs a whole number of steps >= 1 and a function")
  end
  self.hooks[#self.hooks + 1] = { every = n, fn = fn }
  return self
end

function Dynamics:thermo()
  return self.integrator:thermo()
end

function Dynamics:protocol_state(stage_step)
  local state = { stage = self.stage, stage_step = stage_step, T = self.T, P = self.P }
  if self.thermo_table then state.thermo_offset = self.thermo_table:offset() end
  if self.traj then state.trajectory_offset = self.traj:offset() end
  return state
end

function Dynamics:checkpoint(stage_step)
  if not self.checkpoint_path then return end
  self.integrator:checkpoint(self.checkpoint_path, encode(self:protocol_state(stage_step or 0)))
end

local function format_duration(seconds)
  seconds = math.max(0, math.floor(seconds + 0.5))
  return string.format("%d:%02d:%02d", seconds // 3600, seconds // 60 % 60, seconds % 60)
end

function Dynamics:record(th)
  if self.thermo_table then
    self.thermo_table:add{ th.step, th.time, th.T, th.T_target, th.P, th.P_target, th.PE, th.KE,
      th.Etotal, th.Econserved, th.V, th.density, th.lx, th.ly, th.lz, th.Pxx, th.Pyy, th.Pzz,
      th.dt * 1000, self.stage }
  end
end

function Dynamics:progress(th, stage_steps, done, started_wall, started_time)
  local wall = core.wtime() - started_wall
  local simulated = th.time - started_time
  local ns_day = wall > 0 and simulated / wall * 86400 / 1000 or 0
  local eta = done > 0 and wall / done * (stage_steps - done) or 0
  self:say("%9d %9.3f %8.2f %8.2f %12.4f %12.4f %10.1f %10.2f %7.4f | %6.3f ns/day, stage ETA %s",
    th.step, th.time, th.T, th.T_target, th.PE, th.Econserved, th.P, th.V, th.density, ns_day,
    format_duration(eta))
end

-- Steps from the global step `step` to the next multiple of `every`.
local function to_next(step, every)
  return every - step % every
end

-- One stage: nsteps at time step dt_fs, targets ramping T0 -> T1 and P0 -> P1.
function Dynamics:stage_run(label, nsteps, dt_fs, T0, T1, P0, P1)
  self.stage = self.stage + 1
  local it, r, first = self.integrator, self.resume, 0
  if r and self.stage < r.stage then
    self.T, self.P = T1, P1
    return self
  end
  if r and self.stage == r.stage then
    first = r.stage_step
    self.resume = nil
  else
    self.resume = nil
    it:set_dt(dt_fs / 1000)
    it:setup(T0, P0)
  end
  self:say("stage %d: %s — %d steps of %g fs, T %g → %g K, P %g → %g bar", self.stage, label,
    nsteps, dt_fs, T0, T1, P0, P1)
  self:say("%9s %9s %8s %8s %12s %12s %10s %10s %7s", "step", "time/ps", "T/K", "Ttarget",
    "PE/eV", "Econs/eV", "P/bar", "V/Å³", "ρ/g·cm³")
  local Tramp = { from = T0, to = T1, done = first, total = nsteps }
  local Pramp = { from = P0, to = P1, done = first, total = nsteps }
  local done = first
  local th = it:thermo()
  if first == 0 then
    self:record(th)
    if self.traj then self.traj:write(self.sys, th.step, th.time) end
  end
  local started_wall, started_time = core.wtime(), th.time
  local prof = profile.start(self.ff:evaluator(self.sys))
  local every = self.opts.thermo_every
  while done < nsteps do
    local step = th.step
    local n = math.min(nsteps - done, to_next(step, every))
    local ckpt = self.opts.checkpoint_every
    if ckpt > 0 then n = math.min(n, to_next(step, ckpt)) end
    if self.traj then n = math.min(n, to_next(step, self.traj.every)) end
    for _, h in ipairs(self.hooks) do n = math.min(n, to_next(step, h.every)) end
    local ran, status, signal = it:run(n, Tramp, Pramp)
    done = done + ran
    th = it:thermo()
    if th.step % every == 0 or done == nsteps then
      self:record(th)
      self:progress(th, nsteps, done - first, started_wall, started_time)
    end
    if self.traj then self.traj:write(self.sys, th.step, th.time) end
    for _, h in ipairs(self.hooks) do
      if th.step % h.every == 0 then h.fn(self, th) end
    end
    if status == "interrupted" then
      self:checkpoint(done)
      util.raise(string.format("interrupted by signal %d at step %d; %s", signal, th.step,
        self.checkpoint_path and ("checkpoint written to " .. self.checkpoint_path ..
          "; continue with restart=" .. self.checkpoint_path) or "no checkpoint (no output set)"))
    end
    if ckpt > 0 and th.step % ckpt == 0 then self:checkpoint(done) end
  end
  if done > first then
    self:say("%s\n", (prof:report{ steps = done - first, dt_fs = dt_fs, natoms = self.sys:natoms(),
                                   threads = core.threads() }))
  end
  self.T, self.P = T1, P1
  return self
end

local stage_schema = {
  ps = { type = "number", check = function(v) return v >= 0, "must be >= 0 ps" end },
  steps = { type = "number", check = non_negative_integer },
  T = {}, P = {},
  to = { type = "number", check = positive },
  rate = { type = "number", check = function(v) return v ~= 0, "must not be 0 K/ps" end },
  label = { type = "string" },
}

local function endpoints(v, current, what)
  if v == nil then return current, current end
  if type(v) == "number" then return v, v end
  if type(v) == "table" and type(v[1]) == "number" and type(v[2]) == "number" then return v[1], v[2] end
  util.raise(what .. " must be a number or {from, to}")
end

-- A stage: md:run{ ps = 2 } holds the current targets; T/P may be numbers or {from,
-- to} for linear ramps; steps = N instead of ps. A ramp crossing the temperature where
-- the time step changes is split there.
function Dynamics:run(opts)
  local o = util.options(opts, stage_schema, "md:run")
  local T0, T1 = endpoints(o.T, self.T, "T")
  local P0, P1 = endpoints(o.P, self.P, "P")
  local ts = self.opts.dt_fs
  if type(ts) == "table" and (T0 - ts.above) * (T1 - ts.above) < 0 and not o.steps then
    local total = o.ps or util.raise("md:run: give ps = ... for a ramp")
    local split = total * (ts.above - T0) / (T1 - T0)
    local Pmid = P0 + (P1 - P0) * split / total
    self:run{ ps = split, T = { T0, ts.above }, P = { P0, Pmid }, label = o.label }
    return self:run{ ps = total - split, T = { ts.above, T1 }, P = { Pmid, P1 }, label = o.label }
  end
  local dt = dt_for(ts, math.max(T0, T1))
  local nsteps = o.steps or math.floor((o.ps or util.raise("md:run needs ps = ... or steps = ..."))
    * 1000 / dt + 0.5)
  local label = o.label or ((T0 == T1 and P0 == P1) and "hold" or "ramp")
  return self:stage_run(label, nsteps, dt, T0, T1, P0, P1)
end

-- Holds the current targets (or T/P given) for ps (or steps).
function Dynamics:hold(opts)
  opts = opts or {}
  return self:run{ ps = opts.ps, steps = opts.steps, T = opts.T, P = opts.P, label = opts.label or "hold" }
end

-- Ramps the target temperature from the current one to `to` at `rate` K/ps (sign
-- ignored) or over `ps`; P optionally ramps alongside.
function Dynamics:ramp(opts)
  local o = util.options(opts, stage_schema, "md:ramp")
  if not o.to then util.raise("md:ramp needs to = <K>") end
  local ps = o.ps
  if not ps and not o.steps then
    if not o.rate then util.raise("md:ramp needs rate = <K/ps>, ps = <duration> or steps = <N>") end
    ps = math.abs(o.to - self.T) / math.abs(o.rate)
  end
  local label = o.label or (o.to >= self.T and "heat" or "cool")
  return self:run{ ps = ps, steps = o.steps, T = { self.T, o.to }, P = o.P, label = label }
end
Dynamics.heat = Dynamics.ramp
Dynamics.cool = Dynamics.ramp

-- Stages from a table: { {hold = ps}, {to = K, rate = K/ps}, {T = {a, b}, ps = ...}, ... }.
function Dynamics:schedule(stages)
  for k, s in ipairs(stages) do
    if type(s) ~= "table" then util.raise(string.format("schedule stage %d must be a table", k)) end
    if s.hold then self:hold{ ps = s.hold, T = s.T, P = s.P, label = s.label }
    elseif s.to then self:ramp(s)
    else self:run(s) end
  end
  return self
end

function Dynamics:close()
  if self.thermo_table then self.thermo_table:close() end
  if self.traj and self.traj.close then self.traj:close() end
end

setmetatable(dynamics, { __call = function(_, opts) return dynamics.new(opts) end })
return dynamics
