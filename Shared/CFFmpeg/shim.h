#ifndef CLIPSET_CFFMPEG_SHIM_H
#define CLIPSET_CFFMPEG_SHIM_H
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/pixdesc.h>
#include <libavutil/time.h>
#include <libswscale/swscale.h>
#include <math.h>
#include <stdint.h>

/* Function-like macros are invisible to Swift: expose the ones the probe needs. */
static inline int clipset_averror_eof(void) { return AVERROR_EOF; }
static inline int clipset_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int clipset_averror(int e) { return AVERROR(e); }
static inline int clipset_averror_exit(void) { return AVERROR_EXIT; }
static inline int clipset_averror_stream_not_found(void) { return AVERROR_STREAM_NOT_FOUND; }
static inline int clipset_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int64_t clipset_av_nopts_value(void) { return AV_NOPTS_VALUE; }

/* av_err2str is a macro around a compound literal: fill a caller's buffer instead. */
static inline const char *clipset_av_err2str(int errnum, char *buffer, size_t size) {
    av_strerror(errnum, buffer, size);
    return buffer;
}

/* Interrupt callback: asks libavformat to stop (AVERROR_EXIT) once the deadline has passed.
 * The deadline, in av_gettime_relative() microseconds, travels in the opaque pointer itself,
 * so nothing has to outlive the call. */
static inline int clipset_deadline_passed(void *opaque) {
    return av_gettime_relative() > (int64_t)(intptr_t)opaque;
}

/* An interrupt callback that fires `timeout_microseconds` from now. */
static inline AVIOInterruptCB clipset_deadline_callback(int64_t timeout_microseconds) {
    AVIOInterruptCB callback = {
        clipset_deadline_passed,
        (void *)(intptr_t)(av_gettime_relative() + timeout_microseconds)
    };
    return callback;
}

/* The rotation of a stream's display matrix side data in degrees, counter-clockwise as
 * av_display_rotation_get returns it, or NAN when the stream has none (FFmpeg 5.1 API). */
static inline double clipset_stream_display_rotation(const AVStream *stream) {
    size_t size = 0;
    const uint8_t *matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (matrix == NULL || size < 9 * sizeof(int32_t)) return NAN;
    return av_display_rotation_get((const int32_t *)matrix);
}
#endif
