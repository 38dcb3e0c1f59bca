package org.llenergymeasure.campaign.activities.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.RunFolder;
import org.llenergymeasure.campaign.config.LlenergymeasureSpec;
import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * Writes an llenergymeasure experiment's config ({@link LlenergymeasureSpec#config()}, verbatim) as
 * {@link UpstreamContract#CONFIG_FILE} into the attempt's run folder, just before its run is
 * created: the run folder is the run's, so whatever has that name there is removed first without
 * being followed (a leftover of an earlier try of the same launch, or a link an earlier container
 * of the attempt left), and the file is then created new ({@code O_CREAT|O_EXCL}, {@code
 * O_NOFOLLOW}): a link put there in between makes the launch fail instead of writing through it.
 */
public final class UpstreamConfig {

  private static final Set<OpenOption> CREATE_NEW =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

  private UpstreamConfig() {}

  /** {@link #write} for an experiment of llenergymeasure; nothing for any other ({@code null}). */
  public static void writeIfAny(Path runDir, LlenergymeasureSpec spec) {
    if (spec != null) {
      write(runDir, spec);
    }
  }

  /** Writes the config file into {@code runDir} (replacing what had its name); returns its path. */
  public static Path write(Path runDir, LlenergymeasureSpec spec) {
    RunFolder.deleteTree(runDir, UpstreamContract.CONFIG_FILE);
    Path file = runDir.resolve(UpstreamContract.CONFIG_FILE);
    try {
      createNew(file, spec.config());
    } catch (FileAlreadyExistsException e) {
      throw new RunFailureException(
          FailureTypes.LAUNCH_FAILED,
          "something appeared at "
              + file
              + " while the worker wrote the experiment's llenergymeasure config there; it was"
              + " not followed or overwritten",
          false,
          e);
    } catch (IOException e) {
      throw new RunFailureException(
          FailureTypes.RESULTS_UNWRITABLE,
          "cannot write the experiment's llenergymeasure config "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); check that the results folder is writable by the worker",
          false,
          e);
    }
    return file;
  }

  /**
   * Creates {@code file} with {@code text}; fails with {@link FileAlreadyExistsException} when
   * anything (a link included, never followed) has its name.
   */
  static void createNew(Path file, String text) throws IOException {
    // Readable by a container whose user is not root (the run folder is opened to it then).
    try (SeekableByteChannel out =
        Files.newByteChannel(
            file,
            CREATE_NEW,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    }
  }
}
