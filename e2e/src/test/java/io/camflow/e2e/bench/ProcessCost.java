package io.camflow.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a process has cost up to one instant, from {@code /proc/<pid>/stat}: CPU time (utime+stime)
 * and resident memory. Two samples give the CPU share over the window between them.
 */
record ProcessCost(long atNanos, long cpuTicks, long rssBytes) {

  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
  private static final long PAGE_BYTES = 4096;

  static ProcessCost of(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields 14 and 15 (utime, stime) and 24 (rss, pages); f[0] is field 3
    return new ProcessCost(
        System.nanoTime(),
        Long.parseLong(f[11]) + Long.parseLong(f[12]),
        Long.parseLong(f[21]) * PAGE_BYTES);
  }

  /** CPU used from {@code earlier} to this sample, in % of one core. */
  double cpuPercentSince(ProcessCost earlier) {
    double seconds = (atNanos - earlier.atNanos) / 1e9;
    return 100.0 * (cpuTicks - earlier.cpuTicks) / CLOCK_TICKS_PER_SECOND / seconds;
  }

  double rssMiB() {
    return rssBytes / 1024.0 / 1024.0;
  }
}
