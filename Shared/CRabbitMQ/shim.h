#ifndef CLIPSET_CRABBITMQ_SHIM_H
#define CLIPSET_CRABBITMQ_SHIM_H
/* rabbitmq-c 0.11 (Debian 12) installs its headers at the top of /usr/include. */
#include <stdint.h>
#include <stddef.h>
#include <sys/time.h>
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_framing.h>

/* amqp_login is variadic, which Swift cannot call: wrap the PLAIN form. */
static inline amqp_rpc_reply_t clipset_amqp_login_plain(amqp_connection_state_t state,
                                                        const char *vhost,
                                                        int channel_max,
                                                        int frame_max,
                                                        int heartbeat,
                                                        const char *user,
                                                        const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat,
                      AMQP_SASL_METHOD_PLAIN, user, password);
}

/*
 * amqp.h only forward-declares struct timeval, so Swift sees its pointers as
 * OpaquePointer. These wrappers take a timeout in microseconds instead; a
 * negative timeout means "block" (a NULL timeval).
 */
static inline struct timeval clipset_amqp_timeval(int64_t microseconds) {
    struct timeval tv;
    tv.tv_sec = (time_t)(microseconds / 1000000);
    tv.tv_usec = (suseconds_t)(microseconds % 1000000);
    return tv;
}

static inline int clipset_amqp_socket_open(amqp_socket_t *socket, const char *host, int port,
                                           int64_t timeout_microseconds) {
    struct timeval tv = clipset_amqp_timeval(timeout_microseconds);
    return amqp_socket_open_noblock(socket, host, port, timeout_microseconds < 0 ? NULL : &tv);
}

static inline int clipset_amqp_set_rpc_timeout(amqp_connection_state_t state,
                                               int64_t timeout_microseconds) {
    struct timeval tv = clipset_amqp_timeval(timeout_microseconds);
    return amqp_set_rpc_timeout(state, timeout_microseconds < 0 ? NULL : &tv);
}

static inline int clipset_amqp_set_handshake_timeout(amqp_connection_state_t state,
                                                     int64_t timeout_microseconds) {
    struct timeval tv = clipset_amqp_timeval(timeout_microseconds);
    return amqp_set_handshake_timeout(state, timeout_microseconds < 0 ? NULL : &tv);
}

static inline int clipset_amqp_wait_frame(amqp_connection_state_t state, amqp_frame_t *frame,
                                          int64_t timeout_microseconds) {
    struct timeval tv = clipset_amqp_timeval(timeout_microseconds);
    return amqp_simple_wait_frame_noblock(state, frame, timeout_microseconds < 0 ? NULL : &tv);
}

static inline amqp_rpc_reply_t clipset_amqp_consume_message(amqp_connection_state_t state,
                                                            amqp_envelope_t *envelope,
                                                            int64_t timeout_microseconds) {
    struct timeval tv = clipset_amqp_timeval(timeout_microseconds);
    return amqp_consume_message(state, envelope, timeout_microseconds < 0 ? NULL : &tv, 0);
}
#endif
