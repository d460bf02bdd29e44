/* main.c — the vitrify program: runs a Lua recipe with vitrify's modules loaded.
 *   vitrify recipe.lua [name=value ...]
 * The name=value pairs reach the recipe as the global table `params` (and as its
 * first argument), numbers converted to numbers. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lua/vitrify_lua.h"

static const char *usage_text =
    "usage: vitrify RECIPE.lua [name=value ...]\n"
    "\n"
    "Runs a Lua recipe. Each name=value pair is passed to the recipe in the table\n"
    "`params` (values that look like numbers become numbers, true/false booleans).\n"
    "Example: vitrify recipes/energy.lua data=structures/ZIF-zni_nbzifff_1600.data\n"
    "\n"
    "Environment: VITRIFY_LUA_PATH overrides where the vitrify Lua library is found;\n"
    "VITRIFY_TRACEBACK=1 prints a Lua traceback with errors; OMP_NUM_THREADS sets threads.\n";

static int file_exists(const char *path) { return access(path, R_OK) == 0; }

/* The folder holding vitrify/init.lua: the environment, the source tree the
 * program was built from, the installed share folder, or beside the executable. */
static const char *lua_library_dir(char *buf, size_t len) {
  const char *env = getenv("VITRIFY_LUA_PATH");
  if (env && *env) return env;
  snprintf(buf, len, "%s/vitrify/init.lua", VITRIFY_LUA_DIR);
  if (file_exists(buf)) return VITRIFY_LUA_DIR;
  snprintf(buf, len, "%s/vitrify/init.lua", VITRIFY_INSTALL_LUA_DIR);
  if (file_exists(buf)) return VITRIFY_INSTALL_LUA_DIR;
  char exe[4096];
  ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (k > 0) {
    exe[k] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    if (snprintf(buf, len, "%s/../share/vitrify/lua", exe) < (int)len) return buf;
  }
  return VITRIFY_LUA_DIR;
}

static void set_package_path(lua_State *L) {
  char buf[4096];
  const char *dir = lua_library_dir(buf, sizeof buf);
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "path");
  lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;%s", dir, dir, lua_tostring(L, -1));
  lua_setfield(L, -3, "path");
  lua_pop(L, 1);
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_vitrify_core);
  lua_setfield(L, -2, "vitrify.core");
  lua_pop(L, 2);
}

/* params.name = value: numbers and booleans converted, strings otherwise. */
static int push_params(lua_State *L, int argc, char **argv) {
  lua_newtable(L);
  for (int k = 2; k < argc; k++) {
    const char *eq = strchr(argv[k], '=');
    if (!eq || eq == argv[k]) {
      fprintf(stderr, "vitrify: argument '%s' is not of the form name=value\n", argv[k]);
      return -1;
    }
    lua_pushlstring(L, argv[k], (size_t)(eq - argv[k]));
    const char *value = eq + 1;
    if (strcmp(value, "true") == 0) lua_pushboolean(L, 1);
    else if (strcmp(value, "false") == 0) lua_pushboolean(L, 0);
    else if (!*value || lua_stringtonumber(L, value) == 0) lua_pushstring(L, value);
    lua_settable(L, -3);
  }
  return 0;
}

/* Error handler: keeps the message, adds the recipe line the error passed through
 * when the message does not name it already, and a traceback on request. */
static int on_error(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (!msg) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) msg = lua_tostring(L, -1);
    else msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  lua_getfield(L, LUA_REGISTRYINDEX, "vitrify.recipe");
  const char *recipe = lua_tostring(L, -1);
  lua_pop(L, 1);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, msg);
  lua_Debug ar;
  for (int level = 1; recipe && lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0 && strcmp(ar.short_src, recipe) == 0) {
      char where[1200];
      snprintf(where, sizeof where, "%s:%d:", recipe, ar.currentline);
      if (strncmp(msg, where, strlen(where)) != 0) {
        luaL_addstring(&b, "\n  in recipe ");
        luaL_addlstring(&b, where, strlen(where) - 1);
      }
      break;
    }
  }
  luaL_pushresult(&b);
  const char *tb = getenv("VITRIFY_TRACEBACK");
  if (tb && *tb && strcmp(tb, "0") != 0) luaL_traceback(L, L, lua_tostring(L, -1), 1);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
    fputs(usage_text, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("vitrify %s\n", VITRIFY_VERSION);
    return 0;
  }
  const char *recipe = argv[1];
  lua_State *L = luaL_newstate();
  if (!L) {
    fputs("vitrify: cannot create the Lua state (out of memory)\n", stderr);
    return 1;
  }
  luaL_openlibs(L);
  set_package_path(L);

  lua_createtable(L, argc, 1); /* arg, as the standalone interpreter has it */
  for (int k = 0; k < argc; k++) {
    lua_pushstring(L, argv[k]);
    lua_rawseti(L, -2, k - 1);
  }
  lua_setglobal(L, "arg");

  int status = 1;
  lua_pushcfunction(L, on_error);
  int handler = lua_gettop(L);
  if (luaL_loadfile(L, recipe) != LUA_OK) {
    fprintf(stderr, "vitrify: %s\n", lua_tostring(L, -1));
    goto done;
  }
  lua_Debug ar;
  lua_pushvalue(L, -1);
  lua_getinfo(L, ">S", &ar);
  lua_pushstring(L, ar.short_src);
  lua_setfield(L, LUA_REGISTRYINDEX, "vitrify.recipe");
  if (push_params(L, argc, argv)) goto done;
  lua_pushvalue(L, -1);
  lua_setglobal(L, "params");
  if (lua_pcall(L, 1, 0, handler) != LUA_OK) {
    fprintf(stderr, "vitrify: %s\n", lua_tostring(L, -1));
    goto done;
  }
  status = 0;
done:
  fflush(stdout);
  lua_close(L);
  return status;
}
