-- NPT throughput, reported the way LAMMPS reports it, so the two can be set side by
-- side (bench/compare.sh does): MTK NPT at 300 K and 1 bar, dt 0.5 fs, Tdamp 0.05 ps,
-- Pdamp 0.5 ps, isotropic, the force field's 13 Å cut-offs.
--   vitrify bench/npt.lua data=FILE steps=N [threads=T] [kspace=pppm] [accuracy=1e-5]
--                         [coulomb_cutoff=A] [skin=A] [prune_buffer=A] [kernel=cluster] [precision=double]
--                         [order=5] [warmup=20]
--                         [seed=12345]
-- data is a LAMMPS data file or a built cell such as build:zni:2x2x4 (bench/cells.lua).
-- Velocities are drawn at 300 K and the run is warmed up untimed (neighbour lists,
-- k-vectors, first-touch memory); then N steps are timed and printed as LAMMPS's
-- "Loop time ..." and "Performance: ..." lines, with the section table when the
-- engine keeps section timers, and the peak resident memory.
local vitrify = require "vitrify"
package.path = vitrify.home .. "/bench/?.lua;" .. package.path
local cells = require "cells"
local profile = require "vitrify.profile"

local data = params.data or error("bench/npt.lua needs data=FILE (or data=build:zni:2x2x4)")
local steps = math.tointeger(params.steps) or error("bench/npt.lua needs steps=N (a whole number)")
local warmup = math.tointeger(params.warmup or 20)
local threads = math.tointeger(params.threads or vitrify.threads())
local dt_fs = 0.5

vitrify.threads(threads)
local sys = vitrify.read(cells.path(data))
local ff_opts = { kspace = params.kspace or "pppm", accuracy = params.accuracy or 1e-5 }
-- Only passed when asked for, so the force field's own defaults stay the default.
for _, key in ipairs{ "coulomb_cutoff", "skin", "prune_buffer", "kernel", "precision" } do ff_opts[key] = params[key] end
ff_opts.order = params.order and (math.tointeger(params.order) or params.order) -- checked by the force field
local ff = vitrify.nbzifff(ff_opts)
local md = vitrify.dynamics{ system = sys, forcefield = ff, ensemble = "npt", T = 300, P = 1,
  dt_fs = dt_fs, tdamp_ps = 0.05, pdamp_ps = 0.5, seed = math.tointeger(params.seed or 12345),
  quiet = true, checkpoint_every = 0, thermo_every = math.max(warmup, 1) }
md:velocities{ T = 300 }
md:run{ steps = warmup }

-- The timed steps go straight to the integrator: a new dynamics stage would start
-- with a set-up force evaluation, which LAMMPS's loop time does not include either.
local prof = profile.start(ff:evaluator(sys))
local T0, P0 = { from = 300, to = 300, total = steps }, { from = 1, to = 1, total = steps }
md.integrator:run(steps, T0, P0)
local report = prof:report{ steps = steps, dt_fs = dt_fs, natoms = sys:natoms(), threads = threads }

local th = md.integrator:thermo()
local info = ff:evaluator(sys):info()
print(string.format("vitrify NPT: %d steps after %d warm-up, dt %g fs, %s accuracy %g order %s, real-space Coulomb cut %g Å, kernel %s (%s), T %.1f K, P %.1f bar, V %.1f Å³",
  steps, warmup, dt_fs, ff_opts.kspace, ff_opts.accuracy, info.order or ff_opts.order or "default", info.cutoffs.coul, info.kernel, info.precision, th.T, th.P, th.V))
print(report)
if info.prunes then
  print(string.format("Lists: %d builds, %d prunes; %d cluster pairs (%d before pruning)",
    info.neighbor_builds, info.prunes, info.cluster_pairs, info.outer_cluster_pairs))
end

-- Peak resident memory of this process (the whole run, set-up included).
local status = io.open("/proc/self/status", "r")
local hwm = status and status:read("a"):match("VmHWM:%s*(%d+) kB")
if status then status:close() end
if hwm then print(string.format("\nPeak resident memory: %.1f MB (VmHWM)", tonumber(hwm) / 1024)) end
