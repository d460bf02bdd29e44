-- Writes the LAMMPS input of the run bench/npt.lua makes (same data file, styles,
-- cut-offs and NPT settings; vitrify.lammps.npt_input), for bench/compare.sh:
--   vitrify bench/lammps_npt.lua data=FILE steps=N out=in.lammps [warmup=20]
--                                [kspace=pppm] [accuracy=1e-5] [styles=fast]
-- styles=fast (the default) gives LAMMPS its fastest styles for the same force field
-- (vitrify.lammps.forcefield_commands); styles=plain the per-term cross-check styles.
local vitrify = require "vitrify"
local lammps = require "vitrify.lammps"
package.path = vitrify.home .. "/bench/?.lua;" .. package.path
local cells = require "cells"

local data = cells.path(params.data or error("bench/lammps_npt.lua needs data=FILE"))
-- LAMMPS runs in its own folder: give it an absolute path.
if data:sub(1, 1) ~= "/" then data = os.getenv("PWD") .. "/" .. data end
local sys = vitrify.read(data)
local input = lammps.npt_input{ data = data, system = sys, forcefield = vitrify.nbzifff{},
  kspace = params.kspace or "pppm", accuracy = params.accuracy or 1e-5,
  -- LAMMPS's own default PPPM (ik differentiation), as users run it.
  diff = params.diff or "ik",
  fast = (params.styles or "fast") == "fast",
  steps = math.tointeger(params.steps) or error("bench/lammps_npt.lua needs steps=N"),
  warmup = math.tointeger(params.warmup or 20), seed = math.tointeger(params.seed or 12345) }
local f = assert(io.open(params.out or error("bench/lammps_npt.lua needs out=PATH"), "w"))
f:write(input)
f:close()
