package io.agentledger.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The figures of one benchmark run, written as {@code bench/RESULTS.md}. */
public final class Results {

  /**
   * One measured figure.
   *
   * @param target what the issue asks for, or empty
   * @param met null when there is no target
   */
  public record Figure(
      String section,
      String name,
      String value,
      String target,
      @Nullable Boolean met,
      String command) {}

  private final List<Figure> figures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final String command;

  public Results(String command) {
    this.command = command;
  }

  public synchronized void add(Figure f) {
    figures.add(f);
    System.out.printf(
        Locale.ROOT,
        "  %-58s %s%s%n",
        f.name(),
        f.value(),
        f.met() == null
            ? ""
            : f.met()
                ? "  (target " + f.target() + ": met)"
                : "  (target " + f.target() + ": MISSED)");
  }

  public void add(String section, String name, String value, String command) {
    add(new Figure(section, name, value, "", null, command));
  }

  public void add(
      String section, String name, String value, String target, boolean met, String command) {
    add(new Figure(section, name, value, target, met, command));
  }

  /** The figures added so far, in order. */
  public synchronized List<Figure> figures() {
    return List.copyOf(figures);
  }

  public synchronized void note(String text) {
    notes.add(text);
  }

  /** Appends this part's figures and notes to {@code file}, for a later {@link #merge}. */
  public synchronized void save(Path file) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    StringBuilder lines = new StringBuilder();
    for (Figure f : figures) {
      lines.append(json.writeValueAsString(f)).append('\n');
    }
    for (String n : notes) {
      lines.append(json.writeValueAsString(java.util.Map.of("note", n))).append('\n');
    }
    Files.writeString(
        file,
        lines,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  /** The figures and notes saved by the parts of a run, in order. */
  public static Results merge(Path file, String command) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    Results r = new Results(command);
    for (String line : Files.readAllLines(file)) {
      com.fasterxml.jackson.databind.JsonNode n = json.readTree(line);
      if (n.has("note")) {
        r.notes.add(n.get("note").asText());
      } else {
        r.figures.add(json.treeToValue(n, Figure.class));
      }
    }
    return r;
  }

  public synchronized void write(Path file) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Written by `")
        .append(command)
        .append("` on ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(".\n\n");
    md.append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores (`nproc`), ")
        .append(Runtime.getRuntime().maxMemory() >> 20)
        .append(" MiB max heap, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append(", ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append(cpuModel())
        .append(".\n\n");
    md.append("These machines are shared and noisy: compare figures of the same run (the ratios)")
        .append(" rather than absolute numbers across runs.\n");
    String section = null;
    for (Figure f : figures) {
      if (!f.section().equals(section)) {
        section = f.section();
        md.append("\n## ").append(section).append("\n\n");
        md.append("| figure | value | target | command |\n|---|---|---|---|\n");
      }
      md.append("| ")
          .append(f.name())
          .append(" | ")
          .append(f.value())
          .append(" | ")
          .append(f.met() == null ? "" : (f.met() ? "✅ " : "❌ ") + f.target())
          .append(" | `")
          .append(f.command())
          .append("` |\n");
    }
    if (!notes.isEmpty()) {
      md.append("\n## Notes\n\n");
      for (String n : notes) {
        md.append("- ").append(n).append('\n');
      }
    }
    Files.writeString(file, md.toString());
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return ", " + line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "";
    }
    return "";
  }
}
