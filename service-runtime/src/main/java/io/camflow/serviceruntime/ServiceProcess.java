package io.camflow.serviceruntime;

import io.camflow.localprocess.Lifeline;
import io.camflow.metrics.MetricsServer;
import io.camflow.metrics.ServiceMetrics;
import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * One camflow service as a process of its own, the way each {@code *Main} runs it:
 *
 * <ol>
 *   <li>reads its settings; bad ones end the process with exit code 2 and the reason on stderr,
 *       before anything starts;
 *   <li>under {@code ./camflow up} ({@code CAMFLOW_LIFELINE=stdin}) ends with the launcher, however
 *       it ends, after a {@linkplain #LIFELINE_GRACE grace} for the orderly stop;
 *   <li>builds its {@link Service} from the settings (a bad setting found there: exit 2 too);
 *   <li>serves its metrics ({@code /metrics}, {@code /healthz}) when it has a {@linkplain
 *       #metricsPort metrics port};
 *   <li>runs Camel Main: the service configures Camel's context before it starts, is told once it
 *       has, and is closed when Camel stops, then the metrics server.
 * </ol>
 *
 * A {@code *Main} says only what differs: the service's name, its metrics port, when it closes, and
 * how to build it.
 */
public final class ServiceProcess {

  /** After the launcher is gone: the orderly stop may take this long, then the JVM halts. */
  public static final Duration LIFELINE_GRACE = Duration.ofSeconds(20);

  /** The exit code of a process whose settings are bad. */
  public static final int BAD_SETTINGS = 2;

  /** What a service gives its process; Camel Main drives it. */
  public interface Service {

    /** Puts the service into Camel's context, before the context starts. */
    void configure(CamelContext ctx) throws Exception;

    /** After Camel's context has started: the service starts its streams. */
    default void started() throws Exception {}

    /** Stops the service (before or after Camel stops: {@link #closesBeforeCamelStops}). */
    void close();

    /** A service that only configures Camel's context and closes. */
    static Service of(Configurer configure, Runnable close) {
      return new Service() {
        @Override
        public void configure(CamelContext ctx) throws Exception {
          configure.configure(ctx);
        }

        @Override
        public void close() {
          close.run();
        }
      };
    }
  }

  /** A service's {@code configure(CamelContext)}. */
  public interface Configurer {
    void configure(CamelContext ctx) throws Exception;
  }

  /** How a process reads its settings. */
  public interface SettingsSource {
    /**
     * @throws IllegalArgumentException a bad setting (printed after the service's name)
     * @throws RejectedSettings bad settings whose message says where (printed as it is)
     */
    Settings load();
  }

  /** How a process builds its service from its settings. */
  public interface ServiceFactory {
    /**
     * @param metrics the process's metrics; null without a {@linkplain #metricsPort metrics port}
     *     (a service that serves its own)
     * @throws IllegalArgumentException a bad setting (printed after the service's name)
     */
    Service build(Settings settings, ServiceMetrics metrics) throws Exception;
  }

  /** Bad settings whose message already says where they are: printed as it is, exit 2. */
  public static final class RejectedSettings extends IllegalArgumentException {
    public RejectedSettings(String message) {
      super(message);
    }
  }

  private final String service;
  private Integer metricsPort;
  private boolean closesBeforeCamelStops;
  private SettingsSource settings = Settings::load;

  private ServiceProcess(String service) {
    this.service = service;
  }

  /**
   * @param service the short name ({@code ingest}): the process is {@code <service>-service} in
   *     messages and the lifeline, its metrics are {@code camflow_<service>_*}
   */
  public static ServiceProcess named(String service) {
    return new ServiceProcess(service);
  }

  /**
   * Serves the process's metrics, on {@code metrics.port} or else this port (docs/operations.md),
   * and instruments Camel's context with them.
   */
  public ServiceProcess metricsPort(int defaultPort) {
    this.metricsPort = defaultPort;
    return this;
  }

  /**
   * Closes the service when Camel starts to stop, while its routes still run (ingest: its streams
   * end first); otherwise once Camel has stopped.
   */
  public ServiceProcess closesBeforeCamelStops() {
    this.closesBeforeCamelStops = true;
    return this;
  }

  /** Reads the settings so; {@link Settings#load()} unless set. */
  public ServiceProcess settings(SettingsSource source) {
    this.settings = source;
    return this;
  }

  /** {@code <service>-service}: how messages and the lifeline name the process. */
  public String processName() {
    return service + "-service";
  }

  /** Runs the process until Camel Main stops; exits 2 on bad settings. */
  public void run(String[] args, ServiceFactory factory) throws Exception {
    Settings loaded;
    try {
      loaded = settings.load();
    } catch (IllegalArgumentException e) {
      exitOnBadSettings(e);
      return;
    }
    // ./camflow up sets CAMFLOW_LIFELINE=stdin: stop with the launcher, however it ends
    // (docs/operations.md)
    if (loaded.get(CamflowOptions.LIFELINE).equals(Lifeline.STDIN)) {
      Lifeline.exitWhenStdinEnds(processName(), LIFELINE_GRACE);
    }
    ServiceMetrics metrics = metricsPort == null ? null : new ServiceMetrics(service);
    Service running;
    MetricsServer metricsServer;
    try {
      running = factory.build(loaded, metrics);
      metricsServer =
          metrics == null ? null : MetricsServer.fromSettings(metrics, loaded, metricsPort);
    } catch (IllegalArgumentException e) {
      exitOnBadSettings(e);
      return;
    }
    Main main = new Main();
    main.addMainListener(new CamelLifecycle(metrics, running, metricsServer));
    main.run(args);
  }

  private void exitOnBadSettings(IllegalArgumentException e) {
    System.err.println(
        e instanceof RejectedSettings ? e.getMessage() : processName() + ": " + e.getMessage());
    System.exit(BAD_SETTINGS);
  }

  /** The service's part in Camel Main's start and stop. */
  private final class CamelLifecycle extends MainListenerSupport {
    private final ServiceMetrics metrics;
    private final Service running;
    private final MetricsServer metricsServer;

    CamelLifecycle(ServiceMetrics metrics, Service running, MetricsServer metricsServer) {
      this.metrics = metrics;
      this.running = running;
      this.metricsServer = metricsServer;
    }

    @Override
    public void beforeConfigure(BaseMainSupport m) {
      try {
        if (metrics != null) {
          metrics.instrument(m.getCamelContext());
        }
        running.configure(m.getCamelContext());
      } catch (Exception e) {
        throw new IllegalStateException(processName() + " cannot start: " + e.getMessage(), e);
      }
    }

    @Override
    public void afterStart(BaseMainSupport m) {
      try {
        running.started();
      } catch (Exception e) {
        throw new IllegalStateException(
            processName() + " cannot start its streams: " + e.getMessage(), e);
      }
    }

    @Override
    public void beforeStop(BaseMainSupport m) {
      if (closesBeforeCamelStops) {
        close();
      }
    }

    @Override
    public void afterStop(BaseMainSupport m) {
      if (!closesBeforeCamelStops) {
        close();
      }
    }

    private void close() {
      running.close();
      if (metricsServer != null) {
        metricsServer.close();
      }
    }
  }
}
