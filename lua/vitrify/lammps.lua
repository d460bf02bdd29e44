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
-- harmonic, charmm, charmm, cvff; hybrid/overlay lj/cut + coul/long + morse, each
-- term apart for the per-term cross-checks, Coulomb computed without tables).
-- opts.fast gives the same force field as LAMMPS runs it fastest, for benchmarks:
-- LJ and Coulomb in one pair loop (lj/cut/coul/long; ε = 0 for the type pairs without
-- LJ), LAMMPS's default Coulomb tables, and the OPT package's styles where it has them.
function lammps.forcefield_commands(ff, sys, opts)
  opts = opts or {}
  local spec = ff:spec(sys)
  local p = ff.params
  local lines = {}
  local function add(...) lines[#lines + 1] = table.concat({ ... }, " ") end
  local lj_style = opts.fast and "lj/cut/coul/long" or "lj/cut"
  if opts.fast then
    add("suffix opt")
    add("pair_style hybrid/overlay lj/cut/coul/long", fmt(spec.cut_lj), fmt(spec.cut_coul),
      "morse", fmt(spec.cut_morse))
    add("pair_coeff * * lj/cut/coul/long 0 1")
  else
    add("pair_style hybrid/overlay lj/cut", fmt(spec.cut_lj), "coul/long", fmt(spec.cut_coul),
      "morse", fmt(spec.cut_morse))
    add("pair_coeff * * coul/long")
  end
  for _, r in ipairs(spec.morse) do
    add("pair_coeff", math.min(r[1], r[2]), math.max(r[1], r[2]), "morse", fmt(r[3]), fmt(r[4]), fmt(r[5]))
  end
  local seen = {}
  for _, r in ipairs(spec.lj) do
    local a, b = math.min(r[1], r[2]), math.max(r[1], r[2])
    if not seen[a .. ":" .. b] then
      seen[a .. ":" .. b] = true
      add("pair_coeff", a, b, lj_style, fmt(r[3]), fmt(r[4]))
    end
  end
  add("pair_modify tail", spec.tail and "yes" or "no", opts.fast and "table 12" or "table 0")
  add("special_bonds lj", table.concat(p.special.lj, " "), "coul", table.concat(p.special.coul, " "))
  local kspace = opts.kspace or spec.kspace
  if kspace ~= "none" then
    add("kspace_style", kspace, fmt(opts.accuracy or spec.accuracy))
    local modify = {}
    local g = opts.g_ewald or spec.g_ewald
    if g then modify[#modify + 1] = "gewald " .. fmt(g) end
    if kspace == "pppm" then
      -- vitrify's PPPM differentiates analytically; LAMMPS's default is ik
      -- (opts.diff = "ik" asks for that).
      modify[#modify + 1] = "diff " .. (opts.diff or "ad")
      local mesh = opts.mesh or spec.mesh
      if mesh then modify[#modify + 1] = string.format("mesh %d %d %d", mesh[1], mesh[2], mesh[3]) end
      local order = opts.order or spec.order
      if order then modify[#modify + 1] = "order " .. order end
    end
    if #modify > 0 then add("kspace_modify", table.concat(modify, " ")) end
  end
  add("neighbor", fmt(spec.skin), "bin")
  return table.concat(lines, "\n")
end

-- Units, styles, the data file and the force field: the start of every input.
function lammps.setup_lines(opts)
  return {
    "units metal",
    "atom_style full",
    "boundary p p p",
    "bond_style harmonic",
    "angle_style charmm",
    "dihedral_style charmm",
    "improper_style cvff",
    "read_data " .. opts.data,
    lammps.forcefield_commands(opts.forcefield, opts.system, opts),
  }
end

-- A complete input: read the data file, set the force field, print every term.
-- opts: data (path, required), forcefield, system, kspace, accuracy, dump (path for
-- per-atom forces), run (steps, default 0), extra (commands before run).
-- opts.coulomb_only keeps Coulomb alone (pair coul/long at the force field's
-- real-space cut-off and the kspace style; no LJ, Morse or bonded terms). With
-- opts.fast (forcefield_commands) the thermo output has no separate LJ and Morse.
function lammps.input(opts)
  local lines = lammps.setup_lines(opts)
  local thermo = "thermo_style custom step pe ebond eangle edihed eimp evdwl ecoul elong etail"
  if opts.coulomb_only then
    local cut = fmt(opts.forcefield:spec(opts.system).cut_coul)
    lines[#lines + 1] = "pair_style coul/long " .. cut .. "\npair_coeff * *\npair_modify table " ..
      (opts.fast and "12" or "0")
    for _, kind in ipairs{ "bond", "angle", "dihedral", "improper" } do
      lines[#lines + 1] = string.format("%s_style zero\n%s_coeff *", kind, kind)
    end
  elseif not opts.fast then
    lines[#lines + 1] = "compute vf_lj all pair lj/cut"
    lines[#lines + 1] = "compute vf_morse all pair morse"
    thermo = thermo .. " c_vf_lj c_vf_morse"
  end
  lines[#lines + 1] = thermo .. " press pxx pyy pzz pxy pxz pyz"
  lines[#lines + 1] = "thermo_modify format float %.15g"
  if opts.dump then
    lines[#lines + 1] = "dump vf_forces all custom 1 " .. opts.dump .. " id fx fy fz"
    lines[#lines + 1] = "dump_modify vf_forces format float %.15g sort id"
  end
  if opts.extra then lines[#lines + 1] = opts.extra end
  lines[#lines + 1] = "run " .. tostring(opts.run or 0)
  return table.concat(lines, "\n") .. "\n"
end

-- NPT (Nosé–Hoover, MTK, isotropic) as vitrify's benchmark runs it: velocities at T,
-- an untimed warm-up run, then the timed run whose "Loop time" and "Performance"
-- lines lammps.performance reads. opts: data, forcefield, system, kspace, accuracy as
-- for lammps.input; steps, warmup (steps), T (K, 300), P (bar, 1), dt_fs (0.5),
-- tdamp_ps (0.05), pdamp_ps (0.5), seed.
function lammps.npt_input(opts)
  local T, P = opts.T or 300, opts.P or 1
  local lines = lammps.setup_lines(opts)
  for _, line in ipairs{
    string.format("timestep %.10g", (opts.dt_fs or 0.5) / 1000),
    string.format("velocity all create %.10g %d dist gaussian mom yes rot no", T, opts.seed or 12345),
    string.format("fix vf_md all npt temp %.10g %.10g %.10g iso %.10g %.10g %.10g", T, T,
      opts.tdamp_ps or 0.05, P, P, opts.pdamp_ps or 0.5),
    "thermo 0",
    "run " .. (opts.warmup or 0),
    "run " .. opts.steps,
  } do lines[#lines + 1] = line end
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

-- The LAMMPS summary lines of the last run in a log ("Loop time of ...",
-- "Performance: ...").
function lammps.performance(log)
  local loop, perf
  for line in log:gmatch("Loop time of [^\n]+") do loop = line end
  for line in log:gmatch("Performance: [^\n]+") do perf = line end
  local nsday = perf and tonumber(perf:match("([%d%.eE+-]+) ns/day"))
  local steps_per_s = perf and tonumber(perf:match("([%d%.eE+-]+) timesteps/s"))
  local seconds = loop and tonumber(loop:match("Loop time of ([%d%.eE+-]+)"))
  return { loop = loop, performance = perf, ns_per_day = nsday, steps_per_second = steps_per_s,
           seconds = seconds }
end

return lammps
