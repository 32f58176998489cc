/* peer_log: SpanDSP's log output, sent to stderr with a prefix (stdout is the harness protocol). */
#ifndef FAXPEER_PEER_LOG_H
#define FAXPEER_PEER_LOG_H

struct logging_state_s;

/* Route a SpanDSP logging context to stderr; level FLOW (frames, phases) when verbose,
   errors only otherwise. */
void peer_log_attach(struct logging_state_s *s, const char *tag, int verbose);
/* Monotonic milliseconds since the program started (for timestamps and deadlines). */
long long peer_now_ms(void);
/* A timestamped diagnostic line on stderr (the peer's own trace: calls, DTE commands, results). */
void peer_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
