package io.camflow.e2e.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link FanoutClients}: the benchmark's viewers out of the server's process,
 * on the same machine (same clock, loopback). Same java and class path as this process.
 */
final class ClientProcess implements AutoCloseable {

  /** What the viewers had received at one moment. */
  record Counts(long bytes, long dropped, long limited, long[] fragments) {}

  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;
  final int viewers;

  private ClientProcess(Process process, int viewers) {
    this.process = process;
    this.viewers = viewers;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream()));
    this.in = new PrintWriter(process.getOutputStream(), true);
  }

  /** Starts {@code viewers} viewers of {@code url} and waits until every one is connected. */
  static ClientProcess start(String url, int viewers, int perHttpClient) throws IOException {
    return start(
        FanoutClients.class,
        viewers,
        url,
        Integer.toString(viewers),
        Integer.toString(perHttpClient));
  }

  /**
   * Runs {@code main} (same protocol as {@link FanoutClients}: {@code ready …} once its viewers are
   * connected, one {@code counts …} line per {@code counts} asked) with {@code args}.
   */
  static ClientProcess start(Class<?> main, int viewers, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ClientProcess c = new ClientProcess(p, viewers);
    String line = c.out.readLine();
    if (line == null || !line.startsWith("ready ")) {
      c.close();
      throw new IOException("viewer process did not start its viewers: " + line);
    }
    return c;
  }

  long pid() {
    return process.pid();
  }

  Counts counts() throws IOException {
    long[] v = numbers();
    return new Counts(v[0], v[1], v[2], Arrays.copyOfRange(v, 3, v.length));
  }

  /** Asks for {@code counts} and returns the numbers of the answer line as they came. */
  long[] numbers() throws IOException {
    in.println("counts");
    String line = out.readLine();
    if (line == null || !line.startsWith("counts ")) {
      throw new IOException("viewer process answered " + line);
    }
    return Arrays.stream(line.substring(7).trim().split(" ")).mapToLong(Long::parseLong).toArray();
  }

  /** utime+stime of the process so far, in clock ticks (/proc/<pid>/stat). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    List<String> f = Arrays.asList(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
    return Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
  }

  /** Resident set size of the process now, in bytes (/proc/<pid>/status VmRSS). */
  static long rssBytes(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    in.println("quit");
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
    }
  }
}
