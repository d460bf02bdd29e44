/* lbuild.c — structures from crystallographic files: CIF reading, nb-ZIF-FF
 * topology building, supercells.
 *   core.read_cif(path, allow_partial) -> {cell, box, atoms, warnings}
 *   core.build_nbzifff(path, spec) -> System, warnings
 * The spec comes ready from lua/vitrify/build.lua (types, sites by name, dummy
 * geometry, bonded rows); this file only moves it into C arrays. Spec arrays live in
 * userdata so that a Lua error while reading the spec leaks nothing. */
#include <string.h>

#include "crystal.h"
#include "nbzifff_build.h"
#include "vitrify_lua.h"

/* Site names of the spec's `sites` table, in the order of enum vf_zif_site. */
static const char *const site_names[VF_ZIF_NSITES] = {
    "zn", "c_between_n", "n", "c_backbone", "h_between_n", "h_backbone", "zn_dummy", "n_dummy"};

static void *scratch(lua_State *L, size_t n) { return lua_newuserdatauv(L, n ? n : 1, 0); }

static double field_number(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  if (!lua_isnumber(L, -1)) luaL_error(L, "build spec: '%s' must be a number", k);
  const double v = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return v;
}

static void check_table_field(lua_State *L, int t, const char *k) {
  if (lua_getfield(L, t, k) != LUA_TTABLE) luaL_error(L, "build spec: '%s' must be a table", k);
}

#define PARTIAL_HINT "set partial_occupancy = \"warn\""

static void read_crystal_options(lua_State *L, int t, vf_crystal_options *o) {
  vf_crystal_defaults(o);
  o->allow_partial_hint = PARTIAL_HINT;
  lua_getfield(L, t, "partial_occupancy");
  o->allow_partial = lua_toboolean(L, -1);
  lua_pop(L, 1);
}

static void read_supercell(lua_State *L, int t, int n[3]) {
  n[0] = n[1] = n[2] = 1;
  if (lua_getfield(L, t, "supercell") == LUA_TTABLE)
    for (int d = 0; d < 3; d++) {
      lua_geti(L, -1, d + 1);
      n[d] = (int)luaL_checkinteger(L, -1);
      lua_pop(L, 1);
    }
  lua_pop(L, 1);
}

/* spec.types = { {name=, mass=, charge=}, ... }; names stay on the stack in the table. */
static void read_types(lua_State *L, int t, vf_nbzifff_spec *spec) {
  check_table_field(L, t, "types");
  const int tt = lua_gettop(L), n = (int)luaL_len(L, tt);
  const char **name = scratch(L, sizeof *name * (size_t)n);
  double *mass = scratch(L, sizeof *mass * (size_t)n);
  double *charge = scratch(L, sizeof *charge * (size_t)n);
  for (int k = 0; k < n; k++) {
    lua_geti(L, tt, k + 1);
    lua_getfield(L, -1, "name");
    name[k] = lua_tostring(L, -1);
    if (!name[k]) luaL_error(L, "build spec: type %d has no name", k + 1);
    lua_pop(L, 1);
    mass[k] = field_number(L, lua_gettop(L), "mass");
    charge[k] = field_number(L, lua_gettop(L), "charge");
    lua_pop(L, 1);
  }
  spec->ntypes = n;
  spec->type_name = name;
  spec->mass = mass;
  spec->charge = charge;
}

static void read_sites(lua_State *L, int t, vf_nbzifff_spec *spec) {
  check_table_field(L, t, "sites");
  for (int k = 0; k < VF_ZIF_NSITES; k++) {
    lua_getfield(L, -1, site_names[k]);
    if (!lua_isinteger(L, -1))
      luaL_error(L, "build spec: site '%s' needs a type index", site_names[k]);
    spec->site_type[k] = (int)lua_tointeger(L, -1) - 1;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void read_dummies(lua_State *L, int t, vf_nbzifff_spec *spec) {
  spec->zn_dummy_distance = field_number(L, t, "zn_dummy_distance");
  spec->n_dummy_distance = field_number(L, t, "n_dummy_distance");
  lua_getfield(L, t, "n_dummy_placement");
  const char *placement = luaL_optstring(L, -1, "bisector");
  if (strcmp(placement, "bisector") == 0)
    spec->n_dummy_placement = VF_N_DUMMY_BISECTOR;
  else if (strcmp(placement, "toward_zn") == 0)
    spec->n_dummy_placement = VF_N_DUMMY_TOWARD_ZN;
  else
    luaL_error(L, "build spec: n_dummy_placement '%s' is not bisector or toward_zn", placement);
  lua_pop(L, 1);
}

/* One row { names = {...}, coeff = {...} } at the stack top. */
static void read_bonded_row(lua_State *L, int width, vf_named_bonded_type *row) {
  const int r = lua_gettop(L);
  check_table_field(L, r, "names");
  for (int m = 0; m < width; m++) {
    lua_geti(L, -1, m + 1);
    if (!(row->atom_type[m] = lua_tostring(L, -1))) luaL_error(L, "build spec: bonded row names");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  check_table_field(L, r, "coeff");
  row->ncoeff = (int)luaL_len(L, -1);
  if (row->ncoeff > VF_MAX_COEFF)
    luaL_error(L, "build spec: more than %d coefficients", VF_MAX_COEFF);
  for (int m = 0; m < row->ncoeff; m++) {
    lua_geti(L, -1, m + 1);
    row->coeff[m] = luaL_checknumber(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* spec.bonded.<kind> = { rows }; the row tables stay referenced by spec. */
static void read_bonded(lua_State *L, int t, vf_named_bonded_table *table) {
  check_table_field(L, t, "bonded");
  const int b = lua_gettop(L);
  for (int kind = 0; kind < VF_NBONDED_KINDS; kind++) {
    check_table_field(L, b, vf_bonded_kind_name[kind]);
    const int n = (int)luaL_len(L, -1);
    vf_named_bonded_type *rows = scratch(L, sizeof *rows * (size_t)n);
    lua_insert(L, b + 1); /* keep the rows' memory below the working slots */
    memset(rows, 0, sizeof *rows * (size_t)n);
    for (int r = 0; r < n; r++) {
      lua_geti(L, -1, r + 1);
      read_bonded_row(L, vf_bonded_width[kind], &rows[r]);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    table->n[kind] = n;
    table->type[kind] = rows;
  }
}

static void push_warnings(lua_State *L, const vf_crystal *c) {
  lua_createtable(L, c->nwarnings, 0);
  for (int k = 0; k < c->nwarnings; k++) {
    lua_pushstring(L, c->warning[k]);
    lua_rawseti(L, -2, k + 1);
  }
}

/* Reads, expands and replicates; on failure err holds the message. */
static int make_crystal(const char *path, const vf_crystal_options *o, const int n[3],
                        vf_crystal *out, vf_error *err) {
  vf_crystal unit;
  memset(out, 0, sizeof *out);
  int rc = vf_crystal_read_cif(path, o, &unit, err);
  if (!rc) rc = vf_crystal_supercell(&unit, n, out, err);
  vf_crystal_free(&unit);
  return rc;
}

static int build_nbzifff(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checkstack(L, 40, "reading the build spec");
  vf_crystal_options o;
  int n[3];
  vf_nbzifff_spec spec;
  memset(&spec, 0, sizeof spec);
  read_crystal_options(L, 2, &o);
  read_supercell(L, 2, n);
  read_types(L, 2, &spec);
  read_sites(L, 2, &spec);
  read_dummies(L, 2, &spec);
  read_bonded(L, 2, &spec.bonded);
  vf_error err;
  vf_crystal c;
  vf_system *s = NULL;
  if (!make_crystal(path, &o, n, &c, &err)) s = vf_build_nbzifff(&c, &spec, &err);
  if (!s) {
    vf_crystal_free(&c);
    return vf_lua_raise(L, err.msg);
  }
  vf_lua_pushsystem(L, s);
  push_warnings(L, &c);
  vf_crystal_free(&c);
  return 2;
}

static void set_number(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

static void push_atoms(lua_State *L, const vf_crystal *c) {
  lua_createtable(L, c->n, 0);
  for (int i = 0; i < c->n; i++) {
    const vf_crystal_atom *a = &c->atom[i];
    lua_createtable(L, 0, 6);
    lua_pushstring(L, a->label);
    lua_setfield(L, -2, "label");
    lua_pushstring(L, a->symbol);
    lua_setfield(L, -2, "symbol");
    lua_createtable(L, 3, 0);
    for (int d = 0; d < 3; d++) {
      lua_pushnumber(L, a->frac[d]);
      lua_rawseti(L, -2, d + 1);
    }
    lua_setfield(L, -2, "frac");
    lua_pushinteger(L, a->line);
    lua_setfield(L, -2, "line");
    lua_rawseti(L, -2, i + 1);
  }
}

/* core.read_cif(path, allow_partial): the expanded crystal as plain tables. */
static int read_cif(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  vf_crystal_options o;
  vf_crystal_defaults(&o);
  o.allow_partial = lua_toboolean(L, 2);
  o.allow_partial_hint = PARTIAL_HINT;
  vf_crystal c;
  vf_error err;
  if (vf_crystal_read_cif(path, &o, &c, &err)) {
    vf_crystal_free(&c);
    return vf_lua_raise(L, err.msg);
  }
  lua_createtable(L, 0, 4);
  lua_createtable(L, 0, 6);
  const vf_box *b = &c.box;
  set_number(L, "lx", b->lx);
  set_number(L, "ly", b->ly);
  set_number(L, "lz", b->lz);
  set_number(L, "xy", b->xy);
  set_number(L, "xz", b->xz);
  set_number(L, "yz", b->yz);
  lua_setfield(L, -2, "box");
  push_atoms(L, &c);
  lua_setfield(L, -2, "atoms");
  push_warnings(L, &c);
  lua_setfield(L, -2, "warnings");
  vf_crystal_free(&c);
  return 1;
}

static const luaL_Reg build_functions[] = {
    {"read_cif", read_cif},
    {"build_nbzifff", build_nbzifff},
    {NULL, NULL},
};

void vf_lua_register_build(lua_State *L) { luaL_setfuncs(L, build_functions, 0); }
