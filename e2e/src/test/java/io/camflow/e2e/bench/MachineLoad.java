package io.camflow.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine was, from {@code /proc/stat} and {@code /proc/loadavg}: benchmark
 * figures taken while other work runs are noisy, so each one is reported with the load around it.
 */
record MachineLoad(long busyTicks, long totalTicks, double loadAverage) {

  static MachineLoad now() throws IOException {
    String cpu =
        Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait ..."
    String[] f = cpu.trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length && i <= 8; i++) { // user..steal; guest time is already in user
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    return new MachineLoad(total - idle, total, load);
  }

  /** Share of all cores busy (any process) between {@code earlier} and this sample, in %. */
  double busyPercentSince(MachineLoad earlier) {
    long total = totalTicks - earlier.totalTicks;
    return total == 0 ? 0 : 100.0 * (busyTicks - earlier.busyTicks) / total;
  }
}
