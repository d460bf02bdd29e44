/* lbuild.c — structures from crystallographic files: CIF reading, nb-ZIF-FF
 * topology building, supercells. */
#include "vitrify_lua.h"

void vf_lua_register_build(lua_State *L) { (void)L; }
