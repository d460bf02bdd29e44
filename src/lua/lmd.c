/* lmd.c — the Integrator userdata: molecular dynamics of one system. */
#include "vitrify_lua.h"

void vf_lua_register_md(lua_State *L) { (void)L; }
