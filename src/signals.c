#include "signals.h"

#include <signal.h>

static volatile sig_atomic_t received = 0;
static int depth = 0;
static struct sigaction previous_int, previous_term;

static void record(int sig) { received = sig; }

void vf_signals_catch(void) {
  if (depth++ > 0) return;
  struct sigaction sa;
  sa.sa_handler = record;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, &previous_int);
  sigaction(SIGTERM, &sa, &previous_term);
}

void vf_signals_release(void) {
  if (depth == 0 || --depth > 0) return;
  sigaction(SIGINT, &previous_int, NULL);
  sigaction(SIGTERM, &previous_term, NULL);
}

int vf_signal_received(void) { return received; }

void vf_signal_clear(void) { received = 0; }
