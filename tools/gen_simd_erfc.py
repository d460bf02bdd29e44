#!/usr/bin/env python3
"""Writes src/simd_erfc_coeffs.h: the coefficients of the vectorised math in
src/simd_math.h, both minimax (Remez) fits in relative error, made with mpmath.

erfc: erfcx(x) = erfc(x) exp(x^2) ~ P(x)/Q(x) on [0, XMAX], P and Q of degree
      ERFC_M and ERFC_N, Q(0) = 1. One rational in x instead of a table of segments:
      SIMD lanes need no gather, and the one division can be shared with the
      kernel's 1/r. The coefficients of P and Q come out (almost all) positive, so
      Horner on x >= 0 has no cancellation. (7,7) is the least for 1e-13 with
      margin: 3.2e-14, where (6,7) gives 1.3e-13 and (7,6) 9e-13.
exp:  e^r ~ 1 + r + r^2 q(r) on |r| <= ln2/2 (after Cody-Waite reduction),
      q of degree EXP_DEG - 2, written out as one polynomial whose two leading
      coefficients are exactly 1 (Horner's last step fma(s, r, 1) then rounds
      once: measured 0.91 ulp with FMA, 1.2 without). Degree 11 is the least
      that leaves the approximation error (3.6e-18) below the rounding; 10 gives
      2.9e-16.

Ewald: the real-space Coulomb pair terms as rationals in z = (g r)^2, no exponential:
      erfc(g r)/r = 1/r - g H(z) with H(z) = erf(x)/x, and the force factor
      (erfc(g r)/r + 2g/sqrt(pi) e^{-z})/r^2 = 1/r^3 - g^3 G(z) with
      G(z) = (erf(x)/x - 2/sqrt(pi) e^{-z})/z (x = sqrt(z)). Both are smooth,
      positive and slowly varying, and G(z) r^3 g^3 <= 1, so a relative error of
      G (H) is at most that error relative to the bare Coulomb force (energy).
      Fitted on [0, EWALD_ZMAX]: beyond x = 5 the screened force is below 8e-11 of
      the bare one, and the kernels drop it. (8,8) for both: 4.1e-11 (G) and
      4.8e-12 (H); (7,8) gives 3.3e-10 for G.
      For the mixed-precision kernel, G and H again at single-precision level on
      [0, EWALDF_ZMAX] (x <= 4, where the screened force is 5e-7 of the bare one):
      (5,5) gives 3.6e-7 (G) and 2.5e-8 (H); (4,5) 3.9e-6, (4,4) 1e-5.

Needs mpmath (python3-mpmath). Run from the repository root."""
import mpmath as mp

mp.mp.dps = 50
XMAX, ERFC_M, ERFC_N = 6, 7, 7
EXP_DEG = 11
EWALD_ZMAX, EWALD_M, EWALD_N = 25, 8, 8
EWALDF_ZMAX, EWALDF_M, EWALDF_N = 16, 5, 5
GRID = 4000


def erfcx(x):
    return mp.erfc(x) * mp.exp(x * x)


def horner(c, x):
    s = mp.mpf(0)
    for a in reversed(c):
        s = s * x + a
    return s


def cheb_points(a, b, n):
    return [a + (b - a) * (1 - mp.cos(mp.pi * j / (n - 1))) / 2 for j in range(n)]


def alternating_extrema(err, a, b, count):
    """The largest |err| of each sign run on a dense grid, trimmed at the ends to
    `count` points; also the maximum |err|."""
    xs = cheb_points(a, b, GRID)
    es = [err(x) for x in xs]
    runs, cur = [], [0]
    for j in range(1, GRID):
        if mp.sign(es[j]) == mp.sign(es[cur[-1]]):
            cur.append(j)
        else:
            runs.append(cur)
            cur = [j]
    runs.append(cur)
    pts = [max(r, key=lambda j: abs(es[j])) for r in runs]
    while len(pts) > count:
        pts.pop(0 if abs(es[pts[0]]) < abs(es[pts[-1]]) else -1)
    return [xs[j] for j in pts], max(abs(e) for e in es)


def remez(solve, err, a, b, npts, ref, iters=40):
    """Generic exchange loop from the reference points ref: solve(ref) ->
    (coefficients, levelled error E)."""
    for _ in range(iters):
        coeffs, level = solve(ref)
        new_ref, emax = alternating_extrema(lambda x: err(coeffs, x), a, b, npts)
        if len(new_ref) < npts:
            raise RuntimeError("lost alternation")
        ref = new_ref
        if emax <= abs(level) * (1 + mp.mpf(10) ** -6):
            return coeffs, emax
    raise RuntimeError("Remez did not converge")


def fit_rational(f, m, n, a, b):
    """Minimax P/Q in relative error for f on [a, b], P of degree m, Q of degree n
    with Q(0) = 1; returns P, Q and the error."""
    npts = m + n + 2
    state = {"q": None}

    def split(s):
        return [s[k] for k in range(m + 1)], [mp.mpf(1)] + [s[m + k] for k in range(1, n + 1)]

    def solve(ref):
        # P(x_i) - f_i Q(x_i) = (-1)^i E f_i Q(x_i): linear once Q on the right is
        # frozen; iterate that until Q settles.
        fv = [f(x) for x in ref]
        qref = [horner(state["q"], x) if state["q"] else mp.mpf(1) for x in ref]
        for _ in range(60):
            A, rhs = mp.matrix(npts, npts), mp.matrix(npts, 1)
            for i, x in enumerate(ref):
                for k in range(m + 1):
                    A[i, k] = x**k
                for k in range(1, n + 1):
                    A[i, m + k] = -fv[i] * x**k
                A[i, npts - 1] = -((-1) ** i) * fv[i] * qref[i]
                rhs[i] = fv[i]
            s = mp.lu_solve(A, rhs)
            P, Q = split(s)
            qnew = [horner(Q, x) for x in ref]
            done = max(abs(u / v - 1) for u, v in zip(qnew, qref)) < mp.mpf(10) ** -35
            qref = qnew
            if done:
                break
        state["q"] = Q
        return (P, Q), s[npts - 1]

    def err(c, x):
        return horner(c[0], x) / horner(c[1], x) / f(x) - 1

    a, b = mp.mpf(a), mp.mpf(b)
    (P, Q), emax = remez(solve, err, a, b, npts, cheb_points(a, b, npts))
    assert min(horner(Q, x) for x in cheb_points(a, b, 200)) >= 1, "Q must stay >= 1"
    return P, Q, emax


def ewald_h(z):  # erf(x)/x, x = sqrt(z)
    if z < mp.mpf(10) ** -30:
        return 2 / mp.sqrt(mp.pi)
    x = mp.sqrt(z)
    return mp.erf(x) / x


def ewald_g(z):  # (erf(x)/x - 2/sqrt(pi) e^{-z}) / z
    if z < mp.mpf(10) ** -30:
        return 4 / (3 * mp.sqrt(mp.pi))
    return (ewald_h(z) - 2 / mp.sqrt(mp.pi) * mp.exp(-z)) / z


def fit_exp():
    d = EXP_DEG - 2  # degree of q
    h = mp.log(2) / 2 * (1 + mp.mpf(10) ** -9)  # a hair beyond: r is rounded

    def g(r):  # (e^r - 1 - r) / r^2, with its limit at 0
        return (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(1) / 2

    def w(r):  # relative error of e^r per unit error of q
        return r**2 / mp.exp(r)

    def solve(ref):
        A, rhs = mp.matrix(d + 2, d + 2), mp.matrix(d + 2, 1)
        for i, r in enumerate(ref):
            for k in range(d + 1):
                A[i, k] = r**k * w(r)
            A[i, d + 1] = (-1) ** i
            rhs[i] = g(r) * w(r)
        s = mp.lu_solve(A, rhs)
        return [s[k] for k in range(d + 1)], s[d + 1]

    def err(c, r):
        return (horner(c, r) - g(r)) * w(r)

    # The weight vanishes at r = 0: start from points that avoid it.
    ref = sorted(cheb_points(-h, h, d + 3), key=abs)[1:]
    q, emax = remez(solve, err, -h, h, d + 2, sorted(ref))
    return [mp.mpf(1), mp.mpf(1)] + q, emax


def c_array(name, coeffs, ctype="double"):
    suffix = "f" if ctype == "float" else ""
    body = ",\n".join(f"    {float(c)!r}{suffix}" for c in coeffs)
    return [f"static const {ctype} {name}[{len(coeffs)}] = {{", body, "};"]


P, Q, erfc_err = fit_rational(erfcx, ERFC_M, ERFC_N, 0, XMAX)
GP, GQ, g_err = fit_rational(ewald_g, EWALD_M, EWALD_N, 0, EWALD_ZMAX)
HP, HQ, h_err = fit_rational(ewald_h, EWALD_M, EWALD_N, 0, EWALD_ZMAX)
GPF, GQF, gf_err = fit_rational(ewald_g, EWALDF_M, EWALDF_N, 0, EWALDF_ZMAX)
HPF, HQF, hf_err = fit_rational(ewald_h, EWALDF_M, EWALDF_N, 0, EWALDF_ZMAX)
E, exp_err = fit_exp()
lines = [
    "/* simd_erfc_coeffs.h — generated by tools/gen_simd_erfc.py; do not edit.",
    " * Coefficients for src/simd_math.h, lowest degree first.",
    f" * erfcx(x) = erfc(x) exp(x^2) ~ P(x)/Q(x) on [0, {XMAX}], degrees ({ERFC_M}, {ERFC_N}):",
    f" *   minimax relative error {mp.nstr(erfc_err, 3)}.",
    f" * e^r ~ sum c_k r^k on |r| <= ln2/2, degree {EXP_DEG} (c_0 = c_1 = 1):",
    f" *   minimax relative error {mp.nstr(exp_err, 3)}.",
    f" * Real-space Ewald in z = (g r)^2 on [0, {EWALD_ZMAX}], degrees ({EWALD_M}, {EWALD_N}):",
    f" *   G(z) = (erf(x)/x - 2/sqrt(pi) e^-z)/z ~ GP/GQ, minimax relative error {mp.nstr(g_err, 3)};",
    f" *   H(z) = erf(x)/x ~ HP/HQ, minimax relative error {mp.nstr(h_err, 3)}.",
    f" * The same in single precision on [0, {EWALDF_ZMAX}], degrees ({EWALDF_M}, {EWALDF_N}): G {mp.nstr(gf_err, 3)},",
    f" *   H {mp.nstr(hf_err, 3)} (the float coefficients' own rounding adds ~1e-7). */",
    "#ifndef VF_SIMD_ERFC_COEFFS_H",
    "#define VF_SIMD_ERFC_COEFFS_H",
    "",
    f"#define VF_SIMD_ERFC_XMAX {XMAX}.0",
    f"#define VF_SIMD_ERFC_M {ERFC_M}",
    f"#define VF_SIMD_ERFC_N {ERFC_N}",
    f"#define VF_SIMD_EXP_DEG {EXP_DEG}",
    f"#define VF_SIMD_EWALD_ZMAX {EWALD_ZMAX}.0",
    f"#define VF_SIMD_EWALD_M {EWALD_M}",
    f"#define VF_SIMD_EWALD_N {EWALD_N}",
    f"#define VF_SIMD_EWALDF_ZMAX {EWALDF_ZMAX}.0f",
    f"#define VF_SIMD_EWALDF_M {EWALDF_M}",
    f"#define VF_SIMD_EWALDF_N {EWALDF_N}",
    "",
    *c_array("vf_simd_erfc_p", P),
    *c_array("vf_simd_erfc_q", Q),
    *c_array("vf_simd_exp_c", E),
    *c_array("vf_simd_ewald_gp", GP),
    *c_array("vf_simd_ewald_gq", GQ),
    *c_array("vf_simd_ewald_hp", HP),
    *c_array("vf_simd_ewald_hq", HQ),
    *c_array("vf_simd_ewaldf_gp", GPF, "float"),
    *c_array("vf_simd_ewaldf_gq", GQF, "float"),
    *c_array("vf_simd_ewaldf_hp", HPF, "float"),
    *c_array("vf_simd_ewaldf_hq", HQF, "float"),
    "",
    "#endif",
    "",
]
open("src/simd_erfc_coeffs.h", "w").write("\n".join(lines))
print(f"erfcx ({ERFC_M},{ERFC_N}) on [0,{XMAX}]: {mp.nstr(erfc_err, 3)}; "
      f"exp degree {EXP_DEG}: {mp.nstr(exp_err, 3)}; Ewald G {mp.nstr(g_err, 3)}, "
      f"H {mp.nstr(h_err, 3)}; single G {mp.nstr(gf_err, 3)}, H {mp.nstr(hf_err, 3)}")
