/* signals.h — SIGINT and SIGTERM during a run: the handler only records the signal;
 * the run loop sees it after the current step, writes a checkpoint and stops. */
#ifndef VF_SIGNALS_H
#define VF_SIGNALS_H

/* Installs the handlers (keeping the previous ones to restore). Nested calls nest. */
void vf_signals_catch(void);
/* Restores the previous handlers. */
void vf_signals_release(void);
/* The signal received since the handlers were installed, or 0. */
int vf_signal_received(void);
void vf_signal_clear(void);

#endif
