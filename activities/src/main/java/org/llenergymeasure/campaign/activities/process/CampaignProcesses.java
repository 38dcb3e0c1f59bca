package org.llenergymeasure.campaign.activities.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.llenergymeasure.campaign.activities.AttemptFolder;

/**
 * The process-mode runs of one campaign that still run on this host, found from their attempt
 * folders ({@code RESULTS/CAMPAIGN/RUN/aN/process.json}). {@code run} stops them when it is
 * interrupted on its in-process server: that server's state dies with the command, so no later
 * worker could adopt them, and they would go on using the GPU unwatched.
 */
public final class CampaignProcesses {

  private CampaignProcesses() {}

  /**
   * Kills every process of the campaign's process-mode attempts still running under {@code
   * resultsRoot} (the token of each launch finds children that left its session too).
   *
   * @return the attempt folders ({@code RUN/aN}) whose processes were killed, in name order
   */
  public static List<String> stopAll(Path resultsRoot, String campaign) {
    Path campaignDir = resultsRoot.resolve(campaign);
    List<String> stopped = new ArrayList<>();
    if (!Files.isDirectory(campaignDir)) {
      return stopped;
    }
    // One pass over /proc finds the attempts with a live process; only those are killed (each
    // kill scans /proc again, which a campaign's thousands of ended attempts need not).
    Set<String> live = RunProcesses.liveTokens();
    for (Path attempt : attemptDirs(campaignDir)) {
      var record = ProcessRecord.read(AttemptFolder.at(attempt));
      if (record.isPresent()
          && (live.contains(record.get().token()) || ProcFs.alive(record.get()))
          && RunProcesses.killAll(record.get()) > 0) {
        stopped.add(campaignDir.relativize(attempt).toString());
      }
    }
    return stopped;
  }

  private static List<Path> attemptDirs(Path campaignDir) {
    try (Stream<Path> files = Files.find(campaignDir, 2, (p, a) -> a.isDirectory())) {
      return files
          .filter(p -> campaignDir.relativize(p).getNameCount() == 2)
          .filter(p -> Files.isRegularFile(p.resolve(ProcessRecord.FILE)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the attempt folders of " + campaignDir, e);
    }
  }
}
