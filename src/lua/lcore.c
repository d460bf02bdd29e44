/* lcore.c — the vitrify.core module: the native layer under lua/vitrify/. */
#include <omp.h>

#include "vitrify_lua.h"

int vf_lua_raise(lua_State *L, const char *msg) { return luaL_error(L, "%s", msg); }

static int core_threads(lua_State *L) {
  if (!lua_isnoneornil(L, 1)) {
    lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n >= 1, 1, "need at least one thread");
    omp_set_num_threads((int)n);
  }
  lua_pushinteger(L, omp_get_max_threads());
  return 1;
}

static int core_wtime(lua_State *L) {
  lua_pushnumber(L, omp_get_wtime());
  return 1;
}

static const luaL_Reg core_functions[] = {
    {"threads", core_threads},
    {"wtime", core_wtime},
    {NULL, NULL},
};

int luaopen_vitrify_core(lua_State *L) {
  luaL_newlib(L, core_functions);
  vf_lua_register_system(L);
  vf_lua_register_formats(L);
  vf_lua_register_evaluator(L);
  return 1;
}
