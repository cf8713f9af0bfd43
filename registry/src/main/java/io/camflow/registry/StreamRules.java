package io.camflow.registry;

import io.camflow.registry.StreamUrl.InvalidUrlException;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules of a stream's own fields — URL, credentials, TLS, source — defined once, for
 * config/camflow.yaml (ingest's reader) and the REST API ({@link CameraRequest}) alike. The
 * settings' rules are {@link StreamSettings}'; the URL's shape is {@link StreamUrl}'s. Each rule
 * gives the message both places report; the file may add what helps there (the line, an openssl
 * command). No message quotes a URL or a password.
 */
public final class StreamRules {

  private StreamRules() {}

  /** A stream or camera name: the part of {@code camflow.media.<camera>.<stream>}. */
  public static final String NAME_RULE = "must match [a-z0-9][a-z0-9_-]{0,63}";

  /** tlsVerify or tlsFingerprint on a URL that is not {@code rtsps://}. */
  public static final String TLS_ONLY_RTSPS = "applies to rtsps:// URLs only";

  /** A tlsFingerprint that is not one. */
  public static final String FINGERPRINT_RULE =
      "must be a SHA-256 fingerprint: 64 hex digits, optionally in pairs separated by ':'";

  /** A username that is not one. */
  public static final String USERNAME_RULE = "must be 1 to 255 characters, no control characters";

  /** A password without a username. */
  public static final String PASSWORD_NEEDS_USERNAME = "needs a username";

  /** Credentials in the URL where only username and password may hold them. */
  public static final String NO_CREDENTIALS_IN_URL =
      "must not carry credentials; set username and password instead";

  /** Longest password: a camera's are short; a megabyte in a record is a mistake. */
  public static final int MAX_PASSWORD = 1024;

  /**
   * A field of a pulled stream (url, credentials, TLS, how it is pulled) on a published one:
   * nothing pulls it, so a value there is a mistake rather than something to ignore.
   */
  public static String notPublished(String field) {
    return "a published stream has no " + field + ": remove it or set source: pull";
  }

  /**
   * {@code AB:CD:…}, {@code abcd…} or {@code sha256:…} as 64 lowercase hex digits; empty when
   * malformed. The one reader of certificate fingerprints.
   */
  public static Optional<String> fingerprint(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("sha256:") || s.startsWith("sha-256:")) {
      s = s.substring(s.indexOf(':') + 1);
    }
    s = s.replace(":", "");
    return s.length() == 64 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0)
        ? Optional.of(s)
        : Optional.empty();
  }

  /** What is wrong with a username, or null. */
  public static String usernameProblem(String username) {
    return username.isEmpty()
            || username.length() > 255
            || username.chars().anyMatch(Character::isISOControl)
        ? USERNAME_RULE
        : null;
  }

  /** Whether TLS settings may apply to the URL: it is {@code rtsps://}. */
  public static boolean isRtsps(String url) {
    return url.regionMatches(true, 0, "rtsps:", 0, 6);
  }

  /**
   * What is wrong with the URL of an API camera (rtsp or rtsps, no credentials), or null; never
   * repeats the URL. The shape is {@link StreamUrl}'s, as the file reads it.
   */
  public static String urlProblem(String url) {
    int colon = url.indexOf(':');
    String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!scheme.equals("rtsp") && !scheme.equals("rtsps")) {
      return "must be rtsp://host[:port]/path or rtsps://host[:port]/path";
    }
    StreamUrl parsed;
    try {
      parsed = StreamUrl.parse(url, s -> "");
    } catch (InvalidUrlException e) {
      return switch (e.problem()) {
        case NO_HOST -> "has no host; expected " + scheme + "://host[:port]/path";
        case INVALID_HOST -> "has an invalid host name";
        case INVALID_PORT -> "has an invalid port; expected a number from 1 to 65535";
        case MALFORMED -> "is not a valid URL (" + e.reason() + ")";
        case BAD_PERCENT_ENCODING -> NO_CREDENTIALS_IN_URL;
        default -> e.getMessage(); // the same words as the file's
      };
    }
    if (parsed.hasCredentials() || url.substring(colon + 3).split("[/?#]", 2)[0].contains("@")) {
      return NO_CREDENTIALS_IN_URL;
    }
    return null;
  }
}
