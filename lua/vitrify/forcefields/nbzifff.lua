-- nb-ZIF-FF: the non-bonded force field for zeolitic imidazolate frameworks.
-- S. R. G. Balestra and R. Semino, J. Chem. Phys. 157, 184502 (2022);
-- as used for ZIF-4 and ZIF-zni by E. Méndez and R. Semino, J. Mater. Chem. A 12,
-- 4572 (2024).
--
-- Units (LAMMPS metal): energy eV, length Å, angles degrees, charge e, mass g/mol.
-- Type names are the authors': C4 is the ring carbon between the two N, C2 the two
-- backbone carbons, He the four cationic dummy sites around each Zn (0.9 Å away),
-- Ne the anionic dummy site on each N (0.5 Å, in the ring plane). He and Ne are
-- massive dummy sites, not elements.
--
-- The Zn–N coordination bond is non-bonded: a Morse core between Zn and N1 plus the
-- Coulomb attraction of Zn/He to Ne, so it breaks and re-forms freely. There is no
-- LJ between Zn and N1, and dummy sites meet real atoms by Coulomb only. The LJ cross
-- pairs are the authors' explicit values (Lorentz–Berthelot of the like pairs,
-- rounded as in their LAMMPS input).
return {
  name = "nb-ZIF-FF",
  reference = "S. R. G. Balestra and R. Semino, J. Chem. Phys. 157, 184502 (2022)",
  units = { energy = "eV", length = "Å", angle = "degree", charge = "e", mass = "g/mol" },

  types = {
    { name = "Zn", element = "Zn", mass = 64.3720551, charge = 0.3536,   role = "zinc core" },
    { name = "C4", element = "C",  mass = 12.0107002, charge = 0.27708,  role = "N–C–N ring carbon" },
    { name = "N1", element = "N",  mass = 12.9987593, charge = 0.0,      role = "imidazolate N" },
    { name = "C2", element = "C",  mass = 12.0107002, charge = -0.0662,  role = "backbone ring carbon" },
    { name = "H4", element = "H",  mass = 1.0079401,  charge = 0.1141,   role = "H on C4" },
    { name = "H2", element = "H",  mass = 1.0079401,  charge = 0.1141,   role = "H on C2" },
    { name = "He", element = "He", mass = 1.0079401,  charge = 0.0884,   role = "Zn dummy site (four per Zn, 0.9 Å)" },
    { name = "Ne", element = "Ne", mass = 1.0079401,  charge = -0.4203,  role = "N dummy site (0.5 Å, external C–N–C bisector)" },
  },

  styles = { bond = "harmonic", angle = "charmm", dihedral = "charmm", improper = "cvff" },

  -- LJ 12-6, E = 4ε[(σ/r)^12 − (σ/r)^6]: { type, type, ε (eV), σ (Å) }
  lj = {
    cutoff = 13.0,
    tail = true,
    pairs = {
      { "Zn", "Zn", 0.0005422176, 1.96 },
      { "Zn", "C4", 0.0014222868, 2.680000050 },
      { "Zn", "C2", 0.0014222868, 2.680000050 },
      { "Zn", "H4", 0.0006009159, 2.230000000 },
      { "Zn", "H2", 0.0005939696, 2.235000000 },
      { "C4", "C4", 0.0037307908, 3.40000010 },
      { "C4", "N1", 0.0052456458, 3.325000050 },
      { "C4", "C2", 0.0037307908, 3.400000100 },
      { "C4", "H4", 0.0015762931, 2.950000050 },
      { "C4", "H2", 0.0015581720, 2.955000050 },
      { "N1", "N1", 0.0073755948, 3.25 },
      { "N1", "C2", 0.0052456458, 3.325000050 },
      { "N1", "H4", 0.0022163257, 2.875 },
      { "N1", "H2", 0.0021908902, 2.880 },
      { "C2", "C2", 0.0037307908, 3.40000010 },
      { "C2", "H4", 0.0015762931, 2.950000050 },
      { "C2", "H2", 0.0015581720, 2.955000050 },
      { "H4", "H4", 0.0006659579, 2.50 },
      { "H4", "H2", 0.0006583312, 2.505 },
      { "H2", "H2", 0.0006507687, 2.51 },
      { "He", "He", 1.001e-7, 1.0 },
      { "He", "Ne", 1.001e-7, 1.0 },
      { "Ne", "Ne", 1.001e-7, 1.0 },
    },
  },

  -- Morse, E = D0[e^{−2α(r−r0)} − 2e^{−α(r−r0)}], unshifted: { type, type, D0 (eV), α (1/Å), r0 (Å) }
  morse = {
    cutoff = 13.0,
    pairs = { { "Zn", "N1", 0.0401012653, 2.0, 2.735 } },
  },

  coulomb = { cutoff = 13.0, kspace = "ewald", accuracy = 1e-8 },

  -- Scale factors for 1-2, 1-3, 1-4 partners along bonds.
  special = { lj = { 0.0, 0.0, 0.5 }, coul = { 0.0, 0.0, 0.6874 } },

  -- Bonded terms by type names, as in the authors' data file.
  --   bond harmonic     E = K (r − r0)²                         { K (eV/Å²), r0 (Å) }
  --   angle charmm      E = K (θ − θ0)² + K_UB (r13 − r_UB)²      { K (eV/rad²), θ0, K_UB (eV/Å²), r_UB }
  --   dihedral charmm   E = K [1 + cos(nφ − d)], 1-4 weight 0     { K (eV), n, d (deg), 0 }
  --   improper cvff     E = K [1 + d cos(nφ)]                     { K (eV), d, n }
  -- The dummy tetrahedron's dihedrals and impropers have zero amplitude; they are
  -- kept so that counts match the authors' files.
  bonded = {
    bond = {
      { { "Zn", "He" }, { 23.4144001, 0.899999976 } },
      { { "C4", "H4" }, { 16.0323601, 1.08800006 } },
      { { "C4", "N1" }, { 14.6235933, 1.35500002 } },
      { { "N1", "C2" }, { 12.5592232, 1.38600004 } },
      { { "N1", "Ne" }, { 23.4144001, 0.5 } },
      { { "C2", "C2" }, { 17.4445953, 1.37699997 } },
      { { "C2", "H2" }, { 16.0323601, 1.08800006 } },
      { { "He", "He" }, { 23.4144001, 1.47000003 } },
    },
    angle = {
      { { "He", "Zn", "He" }, { 2.3848000, 109.5, 0.0, 0.0 } },
      { { "H4", "C4", "N1" }, { 1.6940751, 124.1969986, 0.8858448, 2.1600001 } },
      { { "N1", "C4", "N1" }, { 1.4022623, 111.1689987, 4.6555634, 2.2360001 } },
      { { "C2", "N1", "C4" }, { 2.0088689, 106.2519989, 4.8411441, 2.1930001 } },
      { { "C2", "N1", "Ne" }, { 0.4925696, 126.9499969, 0.0, 0.0 } },
      { { "C4", "N1", "Ne" }, { 0.6256848, 126.8499985, 0.0, 0.0 } },
      { { "N1", "C2", "C2" }, { 1.4560288, 107.9950027, 4.2948079, 2.2349999 } },
      { { "N1", "C2", "H2" }, { 1.3693087, 121.3170013, 0.8858448, 2.1600001 } },
      { { "C2", "C2", "H2" }, { 1.5175999, 130.0339966, 0.6408608, 2.2360001 } },
      { { "Zn", "He", "He" }, { 2.3848000, 35.25, 0.0, 0.0 } },
      { { "He", "He", "He" }, { 2.3848000, 60.0, 0.0, 0.0 } },
    },
    dihedral = {
      { { "Zn", "He", "He", "He" }, { 0.0, 2, 53, 0.0 } },
      { { "C4", "N1", "C2", "C2" }, { 0.2879104, 2, 180, 0.0 } },
      { { "C4", "N1", "C2", "H2" }, { 0.1582640, 2, 180, 0.0 } },
      { { "N1", "C2", "C2", "N1" }, { 0.6647088, 2, 180, 0.0 } },
      { { "N1", "C2", "C2", "H2" }, { 0.1539280, 2, 180, 0.0 } },
      { { "N1", "C4", "N1", "C2" }, { 0.4669872, 2, 180, 0.0 } },
      { { "N1", "C4", "N1", "Ne" }, { 0.0266230, 2, 180, 0.0 } },
      { { "C2", "N1", "C4", "H4" }, { 0.1578304, 2, 180, 0.0 } },
      { { "C2", "C2", "N1", "Ne" }, { 0.0613978, 2, 180, 0.0 } },
      { { "H4", "C4", "N1", "Ne" }, { 0.0098427, 2, 180, 0.0 } },
      { { "H2", "C2", "N1", "Ne" }, { 0.0457882, 2, 180, 0.0 } },
      { { "H2", "C2", "C2", "H2" }, { 0.0147424, 2, 180, 0.0 } },
      { { "He", "Zn", "He", "He" }, { 0.0, 2, 120, 0.0 } },
      { { "He", "He", "He", "He" }, { 0.0, 2, 70, 0.0 } },
    },
    improper = {
      { { "Zn", "He", "He", "He" }, { 0.0, -1, 2 } },
      { { "C4", "H4", "N1", "N1" }, { 0.1517600, -1, 2 } },
      { { "N1", "C2", "C4", "Ne" }, { 0.1517600, -1, 2 } },
      { { "C2", "N1", "C2", "H2" }, { 0.0, -1, 2 } },
      { { "He", "Zn", "He", "He" }, { 0.0, -1, 2 } },
      { { "He", "He", "He", "He" }, { 0.0, -1, 2 } },
    },
  },

  -- What vitrify.build needs to make an nb-ZIF-FF system from a crystal structure
  -- (src/zif_perceive.h, src/nbzifff_build.h): the type of each site it perceives, and
  -- where the dummy sites go. Distances in Å.
  build = {
    sites = {
      zn = "Zn",
      n = "N1",             -- imidazolate N
      c_between_n = "C4",   -- ring C between the two N
      c_backbone = "C2",    -- the two backbone ring C
      h_between_n = "H4",   -- H on C4
      h_backbone = "H2",    -- H on C2
      zn_dummy = "He",      -- four per Zn
      n_dummy = "Ne",       -- one per N
    },
    zn_dummy_distance = 0.9, -- from Zn towards each of its four N (= the Zn–He r0)
    n_dummy_distance = 0.5,  -- from N (= the N1–Ne r0)
    -- "bisector": in the ring plane on the external bisector of the C–N–C angle, as the
    -- paper describes it (and where the C–N–Ne angle terms hold it); "toward_zn": on
    -- the line from N to its Zn, as the authors' builder (pdb2cif) puts it.
    n_dummy_placement = "bisector",
  },

  -- The authors' protocol settings, for recipes that want them.
  protocol = { timestep_fs = 0.5, timestep_hot_fs = 0.25, hot_above_K = 700,
               tdamp_steps = 100, pdamp_steps = 1000, pressure_bar = 1.0, skin = 2.0 },
}
