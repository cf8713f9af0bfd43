package io.camflow.delivery.rtsp;

/**
 * What {@link RtspFraming} makes of bytes that are no RTSP request: the status to answer and why,
 * with the request's CSeq if it could be read (-1 otherwise). The connection closes after the
 * answer: where the next request begins is unknown.
 */
public record MalformedRequest(int status, String reason, long cseq) {}
