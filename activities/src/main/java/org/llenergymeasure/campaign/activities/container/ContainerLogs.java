package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.AttemptLogSaver;
import org.llenergymeasure.campaign.activities.CappedLog;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * Saves a container's log (stdout and stderr, as the engine interleaves them) to {@code log.txt},
 * streaming it to disk (a multi-day run's log can be large) with the run's secret values masked
 * across the engine's frames, at most the experiment's {@code logLimit} of it (head and tail, see
 * {@link CappedLog}), through a temporary file so a crash never leaves half a log that would then
 * count as "saved".
 */
public final class ContainerLogs implements AttemptLogSaver {

  public static final String FILE = "log.txt";
  private static final long READ_LIMIT_MINUTES = 10;

  private final DockerEngine engine;

  public ContainerLogs(DockerEngine engine) {
    this.engine = engine;
  }

  @Override
  public boolean saveLog(String handle, Path attemptDir) {
    Path target = attemptDir.resolve(FILE);
    if (Files.exists(target)) {
      return true;
    }
    InspectContainerResponse c;
    try {
      c = engine.client().inspectContainerCmd(handle).exec();
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw engine.translate(e, "saving the log of " + handle);
    }
    Secrets secrets = Secrets.fromContainer(c.getConfig().getLabels(), c.getConfig().getEnv());
    Path tmp = null;
    try {
      Files.createDirectories(attemptDir);
      tmp = Files.createTempFile(attemptDir, ".log", ".tmp");
      try (CappedLog out =
          new CappedLog(tmp, ContainerLabels.logLimit(c.getConfig().getLabels()))) {
        Writer writer = new Writer(out, new SecretMasker(secrets));
        engine
            .client()
            .logContainerCmd(c.getId())
            .withStdOut(true)
            .withStdErr(true)
            .withTailAll()
            .exec(writer);
        if (!writer.awaitCompletion(READ_LIMIT_MINUTES, TimeUnit.MINUTES)) {
          writer.close();
        }
        writer.finish();
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException("interrupted while saving the log of " + handle, e);
    } catch (IOException | UncheckedIOException e) {
      throw new RunFailureException(
          FailureTypes.RESULTS_UNWRITABLE,
          "cannot save the log of " + handle + " to " + target + ": " + e.getMessage(),
          false,
          e);
    } catch (RuntimeException e) {
      throw engine.translate(e, "saving the log of " + handle);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Only a leftover temporary file.
        }
      }
    }
  }

  /** Writes each log entry as it arrives, secrets masked across entries. */
  private static final class Writer extends ResultCallback.Adapter<Frame> {
    private final CappedLog out;
    private final SecretMasker masker;
    private IOException failure;

    Writer(CappedLog out, SecretMasker masker) {
      this.out = out;
      this.masker = masker;
    }

    @Override
    public synchronized void onNext(Frame frame) {
      if (failure != null) {
        return;
      }
      try {
        out.write(masker.write(frame.getPayload()));
      } catch (IOException e) {
        failure = e;
      }
    }

    /** Writes what the masker held back; reports a write that failed. */
    synchronized void finish() throws IOException {
      if (failure != null) {
        throw failure;
      }
      out.write(masker.finish());
    }
  }
}
