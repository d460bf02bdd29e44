-- vitrify.trajectory — frames of a run appended to one file, extended XYZ (.xyz,
-- .extxyz; each frame's comment holds "step=N time=T" with T in ps) or a LAMMPS dump
-- (.dump, .lammpstrj; ITEM: TIMESTEP and ITEM: TIME):
--   local traj = vitrify.trajectory.new{ path = "out/traj.dump", every = 100 }
--   traj:write(sys, step, time)      -- a frame when step is a multiple of every
-- The first frame replaces the file; an existing file is an error at construction unless
-- overwrite = true (as for vitrify.table). Restarts: traj:offset() goes into the
-- checkpoint, and vitrify.trajectory.open{ path = ..., resume_offset = offset, ... }
-- drops the frames written after it. A resumed run repeating the checkpoint's step
-- does not write that frame twice.
local core = require "vitrify.core"
local util = require "vitrify.util"
local file = require("vitrify.table").file

local trajectory = {}
local Trajectory = {}
Trajectory.__index = Trajectory

local formats = { xyz = "extxyz", extxyz = "extxyz", dump = "dump", lammpstrj = "dump" }

-- Where a frame's step is written: the last match in a file is its last frame's step.
local step_patterns = {
  extxyz = 'comment="step=(%-?%d+)',
  dump = "ITEM: TIMESTEP\n(%-?%d+)\n",
}

local function check_step(v)
  if math.type(v) == "integer" or (type(v) == "number" and v == math.floor(v)) then return true end
  return false, "must be a whole number"
end

local dump_schema = {
  step = { type = "number", check = check_step, default = 0 },
  time = { type = "number" },   -- ps, written as ITEM: TIME
  append = { type = "boolean", default = false },
  fields = { type = "table" },  -- {"id", "type", "x", "y", "z", ...}; x y z by default
}

-- One LAMMPS dump frame (vitrify.write's .dump/.lammpstrj): step, time, append, fields
-- as LAMMPS names them: id type x y z (wrapped) or xu yu zu (unwrapped), then any of
-- ix iy iz, vx vy vz, fx fy fz.
function trajectory.write_dump(sys, path, opts)
  opts = util.options(opts, dump_schema, "vitrify.write")
  core.write_dump(sys, path, math.tointeger(opts.step), opts.append, opts.fields, opts.time)
  return path
end

local function format_of(path, what)
  local format = formats[util.extension(path)]
  if not format then
    util.raise(string.format("%s: cannot tell the format of %s (use .xyz, .extxyz, .dump or .lammpstrj)",
      what, path))
  end
  return format
end

-- The step of the last frame among the first size bytes of path, or nil. Reads backwards
-- in chunks until a frame header turns up: about one frame, however long the file. Each
-- chunk is searched with the start of the one after it, where a header may continue.
local function last_step(path, size, format)
  local pattern, chunk_size, overlap = step_patterns[format], 1 << 20, 64
  local f = assert(io.open(path, "rb"))
  local after, pos, step = "", size, nil
  while pos > 0 and not step do
    local start = math.max(0, pos - chunk_size)
    f:seek("set", start)
    local window = f:read(pos - start) .. after
    for found in window:gmatch(pattern) do step = found end
    after, pos = window:sub(1, overlap), start
  end
  f:close()
  return step and math.tointeger(tonumber(step))
end

local schema = {
  path = { type = "string" },
  every = { type = "number", default = 1, check = function(v)
    return math.type(v) == "integer" and v >= 1, "must be a whole number >= 1" end },
  fields = { type = "table" }, -- dump columns, as for vitrify.write
  overwrite = { type = "boolean", default = false },
  resume_offset = { type = "number" },
}

local function checked_options(opts, what, allowed)
  local own = {}
  for _, k in ipairs(allowed) do own[k] = schema[k] end
  opts = util.options(opts, own, what)
  if not opts.path then util.raise(what .. ": path is required") end
  local format = format_of(opts.path, what)
  if opts.fields and format ~= "dump" then
    util.raise(string.format("%s: fields apply to LAMMPS dumps (.dump, .lammpstrj), not %s", what, opts.path))
  end
  return opts, format
end

local function make(opts, format, size, last)
  return setmetatable({ path = opts.path, format = format, every = opts.every, fields = opts.fields,
                        size = size, last_step = last }, Trajectory)
end

-- A new trajectory: path (.xyz/.extxyz or .dump/.lammpstrj), every (steps between frames,
-- 1), fields (dump columns), overwrite (replace a file from an earlier run).
function trajectory.new(opts)
  local format
  opts, format = checked_options(opts, "vitrify.trajectory.new", { "path", "every", "fields", "overwrite" })
  file.claim(opts.path, opts.overwrite, "vitrify.trajectory")
  local traj = make(opts, format, 0, nil)
  traj.replace_next = true
  return traj
end

-- Continues a trajectory after a restart: keeps its first resume_offset bytes (the
-- frames written up to the checkpoint) and appends to them.
function trajectory.open(opts)
  local what, format = "vitrify.trajectory.open", nil
  opts, format = checked_options(opts, what, { "path", "every", "fields", "resume_offset" })
  if opts.resume_offset == nil then util.raise(what .. ": resume_offset is required") end
  file.keep_first_bytes(opts.path, opts.resume_offset, what)
  return make(opts, format, opts.resume_offset, last_step(opts.path, opts.resume_offset, format))
end

-- Writes a frame of sys at step (time in ps, optional) when step is a multiple of
-- every and comes after the last frame written; returns whether it wrote one.
function Trajectory:write(sys, step, time)
  if math.type(step) ~= "integer" then
    if not check_step(step) then util.raise("vitrify.trajectory: write expects a whole step number") end
    step = math.tointeger(step)
  end
  if time ~= nil and type(time) ~= "number" then util.raise("vitrify.trajectory: time must be a number (ps)") end
  if step % self.every ~= 0 then return false end
  if self.last_step and step <= self.last_step then
    -- The frame of a checkpoint's step is already there when a resumed run starts from it.
    if step == self.last_step then return false end
    util.raise(string.format("vitrify.trajectory: %s: step %d comes before the last frame written (step %d)",
      self.path, step, self.last_step))
  end
  local append = not self.replace_next
  if self.format == "dump" then
    core.write_dump(sys, self.path, step, append, self.fields, time)
  else
    local comment = "step=" .. step .. (time and string.format(" time=%.10g", time) or "")
    core.write_xyz(sys, self.path, append, comment)
  end
  self.replace_next = false
  self.last_step = step
  self.size = file.size(self.path)
  return true
end

-- Bytes in the file: what to keep with a checkpoint to resume exactly here.
function Trajectory:offset()
  return self.size
end

-- Cuts the file back to offset bytes (from an earlier :offset()); frames after it go.
function Trajectory:truncate_to(offset)
  if math.type(offset) ~= "integer" or offset < 0 or offset > self.size then
    util.raise(string.format("vitrify.trajectory: %s: offset must be an integer between 0 and %d "
      .. "(the current length), got %s", self.path, self.size, tostring(offset)))
  end
  if self.replace_next then return end -- nothing written yet: the old file is replaced anyway
  file.keep_first_bytes(self.path, offset, "vitrify.trajectory")
  self.size = offset
  self.last_step = last_step(self.path, offset, self.format)
end

function Trajectory:__tostring()
  return string.format("vitrify.trajectory %s (%s, every %d steps)", self.path, self.format, self.every)
end

return trajectory
