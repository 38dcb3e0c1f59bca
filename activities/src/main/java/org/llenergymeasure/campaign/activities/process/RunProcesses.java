package org.llenergymeasure.campaign.activities.process;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and kills every process of one run attempt.
 *
 * <p>A process belongs to the run when its initial environment holds the launch's {@code
 * LLEM_RUN_TOKEN} (every descendant inherits it unless it clears its environment: this also finds
 * children that left the wrapper's session), or when the wrapper still runs and the process is in
 * its session or process group. The session test alone would not do once the wrapper is gone: its
 * pid, and so that session id, may then belong to someone else.
 *
 * <p>Killing is SIGKILL to each member, repeated until none is left, so a process that forks while
 * we kill is caught in the next round (a killed process cannot fork any more).
 */
final class RunProcesses {

  private static final Logger log = LoggerFactory.getLogger(RunProcesses.class);
  private static final int ROUNDS = 100;

  private RunProcesses() {}

  static List<ProcStat> members(ProcessRecord record) {
    boolean leaderAlive = ProcFs.alive(record);
    String tokenEntry = ProcessFiles.TOKEN_VAR + "=" + record.token();
    long self = ProcessHandle.current().pid();
    List<ProcStat> out = new ArrayList<>();
    for (ProcStat s : ProcFs.all()) {
      if (s.pid() == self) {
        continue;
      }
      boolean inSession =
          leaderAlive && (s.session() == record.pid() || s.processGroup() == record.pid());
      if (inSession || ProcFs.environHas(s.pid(), tokenEntry)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The launch tokens of every run process alive now: one pass over /proc for many records. */
  static Set<String> liveTokens() {
    Set<String> tokens = new HashSet<>();
    for (ProcStat s : ProcFs.all()) {
      String token = ProcFs.environValue(s.pid(), ProcessFiles.TOKEN_VAR);
      if (token != null) {
        tokens.add(token);
      }
    }
    return tokens;
  }

  /**
   * Kills the run's processes; idempotent.
   *
   * @return how many processes were signalled
   */
  static int killAll(ProcessRecord record) {
    int signalled = 0;
    for (int round = 0; round < ROUNDS; round++) {
      List<ProcStat> left = members(record);
      if (left.isEmpty()) {
        return signalled;
      }
      for (ProcStat s : left) {
        // ProcessHandle checks the start time itself, so a pid reused meanwhile is not hit.
        if (ProcessHandle.of(s.pid()).map(ProcessHandle::destroyForcibly).orElse(false)) {
          signalled++;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkerShutdownException(
            "interrupted while killing run process " + record.pid(), e);
      }
    }
    List<ProcStat> left = members(record);
    if (!left.isEmpty()) {
      log.warn("processes of run process {} survived SIGKILL: {}", record.pid(), left);
    }
    return signalled;
  }
}
