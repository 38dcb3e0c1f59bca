package org.llenergymeasure.campaign.activities.process;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.activities.upstream.UpstreamContract;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;

/**
 * The environment of a process-mode run, built from scratch rather than inherited: the worker's
 * environment holds every secret of every campaign and maybe its own CUDA_VISIBLE_DEVICES, and a
 * run must get neither. In order, later entries winning:
 *
 * <ol>
 *   <li>a few basic variables of the worker, when set: {@link #INHERITED} and {@code LC_*};
 *   <li>for a run with {@code user:} ({@link ProcessUser}): {@code HOME} = the run folder (the
 *       worker's HOME is root's, which that user cannot write) and {@code USER} and {@code LOGNAME}
 *       = the user's name (removed when the host knows no name for its uid);
 *   <li>the experiment's {@code env:} (set PYTHONPATH, LD_LIBRARY_PATH, a venv's PATH, ... here);
 *   <li>the routing's variables ({@code CUDA_VISIBLE_DEVICES=<UUIDs>}, {@code CUDA_DEVICE_ORDER});
 *       the router already refused user values that contradict them;
 *   <li>{@code LLEM_RESULTS_DIR} = the attempt's run folder ({@code a<n>/out/}, also the working
 *       directory) and {@code LLEM_RUN_TOKEN} = the launch token; for an experiment of
 *       llenergymeasure also {@code LLEM_CONFIG_PATH} (the config file the worker wrote there) and
 *       {@code LLEM_OUTPUT_DIR} (the run folder);
 *   <li>the experiment's secrets, read by name from the worker's environment.
 * </ol>
 *
 * The GPU probe gets exactly the same environment, so it sees what the run will see.
 */
final class ProcessEnv {

  static final Set<String> INHERITED =
      Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR");

  private ProcessEnv() {}

  static Map<String, String> build(
      Map<String, String> workerEnv,
      Experiment experiment,
      GpuRouting routing,
      Path runDir,
      String token,
      ProcessUser user) {
    Map<String, String> env = new LinkedHashMap<>();
    workerEnv.forEach(
        (k, v) -> {
          if (INHERITED.contains(k) || k.startsWith("LC_")) {
            env.put(k, v);
          }
        });
    env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
    if (user != null) {
      env.put("HOME", runDir.toString());
      for (String name : List.of("USER", "LOGNAME")) {
        if (user.name() != null) {
          env.put(name, user.name());
        } else {
          env.remove(name);
        }
      }
    }
    env.putAll(experiment.env());
    env.putAll(routing.env());
    env.put(ProcessFiles.RESULTS_VAR, runDir.toString());
    env.put(ProcessFiles.TOKEN_VAR, token);
    if (experiment.llenergymeasure() != null) {
      env.putAll(UpstreamContract.env(runDir.toString()));
    }
    for (String name : experiment.secrets()) {
      String value = workerEnv.get(name);
      if (value != null) { // the caller checked them with Secrets.resolve (SecretMissing)
        env.put(name, value);
      }
    }
    return env;
  }

  /**
   * The secrets of an experiment that the worker can still see, for masking only: a step after
   * launch must not fail because the worker was restarted without a secret the run no longer needs.
   */
  static Secrets forMasking(Experiment experiment, Map<String, String> workerEnv, String hostId) {
    List<String> present = experiment.secrets().stream().filter(workerEnv::containsKey).toList();
    return Secrets.resolve(present, workerEnv, hostId);
  }
}
