package io.camflow.ingest.ownership;

import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Decides which streams this ingest instance pulls. An instance pulls a configured stream only
 * while it owns it; streams it does not own stay remembered and start when ownership arrives.
 */
public interface StreamOwnership extends AutoCloseable {

  /** A lone instance: owns every stream, from the start (tests, single-instance embedding). */
  StreamOwnership ALL =
      new StreamOwnership() {
        @Override
        public boolean owns(String streamKey) {
          return true;
        }

        @Override
        public void start(Runnable changed) {}

        @Override
        public void close() {}
      };

  boolean owns(String streamKey);

  /**
   * Begins deciding. {@code changed} runs after every change of what this instance owns, on the
   * deciding thread, and must have stopped the pulls of streams no longer owned when it returns.
   */
  void start(Runnable changed);

  /** The topics this ownership needs before it starts. */
  default List<NewTopic> topics() {
    return List.of();
  }

  /** Gives up every stream (after {@code changed} stopped their pulls) and stops deciding. */
  @Override
  void close();
}
