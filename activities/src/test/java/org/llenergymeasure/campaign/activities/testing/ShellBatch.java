package org.llenergymeasure.campaign.activities.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many commands in ONE container of the test image: a container costs about half a second, a
 * command inside it a few milliseconds. Each case may set or unset environment variables on top of
 * the container's own; its exit code, stdout and stderr come back byte for byte.
 */
final class ShellBatch {

  /** What one case produced. */
  record Outcome(int exitCode, String stdout, String stderr) {}

  static final String INVENTORY_MOUNT = "/llem-sim/inventory";

  private record Case(String id, Map<String, String> env, List<String> argv) {}

  private final List<Case> cases = new ArrayList<>();

  /** An environment override; a null value means "unset the variable". */
  static Map<String, String> env(String name, String valueOrNullToUnset) {
    return Collections.singletonMap(name, valueOrNullToUnset);
  }

  ShellBatch add(String id, String... argv) {
    return add(id, Map.of(), argv);
  }

  /** Adds a case; {@code env} values of null unset the variable for that case. */
  ShellBatch add(String id, Map<String, String> env, String... argv) {
    if (cases.stream().anyMatch(c -> c.id().equals(id))) {
      throw new IllegalArgumentException("duplicate case id " + id);
    }
    cases.add(new Case(id, env, List.of(argv)));
    return this;
  }

  /**
   * Runs every case in one container of {@link DockerExtension#PROBE_IMAGE}.
   *
   * @param inventory host folder bind mounted read-only at {@value #INVENTORY_MOUNT}, or null
   * @param containerEnv the container's environment ({@code NAME=value} entries)
   * @return the outcomes by case id, in the order added
   */
  Map<String, Outcome> run(DockerClient docker, Path inventory, List<String> containerEnv) {
    OneShotContainer.Result result =
        OneShotContainer.run(
            docker,
            DockerExtension.PROBE_IMAGE,
            Duration.ofSeconds(60),
            create -> {
              HostConfig host = HostConfig.newHostConfig();
              if (inventory != null) {
                host.withBinds(
                    new Bind(inventory.toString(), new Volume(INVENTORY_MOUNT), AccessMode.ro));
              }
              return create
                  .withEnv(containerEnv)
                  .withHostConfig(host)
                  .withCmd("sh", "-c", script());
            });
    if (result.exitCode() != 0 || result.stderr().length > 0) {
      throw new IllegalStateException(
          "The batch script itself failed (exit "
              + result.exitCode()
              + "): "
              + result.stderrText());
    }
    return parse(result.stdout());
  }

  private String script() {
    StringBuilder sh = new StringBuilder();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      sh.append("( ");
      c.env()
          .forEach(
              (name, value) ->
                  sh.append(value == null ? "unset " + name : "export " + name + "=" + quote(value))
                      .append("; "));
      sh.append("exec");
      c.argv().forEach(arg -> sh.append(' ').append(quote(arg)));
      sh.append(" ) >/tmp/o 2>/tmp/e; rc=$?\n");
      sh.append("printf '@@case %s %s %s %s\\n' ")
          .append(i)
          .append(" \"$rc\" \"$(wc -c </tmp/o)\" \"$(wc -c </tmp/e)\"; cat /tmp/o /tmp/e\n");
    }
    return sh.toString();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  // Header line "@@case <i> <rc> <stdout bytes> <stderr bytes>", then exactly those bytes.
  private Map<String, Outcome> parse(byte[] stdout) {
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    int pos = 0;
    while (pos < stdout.length) {
      int eol = indexOf(stdout, (byte) '\n', pos);
      String header = new String(stdout, pos, eol - pos, StandardCharsets.US_ASCII);
      String[] f = header.trim().split("\\s+");
      if (f.length != 5 || !f[0].equals("@@case")) {
        throw new IllegalStateException("Unexpected batch output at byte " + pos + ": " + header);
      }
      int outLen = Integer.parseInt(f[3]);
      int errLen = Integer.parseInt(f[4]);
      int start = eol + 1;
      String out =
          new String(Arrays.copyOfRange(stdout, start, start + outLen), StandardCharsets.UTF_8);
      String err =
          new String(
              Arrays.copyOfRange(stdout, start + outLen, start + outLen + errLen),
              StandardCharsets.UTF_8);
      outcomes.put(
          cases.get(Integer.parseInt(f[1])).id(), new Outcome(Integer.parseInt(f[2]), out, err));
      pos = start + outLen + errLen;
    }
    if (outcomes.size() != cases.size()) {
      throw new IllegalStateException(
          "Batch produced " + outcomes.size() + " of " + cases.size() + " outcomes");
    }
    return outcomes;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new IllegalStateException("Truncated batch output after byte " + from);
  }
}
