package io.agentledger.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's CPU time and resident memory, for "what did it cost the server" columns. */
public final class ProcessUsage {

  private final long cpuNanosAtStart = cpuNanos();
  private final long wallNanosAtStart = System.nanoTime();

  /** CPU used since construction, in cores (1.0 = one core busy the whole time). */
  public double coresUsed() {
    long wall = System.nanoTime() - wallNanosAtStart;
    return wall == 0 ? 0 : (double) (cpuNanos() - cpuNanosAtStart) / wall;
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Resident set size in MiB, from {@code /proc/self/status} (Linux), or -1. */
  public static long rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** The threads of this process, native ones included, from {@code /proc/self/status}, or -1. */
  public static long threads() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Open file descriptors of this process (files, sockets, pipes), or -1. */
  public static long openFiles() {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Heap in use after the last collection of the old generation, in MiB, or -1. */
  public static long oldGenAfterGcMiB() {
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      var after = pool.getCollectionUsage();
      if (pool.getName().contains("Old Gen") && after != null) {
        return after.getUsed() >> 20;
      }
    }
    return -1;
  }
}
