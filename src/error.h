/* error.h — one error message carried out of the C core.
 * Readers and builders fill it with "file:line: what" and return -1; the Lua layer
 * raises it unchanged, so the user sees exactly one clear message. */
#ifndef VF_ERROR_H
#define VF_ERROR_H

typedef struct vf_error {
  char msg[1024];
} vf_error;

/* Formats into err (if not NULL) and returns -1, so callers can `return vf_fail(...)`. */
int vf_fail(vf_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
