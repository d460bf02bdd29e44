/* lcore.c — the vitrify.core module: the native layer under lua/vitrify/. */
#include <omp.h>

#include "vitrify_lua.h"

#include <string.h>

#define LIBDIR_KEY "vitrify.libdir"

/* True when the function at this stack level is part of the vitrify Lua library. */
static int in_library(lua_State *L, const lua_Debug *ar) {
  lua_getfield(L, LUA_REGISTRYINDEX, LIBDIR_KEY);
  const char *lib = lua_tostring(L, -1);
  int inside = lib && ar->source[0] == '@' && strncmp(ar->source + 1, lib, strlen(lib)) == 0;
  lua_pop(L, 1);
  return inside;
}

/* The message is prefixed with the first Lua line outside the vitrify library, so a
 * recipe sees its own file and line even when the error arose deep in the library. */
int vf_lua_raise(lua_State *L, const char *msg) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0 && !in_library(L, &ar)) {
      lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, msg);
      return lua_error(L);
    }
  }
  lua_pushstring(L, msg);
  return lua_error(L);
}

/* core.set_library_dir(path): where lua/vitrify/ lives (set by vitrify.util). */
static int core_set_library_dir(lua_State *L) {
  lua_pushfstring(L, "%s/vitrify/", luaL_checkstring(L, 1));
  lua_setfield(L, LUA_REGISTRYINDEX, LIBDIR_KEY);
  return 0;
}

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
    {"set_library_dir", core_set_library_dir},
    {NULL, NULL},
};

int luaopen_vitrify_core(lua_State *L) {
  luaL_newlib(L, core_functions);
  vf_lua_register_system(L);
  vf_lua_register_formats(L);
  vf_lua_register_evaluator(L);
  vf_lua_register_minimize(L);
  vf_lua_register_build(L);
  vf_lua_register_md(L);
  return 1;
}
