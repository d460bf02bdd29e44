-- The quick start: ZIF-zni (64 Zn, 1600 particles) relaxed, equilibrated at 300 K and
-- 1 bar, then heated to 600 K, with thermodynamics plotted. A few minutes on 2 cores.
--   vitrify recipes/quickstart.lua [out=out/quickstart] [hold_ps=2] [ramp_ps=3]
--                                  [T_high=600] [restart=out/quickstart/md.ckpt]
local vitrify = require "vitrify"

local out = params.out or "out/quickstart"
local hold_ps = params.hold_ps or 2
local ramp_ps = params.ramp_ps or 3
local T_high = params.T_high or 600
os.execute("mkdir -p '" .. out .. "'")

local sys = vitrify.read(vitrify.home .. "/structures/ZIF-zni_nbzifff_1600.data")
local ff = vitrify.nbzifff{ accuracy = 1e-6 }

if not params.restart then
  -- The authors' cell is far from equilibrium (PE +10 eV): relax atoms in the fixed cell.
  local m = vitrify.minimize(sys, ff, { ftol = 0.02 })
  print(string.format("minimised: %.3f eV -> %.3f eV in %d iterations (%s)", m.energy_initial,
    m.energy, m.iterations, m.reason))
end

local md = vitrify.dynamics{
  system = sys, forcefield = ff, ensemble = "npt", barostat = "iso", T = 300, P = 1.0,
  output = out .. "/md", thermo_every = 100, checkpoint_every = 1000,
  trajectory = { every = 1000 }, restart = params.restart, overwrite = params.overwrite,
}
md:velocities{ T = 300, seed = 42 }
md:hold{ ps = hold_ps }
md:ramp{ to = T_high, ps = ramp_ps }
md:close()

local dat = out .. "/md.thermo.dat"
local figures = {
  (vitrify.plot{ data = dat, output = out .. "/volume_vs_T.png", x = "T", y = "V",
                title = "ZIF-zni: volume on heating", with = "points" }),
  (vitrify.plot{ data = dat, output = out .. "/energy_vs_T.png", x = "T", y = "PE",
                title = "ZIF-zni: potential energy on heating", with = "points" }),
  (vitrify.plot{ data = dat, output = out .. "/temperature_vs_time.png", x = "time",
                y = { "T", "T_target" }, ylabel = "T (K)", title = "temperature" }),
  (vitrify.plot{ data = dat, output = out .. "/pressure_vs_time.png", x = "time",
                y = { "P", "P_target" }, ylabel = "P (bar)", title = "pressure" }),
}
vitrify.write(sys, out .. "/final.data")
print("\noutputs in " .. out .. "/:")
print("  md.thermo.dat         thermodynamics every 100 steps (columns named in its header)")
print("  md.xyz                trajectory every 1000 steps (extended XYZ, OVITO/ASE)")
print("  md.ckpt               checkpoint (continue with restart=" .. out .. "/md.ckpt)")
print("  final.data            last configuration (LAMMPS data file)")
for _, f in ipairs(figures) do print("  " .. f:match("[^/]+$") .. "  (and its .gp script)") end
