-- Per-term nb-ZIF-FF energies, forces and pressure of one structure.
--   vitrify recipes/energy.lua [data=FILE] [accuracy=1e-8] [xyz=OUT.xyz]
local vitrify = require "vitrify"

local data = params.data or vitrify.home .. "/structures/ZIF-zni_nbzifff_1600.data"
local xyz = params.xyz or "energy.xyz"

local sys = vitrify.read(data)
local ff = vitrify.nbzifff{ accuracy = params.accuracy or 1e-8 }

local t0 = vitrify.wtime()
local e = ff:energy(sys)
local elapsed = vitrify.wtime() - t0
local p = ff:pressure(sys)

print(string.format("%s: %d atoms, box %.4f x %.4f x %.4f Å, %.4f g/cm³", data, sys:natoms(),
  sys:box().lx, sys:box().ly, sys:box().lz, sys:density()))
print(string.format("%-12s %20s", "term", "energy (eV)"))
for _, term in ipairs{ "bond", "angle", "dihedral", "improper", "lj", "morse", "tail",
                       "coul_real", "coul_kspace", "total" } do
  print(string.format("%-12s %20.10f", term, e[term]))
end
print(string.format("pressure (bar): %.3f  [xx %.3f yy %.3f zz %.3f xy %.3f xz %.3f yz %.3f]",
  p.scalar, p.xx, p.yy, p.zz, p.xy, p.xz, p.yz))
local fmax = 0
for i = 1, sys:natoms() do
  local fx, fy, fz = sys:force(i)
  fmax = math.max(fmax, math.sqrt(fx * fx + fy * fy + fz * fz))
end
print(string.format("largest force: %.4f eV/Å; evaluation took %.3f s on %d threads", fmax, elapsed,
  vitrify.threads()))
vitrify.write(sys, xyz)
print("wrote " .. xyz)
