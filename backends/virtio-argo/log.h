/* SPDX-License-Identifier: MIT */
/* One logger for the daemon: stderr, one line per event, prefixed. */
#ifndef LOG_H
#define LOG_H

void log_init(const char *prog, int verbose);
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
