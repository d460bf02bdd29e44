/* lminimize.c — core.minimize(evaluator, options): energy minimisation. */
#include "vitrify_lua.h"

void vf_lua_register_minimize(lua_State *L) { (void)L; }
