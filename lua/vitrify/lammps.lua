-- vitrify.lammps — the same calculation in LAMMPS: writes an input script that sets
-- up a force field exactly as vitrify evaluates it, runs `lmp`, and reads back its
-- thermo output and dumps. Used for cross-checks and side-by-side benchmarks.
local util = require "vitrify.util"

local lammps = {}

lammps.executable = os.getenv("LMP") ~= "" and os.getenv("LMP") or "lmp"

-- Thermo columns that give every term of a force field separately.
-- (keys of lammps.thermo rows: LAMMPS's column headers in lower case)
lammps.term_columns = {
  bond = "e_bond", angle = "e_angle", dihedral = "e_dihed", improper = "e_impro",
  lj = "c_vf_lj", morse = "c_vf_morse", tail = "e_tail",
  coul_real = "e_coul", coul_kspace = "e_long",
}
lammps.pressure_columns = { scalar = "press", xx = "pxx", yy = "pyy", zz = "pzz",
                            xy = "pxy", xz = "pxz", yz = "pyz" }

local function fmt(x) return string.format("%.17g", x) end

-- Force-field commands for system sys and vitrify ForceField ff (LAMMPS styles:
-- harmonic, charmm, charmm, cvff; hybrid/overlay lj/cut + coul/long + morse).
function lammps.forcefield_commands(ff, sys, opts)
  opts = opts or {}
  local spec = ff:spec(sys)
  local p = ff.params
  local lines = {}
  local function add(...) lines[#lines + 1] = table.concat({ ... }, " ") end
  add("pair_style hybrid/overlay lj/cut", fmt(spec.cut_lj), "coul/long", fmt(spec.cut_coul),
    "morse", fmt(spec.cut_morse))
  add("pair_coeff * * coul/long")
  for _, r in ipairs(spec.morse) do
    add("pair_coeff", math.min(r[1], r[2]), math.max(r[1], r[2]), "morse", fmt(r[3]), fmt(r[4]), fmt(r[5]))
  end
  local seen = {}
  for _, r in ipairs(spec.lj) do
    local a, b = math.min(r[1], r[2]), math.max(r[1], r[2])
    if not seen[a .. ":" .. b] then
      seen[a .. ":" .. b] = true
      add("pair_coeff", a, b, "lj/cut", fmt(r[3]), fmt(r[4]))
    end
  end
  add("pair_modify tail", spec.tail and "yes" or "no", "table 0")
  add("special_bonds lj", table.concat(p.special.lj, " "), "coul", table.concat(p.special.coul, " "))
  local kspace = opts.kspace or spec.kspace
  if kspace ~= "none" then
    add("kspace_style", kspace, fmt(opts.accuracy or spec.accuracy))
    if spec.g_ewald then add("kspace_modify gewald", fmt(spec.g_ewald)) end
  end
  add("neighbor", fmt(spec.skin), "bin")
  return table.concat(lines, "\n")
end

-- A complete input: read the data file, set the force field, print every term.
-- opts: data (path, required), forcefield, system, kspace, accuracy, dump (path for
-- per-atom forces), run (steps, default 0), extra (commands before run).
function lammps.input(opts)
  local lines = {
    "units metal",
    "atom_style full",
    "boundary p p p",
    "bond_style harmonic",
    "angle_style charmm",
    "dihedral_style charmm",
    "improper_style cvff",
    "read_data " .. opts.data,
    lammps.forcefield_commands(opts.forcefield, opts.system, opts),
    "compute vf_lj all pair lj/cut",
    "compute vf_morse all pair morse",
    "thermo_style custom step pe ebond eangle edihed eimp evdwl ecoul elong etail c_vf_lj c_vf_morse press pxx pyy pzz pxy pxz pyz",
    "thermo_modify format float %.15g",
  }
  if opts.dump then
    lines[#lines + 1] = "dump vf_forces all custom 1 " .. opts.dump .. " id fx fy fz"
    lines[#lines + 1] = "dump_modify vf_forces format float %.15g sort id"
  end
  if opts.extra then lines[#lines + 1] = opts.extra end
  lines[#lines + 1] = "run " .. tostring(opts.run or 0)
  return table.concat(lines, "\n") .. "\n"
end

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Runs LAMMPS on an input text inside dir; returns the log text. opts.np > 1 runs
-- under mpirun. Raises with the end of the log when LAMMPS fails.
function lammps.run(input, dir, opts)
  opts = opts or {}
  local inpath, logpath = dir .. "/in.lammps", dir .. "/log.lammps"
  local f = assert(io.open(inpath, "w"))
  f:write(input)
  f:close()
  local cmd = string.format("cd %s && %s %s -in in.lammps -log log.lammps -screen none",
    shell_quote(dir),
    (opts.np or 1) > 1 and string.format("mpirun --allow-run-as-root --oversubscribe -np %d", opts.np) or "",
    lammps.executable)
  if opts.env then cmd = opts.env .. " " .. cmd end
  local ok = os.execute(cmd)
  local lf = io.open(logpath, "r")
  local log = lf and lf:read("a") or ""
  if lf then lf:close() end
  if not ok then
    util.raise("LAMMPS failed (" .. cmd .. "):\n" .. log:sub(-2000))
  end
  return log
end

-- Thermo rows of the last run in a log: array of {column = value}.
function lammps.thermo(log)
  local rows, header = {}, nil
  for line in log:gmatch("[^\n]+") do
    if line:match("^%s*Step%s") then
      header, rows = {}, {}
      for w in line:gmatch("%S+") do header[#header + 1] = w end
    elseif header and line:match("^%s*Loop time") then
      header = nil
    elseif header then
      local row, k = {}, 0
      for w in line:gmatch("%S+") do
        k = k + 1
        row[header[k]:lower()] = tonumber(w)
      end
      if k == #header and row.step then rows[#rows + 1] = row end
    end
  end
  return rows
end

-- Per-atom vectors from a custom dump with columns id a b c: {[id] = {a, b, c}}.
function lammps.read_dump(path)
  local out, reading = {}, false
  for line in io.lines(path) do
    if line:match("^ITEM: ATOMS") then
      reading = true
    elseif line:match("^ITEM:") then
      reading = false
    elseif reading then
      local id, a, b, c = line:match("^%s*(%d+)%s+(%S+)%s+(%S+)%s+(%S+)")
      out[tonumber(id)] = { tonumber(a), tonumber(b), tonumber(c) }
    end
  end
  return out
end

-- The LAMMPS summary lines of a run ("Loop time of ...", "Performance: ...").
function lammps.performance(log)
  local loop = log:match("Loop time of [^\n]+")
  local perf = log:match("Performance: [^\n]+")
  local nsday = perf and tonumber(perf:match("([%d%.eE+-]+) ns/day"))
  local steps_per_s = perf and tonumber(perf:match("([%d%.eE+-]+) timesteps/s"))
  local seconds = loop and tonumber(loop:match("Loop time of ([%d%.eE+-]+)"))
  return { loop = loop, performance = perf, ns_per_day = nsday, steps_per_second = steps_per_s,
           seconds = seconds }
end

return lammps
