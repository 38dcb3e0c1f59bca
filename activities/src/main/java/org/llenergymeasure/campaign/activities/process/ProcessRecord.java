package org.llenergymeasure.campaign.activities.process;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.config.Experiment;

/**
 * {@code process.json} in the attempt folder: which process runs the attempt, so that a later try
 * of any step (after a worker crash, on a new worker) finds it again and cannot mistake another
 * process for it.
 *
 * @param pid the wrapper's pid; it leads its own session and process group
 * @param startTicks its start time from {@code /proc/<pid>/stat} (clock ticks since boot)
 * @param bootId the boot it ran in ({@code /proc/sys/kernel/random/boot_id})
 * @param token a random id of this launch; the run's processes carry it as {@code LLEM_RUN_TOKEN},
 *     and the wrapper only runs the command while the {@code owner} file holds it
 * @param launchedAtMillis when launch started it (epoch ms)
 * @param command the experiment's command (from the campaign file; never holds secret values)
 * @param secrets the names (never the values) of the secrets passed to the run, for masking
 * @param logLimit the experiment's {@code logLimit} in bytes: how much of the output its saved log
 *     keeps (absent in records written before it existed: the default)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProcessRecord(
    long pid,
    long startTicks,
    String bootId,
    String token,
    long launchedAtMillis,
    List<String> command,
    List<String> secrets,
    Long logLimit) {

  static final String FILE = "process.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ProcessRecord {
    command = command == null ? List.of() : List.copyOf(command);
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
    bootId = bootId == null ? "" : bootId;
    logLimit = logLimit == null ? Experiment.DEFAULT_LOG_LIMIT : logLimit;
  }

  static Optional<ProcessRecord> read(AttemptFolder folder) {
    var file = folder.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), ProcessRecord.class));
    } catch (IOException e) {
      // Written atomically, so unreadable means someone edited it: treat as absent.
      return Optional.empty();
    }
  }

  void write(AttemptFolder folder) {
    try {
      folder.write(FILE, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("ProcessRecord is a plain record and always serialises", e);
    }
  }
}
