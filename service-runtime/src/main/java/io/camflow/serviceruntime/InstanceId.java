package io.camflow.serviceruntime;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;

/**
 * A service instance's id: {@code CAMFLOW_INSTANCE_ID}, else {@code <service>-<host>-<pid>}.
 * Distinct per instance even in containers, where every process is pid 1 and the host name (the
 * container id) tells replicas apart: consumer groups' static member ids and per-instance groups
 * rely on it.
 */
public final class InstanceId {

  private InstanceId() {}

  /**
   * CAMFLOW_INSTANCE_ID, else {@link #byDefault} with the host of {@code HOSTNAME} or, where that
   * is unset, the one the operating system names.
   */
  public static String of(String service, Map<String, String> env) {
    String configured = Settings.fromEnvironment(env).get(CamflowOptions.INSTANCE_ID);
    if (configured != null) {
      return configured;
    }
    String host = env.getOrDefault("HOSTNAME", "");
    if (host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "";
      }
    }
    return byDefault(service, host);
  }

  /**
   * {@code <service>-<host>-<pid>}, the host in lower case with anything but letters, digits,
   * {@code _} and {@code -} as {@code -}; {@code <service>-<pid>} without a host.
   */
  public static String byDefault(String service, String host) {
    String clean = host.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    return service + "-" + (clean.isEmpty() ? "" : clean + "-") + ProcessHandle.current().pid();
  }
}
