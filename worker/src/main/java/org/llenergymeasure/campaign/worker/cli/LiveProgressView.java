package org.llenergymeasure.campaign.worker.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.llenergymeasure.campaign.activities.progress.ProgressEvents;
import org.llenergymeasure.campaign.config.Durations;
import org.llenergymeasure.campaign.worker.campaign.RunHeartbeats.RunView;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.RunningRun;

/**
 * {@code run}'s progress in a terminal: a block redrawn in place (a progress bar with done, failed,
 * skipped and total, each running run with its host, GPUs, elapsed time, progress step and last log
 * line, the ETA), with event lines (a run failed, completed) scrolling above it.
 */
final class LiveProgressView {

  private static final String CLEAR_TO_END = "\033[J";
  private static final int BAR = 30;

  /**
   * Steps and last log lines come from one describe call per running run; not more often than this.
   */
  private static final Duration LOG_LINE_EVERY = Duration.ofSeconds(2);

  private final PrintStream term;
  private final int width;
  private final BiFunction<String, String, RunView> runView;
  private final Supplier<Instant> clock;
  private final Map<String, String> shown = new HashMap<>();
  private Instant logLinesAt = Instant.EPOCH;
  private int drawnLines;
  private CampaignProgress last;

  /**
   * @param runView (campaign, runId) to the run's step and last log line (either may be null)
   */
  LiveProgressView(
      PrintStream term,
      int width,
      BiFunction<String, String, RunView> runView,
      Supplier<Instant> clock) {
    this.term = term;
    this.width = Math.max(40, width);
    this.runView = runView;
    this.clock = clock;
  }

  /** An event line: printed above the block, which is then drawn again below it. */
  synchronized void event(String line) {
    erase();
    term.println(line);
    draw();
  }

  synchronized void update(CampaignProgress p) {
    last = p;
    erase();
    draw();
  }

  /** Leaves the last block on screen; what is printed next goes below it. */
  synchronized void finish() {
    drawnLines = 0;
    term.flush();
  }

  private void erase() {
    if (drawnLines > 0) {
      term.print("\r\033[" + drawnLines + "A" + CLEAR_TO_END);
      drawnLines = 0;
    }
  }

  private void draw() {
    if (last == null) {
      term.flush();
      return;
    }
    List<String> lines = block(last);
    for (String line : lines) {
      term.println(fit(line));
    }
    drawnLines = lines.size();
    term.flush();
  }

  List<String> block(CampaignProgress p) {
    refreshLogLines(p);
    List<String> lines = new ArrayList<>();
    long done = p.completed() + p.failed() + p.skipped();
    int filled = p.planned() == 0 ? 0 : (int) (BAR * done / p.planned());
    String eta =
        p.etaSeconds() == null || p.pending() + p.running().size() == 0
            ? ""
            : "  ETA "
                + (p.mayGrow() ? "≥ " : "")
                + Durations.human(Duration.ofSeconds(p.etaSeconds()));
    if (p.mayGrow()) {
      // Adaptive cycles: the bar counts the runs planned so far.
      eta += "  (plan may grow to " + p.plannedMax() + " runs)";
    }
    lines.add(
        String.format(
            "%s %s [%s%s] %d/%d done: %d completed, %d failed, %d skipped%s",
            p.campaign(),
            p.state(),
            "#".repeat(filled),
            "-".repeat(BAR - filled),
            done,
            p.planned(),
            p.completed(),
            p.failed(),
            p.skipped(),
            eta));
    for (RunningRun r : p.running()) {
      String log = shown.get(r.runId());
      lines.add(
          String.format(
              "  > %s  %s  GPUs %s  attempt %d  %s%s",
              r.runId(),
              r.host() == null ? "(routing)" : r.host(),
              r.gpus() == null || r.gpus().isEmpty() ? "-" : String.join(",", r.gpus()),
              r.attempt(),
              elapsed(r.since()),
              log == null ? "" : "  | " + log));
    }
    return lines;
  }

  private void refreshLogLines(CampaignProgress p) {
    Instant now = clock.get();
    if (Duration.between(logLinesAt, now).compareTo(LOG_LINE_EVERY) < 0) {
      return;
    }
    logLinesAt = now;
    Map<String, String> fresh = new HashMap<>();
    for (RunningRun r : p.running()) {
      String line = shown(runView.apply(p.campaign(), r.runId()));
      if (line != null) {
        fresh.put(r.runId(), line);
      }
    }
    shown.clear();
    shown.putAll(fresh);
  }

  /**
   * The step first, then the last log line unless it is the step's own event line (its JSON says
   * nothing more): "model: Loading model (gpt2) | Downloading shards"; null when there is neither.
   */
  static String shown(RunView view) {
    if (view == null) {
      return null;
    }
    String line = view.lastLogLine() == null ? null : view.lastLogLine().strip();
    if (line != null && (line.isEmpty() || ProgressEvents.isEvent(line))) {
      line = null;
    }
    String step = view.step();
    if (step == null) {
      return line;
    }
    return line == null ? step : step + " | " + line;
  }

  private String elapsed(String since) {
    try {
      return Durations.human(Duration.between(Instant.parse(since), clock.get()));
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** One screen line at most: a wrapped line would throw the cursor arithmetic off. */
  private String fit(String line) {
    String flat = line.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    return flat.length() < width ? flat : flat.substring(0, width - 4) + "...";
  }

  /**
   * True when stderr is a terminal: {@code System.console()} (stdin and stdout are one) and, on
   * Linux, stderr's file is a tty. {@code LLEM_PROGRESS=plain} forces line output.
   */
  // Built for JDK 17, where System.console() is null without a terminal; on JDK 22+ (never null)
  // the /proc/self/fd/2 check below still decides on Linux.
  @SuppressWarnings("SystemConsoleNull")
  static boolean interactive() {
    if ("plain".equalsIgnoreCase(System.getenv("LLEM_PROGRESS"))
        || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    if (System.console() == null) {
      return false;
    }
    java.nio.file.Path fd2 = java.nio.file.Path.of("/proc/self/fd/2");
    try {
      String target = java.nio.file.Files.readSymbolicLink(fd2).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return true; // no /proc: trust System.console()
    }
  }

  /** The terminal's columns ({@code COLUMNS}, else {@code stty size} on /dev/tty), else 120. */
  static int terminalWidth() {
    try {
      String columns = System.getenv("COLUMNS");
      if (columns != null && !columns.isBlank()) {
        return Integer.parseInt(columns.strip());
      }
      Process stty =
          new ProcessBuilder("stty", "size")
              .redirectInput(new java.io.File("/dev/tty"))
              .redirectErrorStream(true)
              .start();
      String out =
          new String(stty.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .strip();
      if (stty.waitFor() == 0 && out.matches("\\d+ \\d+")) {
        int cols = Integer.parseInt(out.split(" ", -1)[1]);
        return cols > 0 ? cols : 120;
      }
    } catch (Exception e) {
      // not a terminal we can ask
    }
    return 120;
  }
}
