/* vitrify_lua.h — what the binding files share: metatable names, the System
 * userdata accessors, and each module's registration function (called by
 * luaopen_vitrify_core). */
#ifndef VF_VITRIFY_LUA_H
#define VF_VITRIFY_LUA_H

#include <lauxlib.h>
#include <lua.h>

#include "system.h"

#define VF_SYSTEM_MT "vitrify.System"
#define VF_EVALUATOR_MT "vitrify.Evaluator"

/* The System userdata: the pointer is NULL until the system is made, and again after
 * it is closed, so __gc/__close are safe at any time. */
typedef struct vf_lua_system {
  vf_system *sys;
} vf_lua_system;

vf_system *vf_lua_checksystem(lua_State *L, int arg);
/* The force field of an Evaluator userdata, re-bound first if its system's atoms,
 * charges or topology changed; *sys receives the bound system. */
struct vf_forcefield *vf_lua_checkevaluator(lua_State *L, int arg, vf_system **sys);
/* Pushes a new System userdata owning s (freed on failure to allocate). */
void vf_lua_pushsystem(lua_State *L, vf_system *s);
/* Raises the error message of a C-side failure at the caller's position. */
int vf_lua_raise(lua_State *L, const char *msg);

void vf_lua_register_system(lua_State *L);    /* System type, core.system */
void vf_lua_register_formats(lua_State *L);   /* core.read_data, write_data, write_xyz */
void vf_lua_register_evaluator(lua_State *L); /* Evaluator type, core.evaluator */
void vf_lua_register_minimize(lua_State *L);  /* core.minimize */
void vf_lua_register_build(lua_State *L);     /* core.read_cif, core.build_nbzifff, ... */
void vf_lua_register_md(lua_State *L);        /* Integrator type, core.integrator */

int luaopen_vitrify_core(lua_State *L);

#endif
