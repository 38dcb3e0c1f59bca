package org.llenergymeasure.campaign.worker;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local state folder ({@code LLEM_HOME}, default {@code ~/.llem-campaign}): the embedded
 * server's {@code temporal.db}, logs, GPU leases.
 */
public record LlemHome(Path dir) {

  /**
   * {@code LLEM_HOME}, else {@code ~/.llem-campaign}. The JVM property {@code llem.home}, when set,
   * comes first: in-process tests of a command cannot set the environment.
   */
  public static LlemHome fromEnvironment() {
    String property = System.getProperty("llem.home");
    String env = property != null && !property.isBlank() ? property : System.getenv("LLEM_HOME");
    Path dir =
        env != null && !env.isBlank()
            ? Path.of(env)
            : Path.of(System.getProperty("user.home"), ".llem-campaign");
    return new LlemHome(dir.toAbsolutePath());
  }

  public Path temporalDb() {
    return dir.resolve("temporal.db");
  }

  public Path logs() {
    return dir.resolve("logs");
  }

  public Path leases() {
    return dir.resolve("leases");
  }

  /** Creates the folder; a clear error if that is impossible. */
  public LlemHome ensureExists() {
    try {
      Files.createDirectories(dir);
      Files.createDirectories(logs());
      return this;
    } catch (java.io.IOException e) {
      throw new EnvironmentProblem(
          "cannot create the state folder "
              + dir
              + " (LLEM_HOME): "
              + e.getMessage()
              + "; set LLEM_HOME to a writable folder");
    }
  }
}
