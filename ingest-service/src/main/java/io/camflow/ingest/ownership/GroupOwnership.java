package io.camflow.ingest.ownership;

import io.camflow.ingest.topics.TopicProvisioner;
import io.camflow.media.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream ownership by Kafka consumer-group membership: every ingest instance subscribes to the
 * control topic {@value #TOPIC} in group {@value #GROUP} and owns the streams that hash to the
 * partitions assigned to it ({@link StreamPartitions}). The topic carries no records; the group's
 * assignment is the whole point.
 *
 * <p>The cooperative-sticky assignor moves only the partitions that must move: a joining instance
 * takes about half without the others stopping anything else. A partition leaves an instance in
 * {@code onPartitionsRevoked}, which returns only after the streams' pulls have stopped, and the
 * group hands it on only after that: never two instances pulling one camera. A killed instance's
 * partitions move after the session timeout.
 *
 * <p>The consumer lives on its own thread, polling continuously (never on a Camel route thread), so
 * heartbeats and rebalances are never held up by media work.
 */
public final class GroupOwnership implements StreamOwnership {

  private static final Logger LOG = LoggerFactory.getLogger(GroupOwnership.class);
  public static final String TOPIC = Topics.INGEST_OWNERSHIP;
  public static final String GROUP = "camflow-ingest";
  private static final Duration POLL = Duration.ofMillis(500);

  /** How long a rebalance may wait for an instance to stop the pulls it gives up. */
  private static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(2);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  private final String bootstrapServers;
  private final String instanceId;
  private final OwnershipSettings settings;
  private volatile Set<Integer> owned = Set.of();
  private volatile StreamPartitions partitions;
  private volatile boolean closing;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;
  private Runnable changed = () -> {};

  public GroupOwnership(String bootstrapServers, String instanceId, OwnershipSettings settings) {
    this.bootstrapServers = bootstrapServers;
    this.instanceId = instanceId;
    this.settings = settings;
  }

  @Override
  public List<NewTopic> topics() {
    return List.of(TopicProvisioner.ownershipTopic(TOPIC, settings.partitions()));
  }

  @Override
  public boolean owns(String streamKey) {
    StreamPartitions p = partitions;
    return p != null && owned.contains(p.of(streamKey));
  }

  /** The partitions this instance owns now (metrics, tests). */
  public Set<Integer> ownedPartitions() {
    return owned;
  }

  @Override
  public synchronized void start(Runnable changed) {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    this.changed = changed;
    consumer =
        new KafkaConsumer<>(
            consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread = new Thread(this::run, "camflow-ingest-ownership");
    thread.start();
  }

  private Properties consumerProperties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "camflow-ingest-ownership-" + instanceId);
    p.put(
        ConsumerConfig.GROUP_PROTOCOL_CONFIG,
        "classic"); // the client-side assignor and a short session timeout
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    p.put(
        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
        Long.toString(settings.sessionTimeout().toMillis()));
    p.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        Long.toString(settings.heartbeatInterval().toMillis()));
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(MAX_POLL_INTERVAL.toMillis()));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(
        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
        "false"); // ingest creates it with its partition count
    return p;
  }

  private void run() {
    try {
      partitions = awaitPartitionCount();
      if (partitions != null) {
        consumer.subscribe(List.of(TOPIC), new Listener());
        while (!closing) {
          poll();
        }
      }
    } finally {
      closeConsumer();
    }
  }

  /**
   * The topic's real partition count: what every instance hashes by, whatever its own setting says.
   */
  private StreamPartitions awaitPartitionCount() {
    while (!closing) {
      try {
        List<PartitionInfo> info = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10));
        if (info != null && !info.isEmpty()) {
          if (info.size() != settings.partitions()) {
            LOG.warn(
                "{} has {} partitions, not the configured {}: using {} (docs/operations.md \"Scale-out: ingest\")",
                TOPIC,
                info.size(),
                settings.partitions(),
                info.size());
          }
          return new StreamPartitions(info.size());
        }
      } catch (WakeupException e) {
        return null;
      } catch (KafkaException e) {
        LOG.warn("cannot read the partitions of {} yet: {}", TOPIC, e.getMessage());
      }
      sleepQuietly(POLL);
    }
    return null;
  }

  private void poll() {
    try {
      consumer.poll(POLL);
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (KafkaException e) {
      LOG.warn("ownership group: {}; retrying", e.getMessage());
      sleepQuietly(POLL);
    }
  }

  private void closeConsumer() {
    try {
      consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT)); // revokes: our pulls stop, then we leave
    } catch (KafkaException e) {
      LOG.warn("ownership group: leaving: {}", e.getMessage());
    } finally {
      if (!owned.isEmpty()) { // closing without a revoke (e.g. no broker): stop the pulls anyway
        update(Set.of(), "closed");
      }
    }
  }

  private void update(Set<Integer> next, String why) {
    owned = Set.copyOf(next);
    LOG.info(
        "ownership: {}; this instance ({}) owns partitions {} of {}",
        why,
        instanceId,
        new TreeSet<>(owned),
        partitions == null ? "?" : partitions.count());
    try {
      changed.run();
    } catch (RuntimeException e) {
      LOG.error("ownership: applying the change failed", e);
    }
  }

  private static Set<Integer> numbers(Collection<TopicPartition> tps) {
    return tps.stream().map(TopicPartition::partition).collect(Collectors.toSet());
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs on the polling thread, inside poll() or close(): Kafka waits for it. */
  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (!assigned.isEmpty()) {
        if (assigned.stream().anyMatch(tp -> tp.partition() >= partitions.count())) {
          LOG.error(
              "{} has more partitions than the {} this instance started with: restart every ingest instance "
                  + "(docs/operations.md \"Scale-out: ingest\")",
              TOPIC,
              partitions.count());
        }
        Set<Integer> next = new HashSet<>(owned);
        next.addAll(numbers(assigned));
        update(next, "assigned " + new TreeSet<>(numbers(assigned)));
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (!revoked.isEmpty()) {
        Set<Integer> next = new HashSet<>(owned);
        next.removeAll(numbers(revoked));
        update(next, "revoked " + new TreeSet<>(numbers(revoked)));
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      if (!lost.isEmpty()) {
        Set<Integer> next = new HashSet<>(owned);
        next.removeAll(numbers(lost));
        update(
            next, "lost " + new TreeSet<>(numbers(lost)) + " (this instance was out of the group)");
      }
    }
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      t = thread;
      closing = true;
    }
    if (t == null) {
      return;
    }
    consumer.wakeup();
    try {
      t.join(CLOSE_TIMEOUT.plusSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
