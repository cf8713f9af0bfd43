package io.camflow.delivery.publish;

/** What a stream's configuration says about publishing it (its {@code source}). */
public enum PublishTarget {
  /** No such stream is configured. */
  UNKNOWN,
  /** The stream is pulled from its camera ({@code source: pull}): nobody publishes it. */
  PULLED,
  /** The stream is published into camflow ({@code source: publish}). */
  PUBLISHED
}
