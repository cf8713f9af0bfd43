package io.camflow.e2e;

import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A broker of one test's own (not the shared one other tests use), on a fresh directory and free
 * ports, which the test may stop and start again: it comes back on the same data and ports, so the
 * services' bootstrap address stays valid across the outage.
 */
final class RestartableKafka implements AutoCloseable {

  private final Path data;
  private final int port;
  private final int controllerPort;
  private LocalKafka broker;

  private RestartableKafka(Path data, int port, int controllerPort) {
    this.data = data;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** A new broker, serving when this returns. */
  static RestartableKafka start() throws IOException {
    RestartableKafka kafka =
        new RestartableKafka(
            Files.createTempDirectory("camflow-kafka-restart"), FreePorts.find(), FreePorts.find());
    kafka.startAgain();
    return kafka;
  }

  String bootstrapServers() {
    return LocalKafka.HOST + ":" + port;
  }

  /** Stops the broker (an outage). */
  synchronized void stop() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  /** Starts the broker again on its data and ports; serving when this returns. */
  synchronized void startAgain() {
    broker = LocalKafka.start(data, port, controllerPort);
  }

  @Override
  public void close() {
    stop();
  }
}
