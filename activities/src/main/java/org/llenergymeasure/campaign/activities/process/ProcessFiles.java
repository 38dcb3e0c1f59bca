package org.llenergymeasure.campaign.activities.process;

import java.time.Duration;

/**
 * The worker's files of a process-mode attempt, all in its folder {@code
 * <results>/<campaign>/<runId>/a<n>/}, and the wrapper script that runs the experiment's command.
 * The run itself works in (and writes its results to) the run folder {@code a<n>/out/}.
 *
 * <ul>
 *   <li>{@code process.json}: the process identity ({@link ProcessRecord}); kept.
 *   <li>{@code owner}: the token of the launch that owns the attempt; the wrapper of any other
 *       launch leaves without running anything.
 *   <li>{@code go}: created by release once the GPUs are verified; the wrapper waits for it.
 *   <li>{@code exit-code}: the command's exit status, written by the wrapper atomically (temporary
 *       file, then rename) after the command ends; kept.
 *   <li>{@code output.raw}: the command's stdout and stderr as written, secrets unmasked; copied
 *       with secrets masked to {@code log.txt} by collect/cleanup, then deleted by cleanup.
 * </ul>
 */
final class ProcessFiles {

  static final String OWNER = "owner";
  static final String GO = "go";
  static final String EXIT_CODE = "exit-code";
  static final String OUTPUT = "output.raw";
  static final String LOG = "log.txt";
  static final String PROBE = "probe.txt";
  static final String CUDA_VIEW = "cuda_view.py";
  static final String TOKEN_VAR = "LLEM_RUN_TOKEN";
  static final String RESULTS_VAR = "LLEM_RESULTS_DIR";
  static final int HOLD_EXPIRED_EXIT = 125;

  private ProcessFiles() {}

  /** The pid file the wrapper writes first, named by its launch token. */
  static String pidFile(String token) {
    return ".pid-" + token;
  }

  /**
   * The wrapper, run as {@code sh -c <script> llem-run <dir> <token> <ticks> <command...>} in a new
   * session. It writes its pid, waits (tenths of a second, at most {@code limit}) for {@code go}
   * while its launch still owns the attempt, runs the command as a child (not exec: it must outlive
   * the command to record its status) and writes {@code exit-code}. Shell builtins only, besides
   * {@code sleep} and {@code mv}.
   */
  static String wrapperScript(Duration limit) {
    return String.join(
        "\n",
        "# llem-campaign process mode: hold until the GPUs are verified, run, record the exit code.",
        "dir=$1; token=$2; ticks=$3; shift 3",
        "echo $$ > \"$dir/" + ".pid-$token\"",
        "owns() { t=; read -r t < \"$dir/" + OWNER + "\" 2>/dev/null; [ \"$t\" = \"$token\" ]; }",
        "record() { printf '%s\\n' \"$1\" > \"$dir/.exit-code.$$\" && mv -f \"$dir/.exit-code.$$\" \"$dir/"
            + EXIT_CODE
            + "\"; }",
        "i=0",
        "while [ ! -e \"$dir/" + GO + "\" ]; do",
        "  owns || exit 0",
        "  if sleep 0.1 2>/dev/null; then i=$((i+1)); else sleep 1; i=$((i+10)); fi",
        "  if [ \"$i\" -ge \"$ticks\" ]; then",
        "    echo \"llem: the worker did not release this run within "
            + limit.toSeconds()
            + " s (GPU verification never finished); giving up\" >&2",
        "    record " + HOLD_EXPIRED_EXIT,
        "    exit " + HOLD_EXPIRED_EXIT,
        "  fi",
        "done",
        "owns || exit 0",
        "\"$@\"",
        "code=$?",
        "record $code",
        "exit $code",
        "");
  }

  /** Ticks argument for {@link #wrapperScript}. */
  static String ticks(Duration limit) {
    return Long.toString(Math.max(1, limit.toMillis() / 100));
  }
}
