/* lformats.c — file formats: LAMMPS data files and dumps, extended XYZ. Errors raise with
 * the file and line of the problem, at the position of the calling recipe line. */
#include <math.h>
#include <string.h>

#include "dump.h"
#include "extxyz.h"
#include "lammps_data.h"
#include "vitrify_lua.h"

static int formats_read_data(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  vf_error err;
  vf_system *s = vf_read_lammps_data(path, &err);
  if (!s) return vf_lua_raise(L, err.msg);
  vf_lua_pushsystem(L, s);
  return 1;
}

static int formats_write_data(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  const char *path = luaL_checkstring(L, 2);
  vf_error err;
  if (vf_write_lammps_data(s, path, &err)) return vf_lua_raise(L, err.msg);
  return 0;
}

static int formats_write_xyz(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  const char *path = luaL_checkstring(L, 2);
  int append = lua_toboolean(L, 3);
  const char *comment = luaL_optstring(L, 4, NULL);
  vf_error err;
  if (vf_write_extxyz(s, path, append, comment, &err)) return vf_lua_raise(L, err.msg);
  return 0;
}

/* The flags whose columns are the names in the table at arg ("id", "type", "x", ...),
 * or the default id type x y z when it is nil. */
static unsigned check_dump_fields(lua_State *L, int arg) {
  if (lua_isnoneornil(L, arg)) return 0;
  luaL_checktype(L, arg, LUA_TTABLE);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (lua_Integer k = 1, n = luaL_len(L, arg); k <= n; k++) {
    if (k > 1) luaL_addchar(&b, ' ');
    lua_geti(L, arg, k);
    if (lua_type(L, -1) != LUA_TSTRING) luaL_argerror(L, arg, "fields must be column names");
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  const char *given = lua_tostring(L, -1);
  for (unsigned fields = 0; fields <= VF_DUMP_ALL_FIELDS; fields++) {
    char columns[VF_DUMP_COLUMNS_SIZE];
    vf_dump_columns(fields, columns);
    if (strcmp(columns, given) == 0) {
      lua_pop(L, 1);
      return fields;
    }
  }
  return (unsigned)luaL_argerror(L, arg,
      lua_pushfstring(L, "cannot write dump columns '%s': expected id type x y z (or xu yu zu), "
                      "then any of ix iy iz, vx vy vz, fx fy fz in this order", given));
}

/* write_dump(sys, path, step, append, fields, time) */
static int formats_write_dump(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  const char *path = luaL_checkstring(L, 2);
  vf_dump_options opt = {
      .step = (long long)luaL_optinteger(L, 3, 0),
      .append = lua_toboolean(L, 4),
      .fields = check_dump_fields(L, 5),
      .time = lua_isnoneornil(L, 6) ? NAN : luaL_checknumber(L, 6),
  };
  vf_error err;
  if (vf_write_dump(s, path, &opt, &err)) return vf_lua_raise(L, err.msg);
  return 0;
}

static int formats_element(lua_State *L) {
  lua_pushstring(L, vf_element_symbol(luaL_checkstring(L, 1)));
  return 1;
}

static const luaL_Reg formats_functions[] = {
    {"read_data", formats_read_data},
    {"write_data", formats_write_data},
    {"write_xyz", formats_write_xyz},
    {"write_dump", formats_write_dump},
    {"element", formats_element},
    {NULL, NULL},
};

void vf_lua_register_formats(lua_State *L) { luaL_setfuncs(L, formats_functions, 0); }
