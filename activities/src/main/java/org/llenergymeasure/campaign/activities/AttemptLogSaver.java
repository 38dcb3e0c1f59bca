package org.llenergymeasure.campaign.activities;

import java.nio.file.Path;

/**
 * Saves a run attempt's full output into its folder ({@code log.txt}) unless it is there already.
 * Collect and cleanup both call it; whichever comes first saves the log.
 */
@FunctionalInterface
public interface AttemptLogSaver {

  /**
   * Saves the run's log into its attempt folder.
   *
   * @param handle the container name (or process handle)
   * @param attemptDir the attempt's folder
   * @return true when the log is now saved, false when there was nothing to save
   */
  boolean saveLog(String handle, Path attemptDir);
}
