package io.camflow.ingest.rtsp;

import io.camflow.ingest.demand.DemandTracker;
import io.camflow.ingest.status.StatusListener;
import io.camflow.media.StreamKey;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code rtsp:} component: {@code rtsp:<camera>/<stream>?options} pulls one camera stream and
 * emits one exchange per access unit (body = the access unit's bytes, headers = camflow's media
 * record headers, see docs/record-format.md). Shared by all its endpoints: default options, the
 * source catalog, viewer demand, status reporting and the camera-connection limit.
 */
public class RtspComponent extends DefaultComponent {

  private RtspConfiguration configuration = new RtspConfiguration();
  private SourceCatalog catalog = key -> java.util.Optional.empty();
  private SourceFactory sourceFactory = SourceFactory.DEFAULT;
  private DemandTracker demandTracker = new DemandTracker();
  private StatusListener statusListener = StatusListener.NONE;
  private String instanceId = "ingest";
  private int maxConnections = 64;
  private Semaphore connections;

  @Override
  protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
      throws Exception {
    StreamKey key = StreamKey.parse(remaining);
    RtspConfiguration copy = configuration.copy();
    setProperties(copy, parameters);
    copy.validate();
    RtspEndpoint endpoint = new RtspEndpoint(uri, this, key, copy);
    setProperties(endpoint, parameters);
    return endpoint;
  }

  synchronized Semaphore connections() {
    if (connections == null) {
      connections = new Semaphore(maxConnections, true);
    }
    return connections;
  }

  public RtspConfiguration getConfiguration() {
    return configuration;
  }

  public void setConfiguration(RtspConfiguration configuration) {
    this.configuration = configuration;
  }

  public SourceCatalog getCatalog() {
    return catalog;
  }

  public void setCatalog(SourceCatalog catalog) {
    this.catalog = catalog;
  }

  public SourceFactory getSourceFactory() {
    return sourceFactory;
  }

  public void setSourceFactory(SourceFactory sourceFactory) {
    this.sourceFactory = sourceFactory;
  }

  public DemandTracker getDemandTracker() {
    return demandTracker;
  }

  public void setDemandTracker(DemandTracker demandTracker) {
    this.demandTracker = demandTracker;
  }

  public StatusListener getStatusListener() {
    return statusListener;
  }

  public void setStatusListener(StatusListener statusListener) {
    this.statusListener = statusListener;
  }

  public String getInstanceId() {
    return instanceId;
  }

  public void setInstanceId(String instanceId) {
    this.instanceId = instanceId;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  /**
   * Most camera connections open at once across all endpoints; set before the first endpoint
   * starts.
   */
  public void setMaxConnections(int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    this.maxConnections = maxConnections;
  }
}
