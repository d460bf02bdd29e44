/* simd_test_width.h — the per-width part of test_simd.c: included once for each
 * VF_W after simd_math.h, it defines VF(check_blocks), the checks of the simd.h
 * helpers at that width. */

static VF_TARGET void VF(check_blocks)(void) {
  double a[VF_W], out[VF_W + 1];
  int idx[VF_W];
  for (int i = 0; i < VF_W; i++) {
    a[i] = 1.5 * (i + 1);
    idx[i] = VF_W - 1 - i;
  }
  const vf_d va = VF(loadu)(a), lane = VF(iota)();
  for (int i = 0; i < VF_W; i++) {
    CHECK(lane[i] == i && va[i] == a[i], "w%d: iota/loadu lane %d", VF_W, i);
    CHECK(VF(set1)(-0.0)[i] == 0 && signbit(VF(set1)(-0.0)[i]), "w%d: set1(-0)", VF_W);
    CHECK(VF(gather)(a, idx)[i] == a[VF_W - 1 - i], "w%d: gather lane %d", VF_W, i);
    CHECK(VF(abs)(-va)[i] == a[i], "w%d: abs", VF_W);
  }
  _Alignas(8 * VF_W) double aligned[VF_W];
  VF(store)(aligned, va);
  CHECK(memcmp(aligned, a, sizeof aligned) == 0, "w%d: aligned store", VF_W);
  CHECK(VF(hsum)(VF(load)(aligned) - va) == 0, "w%d: aligned load", VF_W);
  /* Sum of 1.5 (1 + ... + W): exact, whatever the tree. */
  CHECK(VF(hsum)(va) == 0.75 * VF_W * (VF_W + 1), "w%d: hsum %g", VF_W, VF(hsum)(va));

  /* Partial blocks touch only their n lanes. */
  for (int n = 0; n < VF_W; n++) {
    const vf_d p = VF(load_partial)(a, n, -1.0);
    for (int i = 0; i <= VF_W; i++) out[i] = 7.0;
    VF(store_partial)(out, p, n);
    for (int i = 0; i < VF_W; i++) {
      CHECK(p[i] == (i < n ? a[i] : -1.0), "w%d: load_partial n %d lane %d", VF_W, n, i);
      CHECK(out[i] == (i < n ? a[i] : 7.0), "w%d: store_partial n %d lane %d", VF_W, n, i);
      CHECK(VF(first_n)(n)[i] == (i < n ? -1 : 0), "w%d: first_n", VF_W);
    }
    CHECK(VF(any)(VF(first_n)(n)) == (n > 0), "w%d: any of first %d", VF_W, n);
    CHECK(VF(all)(VF(first_n)(n)) == 0, "w%d: all of first %d", VF_W, n);
  }
  CHECK(VF(all)(VF(first_n)(VF_W)), "w%d: all", VF_W);

  /* Comparisons give masks; select picks by them; min/max return the second
   * operand for NaN. */
  const vf_d half = VF(set1)(0.5 * (VF_W + 1) * 1.5);
  const vf_d sel = VF(select)(va < half, va, -va);
  const vf_d nan = VF(set1)(NAN);
  for (int i = 0; i < VF_W; i++) {
    CHECK(sel[i] == (a[i] < half[i] ? a[i] : -a[i]), "w%d: select lane %d", VF_W, i);
    CHECK(VF(min)(va, half)[i] == fmin(a[i], half[i]), "w%d: min", VF_W);
    CHECK(VF(max)(va, half)[i] == fmax(a[i], half[i]), "w%d: max", VF_W);
    CHECK(isnan(VF(min)(va, nan)[i]) && isnan(VF(max)(va, nan)[i]), "w%d: min/max keep NaN", VF_W);
    CHECK(VF(min)(nan, va)[i] == a[i], "w%d: min(NaN, a) = a", VF_W);
  }

  /* Fused exactly when VF_FUSED: (1 + 2^-30)^2 - (1 + 2^-29) = 2^-60. */
  const vf_d u = VF(set1)(1 + 0x1p-30);
  const double fused = VF(fma)(u, u, VF(set1)(-(1 + 0x1p-29)))[0];
  CHECK(fused == (VF_FUSED ? 0x1p-60 : 0.0), "w%d: fma fused %d gives %g", VF_W, VF_FUSED, fused);

  /* sqrt correctly rounded, with the IEEE specials; rcp and rsqrt by division. */
  const double sq_in[] = {2.0, 1e-300, 5e-324, 0.0, -0.0, INFINITY, -1.0, 0.7};
  for (int k = 0; k < (int)(sizeof sq_in / sizeof *sq_in); k++) {
    const vf_d v = VF(set1)(sq_in[k]);
    const double want = sqrt(sq_in[k]), got = VF(sqrt)(v)[0];
    CHECK(got == want ? signbit(got) == signbit(want) : isnan(got) && isnan(want),
          "w%d: sqrt(%g) = %g, want %g", VF_W, sq_in[k], got, want);
    if (sq_in[k] > 0) {
      CHECK(VF(rcp)(v)[0] == 1.0 / sq_in[k], "w%d: rcp(%g)", VF_W, sq_in[k]);
      CHECK(VF(rsqrt)(v)[0] == 1.0 / want, "w%d: rsqrt(%g)", VF_W, sq_in[k]);
    }
  }

  /* ewald_force's 1/r^2 (the LJ term's) to a few ulp, and both Ewald terms at g != 1
   * the same as at g = 1 with r scaled (what the sweeps in test_simd.c check). */
  const vf_d r2 = va * va * 0.3, g = VF(set1)(0.27);
  vf_d inv_r2, unused;
  const vf_d force = VF(ewald_force)(r2, 0.27, &inv_r2), energy = VF(ewald_energy)(r2, 0.27);
  const vf_d force_g1 = VF(ewald_force)(r2 * g * g, 1.0, &unused);
  const vf_d energy_g1 = VF(ewald_energy)(r2 * g * g, 1.0);
  for (int i = 0; i < VF_W; i++) {
    CHECK(fabs(inv_r2[i] * r2[i] - 1) <= 5e-16, "w%d: ewald_force 1/r2 = %.17g for r2 %.17g",
          VF_W, inv_r2[i], r2[i]);
    CHECK(fabs(force[i] - force_g1[i] * g[i] * g[i] * g[i]) <= 1e-14 * force[i],
          "w%d: ewald_force(%g) = %.17g", VF_W, r2[i], force[i]);
    CHECK(fabs(energy[i] - energy_g1[i] * g[i]) <= 1e-14 * energy[i],
          "w%d: ewald_energy(%g) = %.17g", VF_W, r2[i], energy[i]);
  }
}
