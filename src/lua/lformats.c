/* lformats.c — file formats: LAMMPS data files and extended XYZ. Errors raise with
 * the file and line of the problem, at the position of the calling recipe line. */
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

static int formats_element(lua_State *L) {
  lua_pushstring(L, vf_element_symbol(luaL_checkstring(L, 1)));
  return 1;
}

static const luaL_Reg formats_functions[] = {
    {"read_data", formats_read_data},
    {"write_data", formats_write_data},
    {"write_xyz", formats_write_xyz},
    {"element", formats_element},
    {NULL, NULL},
};

void vf_lua_register_formats(lua_State *L) { luaL_setfuncs(L, formats_functions, 0); }
