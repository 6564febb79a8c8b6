#ifndef CLIPSET_CHIREDIS_SHIM_H
#define CLIPSET_CHIREDIS_SHIM_H
/* Only redisCommandArgv is used: the variadic redisCommand cannot be called from Swift. */
#include <hiredis/hiredis.h>
#include <signal.h>
#include <pthread.h>
#include <time.h>

/* The context's error text: a fixed-size char array imports into Swift as a tuple. */
static inline const char *clipset_redis_errstr(const redisContext *c) { return c->errstr; }

/*
 * redisCommandArgv without SIGPIPE.
 *
 * hiredis 0.14 writes with write(2), which raises SIGPIPE (and, by default, ends the
 * process) when the server has closed the connection, e.g. after a Redis restart.
 * A library must not change the process-wide disposition, so the signal is blocked on
 * this thread for the call, a SIGPIPE the call raised is consumed, and the mask restored.
 * The write then fails with EPIPE, which hiredis reports as an I/O error on the context.
 */
static inline void *clipset_redis_command_argv(redisContext *c, int argc, const char **argv, const size_t *argvlen) {
    sigset_t pipe_set, old_set, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigemptyset(&pending);
    int was_pending = 0;
    if (sigpending(&pending) == 0) { was_pending = sigismember(&pending, SIGPIPE) == 1; }
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);

    void *reply = redisCommandArgv(c, argc, argv, argvlen);

    if (!was_pending) {
        sigemptyset(&pending);
        if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
            struct timespec no_wait = {0, 0};
            sigtimedwait(&pipe_set, NULL, &no_wait);
        }
    }
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    return reply;
}
#endif
