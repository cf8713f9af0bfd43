package io.camflow.ingest.routes;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Loads one Camel YAML routes file and keeps it applied while a user edits it. A reload replaces
 * only the entries (routes, route templates) whose text changed: untouched routes keep running. For
 * a changed template, the routes made from it are taken down first and made again afterwards,
 * through {@link TemplateUsers}. A file that does not parse or load is reported and the previous
 * entries are put back, so a typo never leaves a service without its routes.
 */
public final class RouteFileReloader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RouteFileReloader.class);

  /** The routes built from templates of this file: the service that instantiates them. */
  public interface TemplateUsers {
    /** Stops and removes the routes made from the template. */
    void removeRoutesOf(String templateId) throws Exception;

    /** Makes the routes of the template again. */
    void addRoutesOf(String templateId) throws Exception;
  }

  private final CamelContext context;
  private final Path file;
  private final TemplateUsers users;
  private Map<String, Object> entries = Map.of();
  private WatchService watcher;
  private Thread thread;

  public RouteFileReloader(CamelContext context, Path file, TemplateUsers users) {
    this.context = context;
    this.file = file.toAbsolutePath();
    this.users = users;
  }

  /**
   * Loads the whole file. Failing here fails the start: a service must not start without routes.
   */
  public synchronized void loadInitial() throws Exception {
    Map<String, Object> parsed = parse(Files.readString(file));
    load(new ArrayList<>(parsed.values()));
    entries = parsed;
  }

  /** Starts watching the file's directory for changes. */
  public synchronized void watch() throws IOException {
    watcher = file.getFileSystem().newWatchService();
    file.getParent()
        .register(
            watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
    thread = new Thread(this::watchLoop, "routes-reload-" + file.getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        boolean ours =
            key.pollEvents().stream().anyMatch(e -> file.getFileName().equals(e.context()));
        key.reset();
        if (ours) {
          TimeUnit.MILLISECONDS.sleep(200); // editors write in several steps
          drain();
          reload();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    }
  }

  private void drain() {
    WatchKey key;
    while ((key = watcher.poll()) != null) {
      key.pollEvents();
      key.reset();
    }
  }

  /**
   * Applies the file as it is now.
   *
   * @return the ids of the entries replaced, added or removed
   */
  public synchronized List<String> reload() {
    Map<String, Object> next;
    try {
      next = parse(Files.readString(file));
    } catch (Exception e) {
      LOG.error("{} not reloaded: {}", file, e.getMessage());
      return List.of();
    }
    List<String> gone = new ArrayList<>();
    List<Object> changed = new ArrayList<>();
    List<String> changedIds = new ArrayList<>();
    for (Map.Entry<String, Object> old : entries.entrySet()) {
      if (!old.getValue().equals(next.get(old.getKey()))) {
        gone.add(old.getKey());
      }
    }
    for (Map.Entry<String, Object> e : next.entrySet()) {
      if (!e.getValue().equals(entries.get(e.getKey()))) {
        changed.add(e.getValue());
        changedIds.add(e.getKey());
      }
    }
    if (gone.isEmpty() && changed.isEmpty()) {
      return List.of();
    }
    try {
      remove(gone);
      load(changed);
      for (String id : gone) {
        if (id.startsWith("routeTemplate:") && next.containsKey(id)) {
          users.addRoutesOf(id.substring("routeTemplate:".length()));
        }
      }
      entries = next;
      List<String> touched = new ArrayList<>(gone);
      changedIds.stream().filter(id -> !touched.contains(id)).forEach(touched::add);
      LOG.info("{} reloaded: {}", file.getFileName(), touched);
      return touched;
    } catch (Exception e) {
      LOG.error("{} not applied ({}); restoring the previous routes", file, e.getMessage());
      restore(gone);
      return List.of();
    }
  }

  private void remove(List<String> ids) throws Exception {
    ModelCamelContext model = (ModelCamelContext) context;
    for (String id : ids) {
      String name = id.substring(id.indexOf(':') + 1);
      if (id.startsWith("routeTemplate:")) {
        users.removeRoutesOf(name);
        model.removeRouteTemplateDefinitions(name);
      } else if (id.startsWith("route:")) {
        context.getRouteController().stopRoute(name);
        context.removeRoute(name);
      }
    }
  }

  private void restore(List<String> ids) {
    try {
      // entries that the failed attempt may have half-added are removed before putting the old ones
      // back
      remove(ids.stream().filter(this::isLoaded).toList());
      List<Object> old = ids.stream().map(entries::get).filter(java.util.Objects::nonNull).toList();
      load(old);
      for (String id : ids) {
        if (id.startsWith("routeTemplate:") && entries.containsKey(id)) {
          users.addRoutesOf(id.substring("routeTemplate:".length()));
        }
      }
    } catch (Exception e) {
      LOG.error("{}: could not restore the previous routes: {}", file, e.getMessage());
    }
  }

  private boolean isLoaded(String id) {
    String name = id.substring(id.indexOf(':') + 1);
    if (id.startsWith("route:")) {
      return context.getRoute(name) != null;
    }
    return ((ModelCamelContext) context).getRouteTemplateDefinition(name) != null;
  }

  private void load(List<Object> items) throws Exception {
    if (items.isEmpty()) {
      return;
    }
    String yaml = new Dump(DumpSettings.builder().build()).dumpToString(items);
    PluginHelper.getRoutesLoader(context)
        .loadRoutes(ResourceHelper.fromString("file:" + file, yaml));
  }

  /** Top-level entries keyed by kind and id ({@code route:camflow-status}). */
  static Map<String, Object> parse(String text) {
    Object doc = new Load(LoadSettings.builder().build()).loadFromString(text);
    Map<String, Object> out = new LinkedHashMap<>();
    if (doc == null) {
      return out;
    }
    if (!(doc instanceof List<?> list)) {
      throw new IllegalArgumentException(
          "a routes file is a YAML list of route and routeTemplate entries");
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> item) || item.size() != 1) {
        throw new IllegalArgumentException(
            "entry " + (i + 1) + " is not a single route or routeTemplate");
      }
      String kind = String.valueOf(item.keySet().iterator().next());
      Object body = item.values().iterator().next();
      Object id = body instanceof Map<?, ?> m ? m.get("id") : null;
      String key = kind + ":" + (id == null ? "#" + (i + 1) : id);
      if (out.put(key, item) != null) {
        throw new IllegalArgumentException("duplicate " + kind + " id '" + id + "'");
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.debug("closing the watcher of {}", file, e);
      }
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
