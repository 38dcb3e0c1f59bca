package org.llenergymeasure.campaign.worker.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.llenergymeasure.campaign.activities.container.ContainerLabels;
import org.llenergymeasure.campaign.activities.container.DockerEngine;
import org.llenergymeasure.campaign.activities.container.SecretMasker;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.worker.BadInput;

/**
 * A run's log, wherever it is now: the saved {@code log.txt} of its last attempt, or while the run
 * is in progress the container's log (the container labelled with the run, highest attempt) or the
 * process-mode output file ({@code output.raw} in the attempt folder). Secret values are masked as
 * in the saved logs.
 */
public final class RunLogs {

  /**
   * Where the log came from: {@code saved}, {@code container} or {@code process}; which attempt.
   */
  public record Found(String source, int attempt) {}

  static final String SAVED = "log.txt";
  static final String PROCESS_OUTPUT = "output.raw";
  static final String PROCESS_EXIT = "exit-code";
  static final String PROCESS_RECORD = "process.json";

  private final Path results;
  private final String campaign;
  private final String runId;
  private final DockerEngine engine; // null when no engine is reachable
  private final Map<String, String> env;
  private final Duration poll;

  public RunLogs(
      Path results,
      String campaign,
      String runId,
      DockerEngine engine,
      Map<String, String> env,
      Duration poll) {
    this.results = results;
    this.campaign = campaign;
    this.runId = runId;
    this.engine = engine;
    this.env = env;
    this.poll = poll;
  }

  /**
   * Prints the log to {@code out}; with {@code follow}, keeps printing until the run's attempt ends
   * (waiting for it to start if it has not). {@code say} gets notes for people.
   */
  public Found print(PrintStream out, boolean follow, Consumer<String> say)
      throws InterruptedException {
    boolean waitingSaid = false;
    while (true) {
      int folderAttempt = lastFolderAttempt();
      Optional<Container> container = container();
      int containerAttempt = container.map(RunLogs::attemptOf).orElse(0);
      if (container.isPresent()
          && containerAttempt >= folderAttempt
          && !Files.exists(attemptDir(containerAttempt).resolve(SAVED))) {
        say.accept(
            "run "
                + runId
                + " attempt "
                + containerAttempt
                + ": log of container "
                + container.get().getNames()[0].replaceFirst("^/", "")
                + (follow ? " (following)" : ""));
        streamContainer(container.get().getId(), out, follow);
        return new Found("container", containerAttempt);
      }
      if (folderAttempt > 0) {
        Path dir = attemptDir(folderAttempt);
        if (Files.exists(dir.resolve(SAVED))) {
          say.accept("run " + runId + " attempt " + folderAttempt + ": " + dir.resolve(SAVED));
          copy(dir.resolve(SAVED), out);
          return new Found("saved", folderAttempt);
        }
        if (Files.exists(dir.resolve(PROCESS_OUTPUT))) {
          say.accept(
              "run "
                  + runId
                  + " attempt "
                  + folderAttempt
                  + ": output of its process"
                  + (follow ? " (following)" : ""));
          tailProcess(dir, out, follow);
          return new Found("process", folderAttempt);
        }
      }
      if (!follow) {
        throw new BadInput(noLogYet(folderAttempt));
      }
      if (!waitingSaid) {
        say.accept(noLogYet(folderAttempt) + "; waiting for it to start (Ctrl-C stops)");
        waitingSaid = true;
      }
      Thread.sleep(poll.toMillis());
    }
  }

  private String noLogYet(int folderAttempt) {
    Path runDir = results.resolve(campaign).resolve(runId);
    if (folderAttempt == 0 && !Files.isDirectory(results.resolve(campaign))) {
      return "no run folder of campaign "
          + campaign
          + " under "
          + results
          + " and no container of run "
          + runId
          + " on this host; pass the folder the campaign runs"
          + " with via --results DIR, on the host that runs it";
    }
    if (folderAttempt == 0) {
      return "no log of run "
          + runId
          + " of campaign "
          + campaign
          + " yet (no "
          + runId
          + "/a<n>/ under "
          + results.resolve(campaign)
          + ", no container); check the run id with `llem-campaign status "
          + campaign
          + "` or `llem-campaign plan FILE`";
    }
    return "run "
        + runId
        + " attempt "
        + folderAttempt
        + " has no log yet ("
        + runDir.resolve("a" + folderAttempt)
        + " holds no log.txt and no container runs it)";
  }

  private Path attemptDir(int attempt) {
    return results.resolve(campaign).resolve(runId).resolve("a" + attempt);
  }

  /** The highest {@code a<n>} folder of the run, 0 when none. */
  int lastFolderAttempt() {
    Path runDir = results.resolve(campaign).resolve(runId);
    if (!Files.isDirectory(runDir)) {
      return 0;
    }
    try (Stream<Path> dirs = Files.list(runDir)) {
      return dirs.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("a[0-9]+"))
          .mapToInt(n -> Integer.parseInt(n.substring(1)))
          .max()
          .orElse(0);
    } catch (IOException e) {
      return 0;
    }
  }

  private Optional<Container> container() {
    if (engine == null) {
      return Optional.empty();
    }
    List<Container> found =
        engine
            .client()
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(ContainerLabels.CAMPAIGN, campaign, ContainerLabels.RUN, runId))
            .exec();
    return found.stream().max(Comparator.comparingInt(RunLogs::attemptOf));
  }

  private static int attemptOf(Container c) {
    try {
      return Integer.parseInt(c.getLabels().getOrDefault(ContainerLabels.ATTEMPT, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void streamContainer(String id, PrintStream out, boolean follow)
      throws InterruptedException {
    InspectContainerResponse c = engine.client().inspectContainerCmd(id).exec();
    Secrets secrets = Secrets.fromContainer(c.getConfig().getLabels(), c.getConfig().getEnv());
    // One masker for the whole stream: a secret cut between two frames is masked too.
    SecretMasker masker = new SecretMasker(secrets);
    ResultCallback.Adapter<Frame> printer =
        new ResultCallback.Adapter<>() {
          @Override
          public synchronized void onNext(Frame frame) {
            out.print(masker.write(frame.getPayload()));
            out.flush();
          }

          @Override
          public synchronized void onComplete() {
            out.print(masker.finish());
            out.flush();
            super.onComplete();
          }
        };
    engine
        .client()
        .logContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .withTailAll()
        .withFollowStream(follow)
        .exec(printer);
    if (follow) {
      printer.awaitCompletion();
    } else {
      printer.awaitCompletion(5, TimeUnit.MINUTES);
    }
  }

  /**
   * Prints a saved log. Never through a link: in attempt folders of earlier versions the run could
   * write, and a link there would print a host file.
   */
  private static void copy(Path file, PrintStream out) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new BadInput(
          "not printing "
              + file
              + ": it is a symbolic link or not a regular file (the worker never writes one)");
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      in.transferTo(out);
      out.flush();
    } catch (IOException e) {
      throw new BadInput("cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * Prints the process's output file; with follow, keeps printing what it appends until the wrapper
   * has written the exit code (or cleanup has moved the output to {@code log.txt}).
   */
  private void tailProcess(Path dir, PrintStream out, boolean follow) throws InterruptedException {
    // One masker across reads: a secret the run wrote in two pieces is masked too.
    SecretMasker masker = new SecretMasker(processSecrets(dir));
    Path file = dir.resolve(PROCESS_OUTPUT);
    long offset = 0;
    while (true) {
      boolean ended = Files.exists(dir.resolve(PROCESS_EXIT)) || !Files.exists(file);
      offset = printFrom(file, offset, out, masker);
      if (!follow || ended) {
        out.print(masker.finish());
        out.flush();
        return;
      }
      Thread.sleep(poll.toMillis());
    }
  }

  private static long printFrom(Path file, long offset, PrintStream out, SecretMasker masker) {
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(offset);
      byte[] buf = new byte[1 << 16];
      long at = offset;
      int n;
      while ((n = in.read(buf)) > 0) {
        out.print(masker.write(buf, 0, n));
        at += n;
      }
      out.flush();
      return at;
    } catch (IOException e) {
      return offset; // moved away by cleanup: the caller sees the file gone and stops
    }
  }

  /** The run's secret names from process.json, their values from this environment. */
  private Secrets processSecrets(Path dir) {
    try {
      JsonNode record = new ObjectMapper().readTree(dir.resolve(PROCESS_RECORD).toFile());
      List<String> names = new ArrayList<>();
      record.path("secrets").forEach(n -> names.add(n.asText()));
      List<String> entries = new ArrayList<>();
      env.forEach((k, v) -> entries.add(k + "=" + v));
      return Secrets.fromContainer(
          Map.of(ContainerLabels.SECRETS, String.join(",", names)), entries.toArray(String[]::new));
    } catch (IOException | RuntimeException e) {
      return Secrets.none();
    }
  }
}
