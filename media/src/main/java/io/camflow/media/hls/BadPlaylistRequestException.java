package io.camflow.media.hls;

/**
 * A playlist request whose delivery directives are malformed ({@code _HLS_msn} / {@code _HLS_part}
 * not a decimal-integer, out of range, repeated, or {@code _HLS_part} without {@code _HLS_msn}).
 * Delivery answers it with 400 Bad Request; the message says what is wrong and is safe to return to
 * the client (it quotes at most a short prefix of the offending value).
 */
public final class BadPlaylistRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BadPlaylistRequestException(String message) {
    super(message);
  }
}
