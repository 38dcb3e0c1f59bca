package org.llenergymeasure.campaign.worker.drills;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * The hostile runs of {@link HostileRunsIT}: each a busybox {@code sh -c} script in llem-probe:dev
 * that attacks the worker through its own results folder, and the host folder they aim at (files
 * holding a marker value that must never be read, changed or deleted).
 */
final class HostileAttacks {

  /** The normal campaign; its run {@code x-y.c1} had the hostile run {@code y.c1}'s old name. */
  static final String NORMAL = "drill-hn";

  /** The hostile campaign: {@code llem-drill-hn-x-y.c1-a1} was also the normal run's name. */
  static final String HOSTILE = "drill-hn-x";

  /** The secret the worker holds (declared by secret-split) and the runs print. */
  static final String SECRET_ENV = "LLEM_DRILL_TOKEN";

  /** Host files each attack aims at, by folder under the host folder. */
  private static final Map<String, List<String>> TARGETS =
      Map.of(
          "result-link", List.of("result.json"),
          "linked-folder", List.of("result.json"),
          "probe", List.of("device", "cuda", "nodes", "done", "started", "consumed"),
          "llem",
              List.of("hold.sh", "cuda-view.sh", "cuda_view.py", "go", "probe.sh", "probe/device"),
          "redirect", List.of("gpu-samples.jsonl", "probe.txt", "routing.json", "log.txt"));

  private HostileAttacks() {}

  /** One hostile run: an experiment name, what it does, and its campaign entry. */
  record Attack(String name, String what, Map<String, Object> experiment) {}

  /** Fills the host folder: every target file holds the marker. */
  static void prepareHostFolder(Path host, String marker) throws IOException {
    for (Map.Entry<String, List<String>> e : TARGETS.entrySet()) {
      for (String file : e.getValue()) {
        Path p = host.resolve(e.getKey()).resolve(file);
        Files.createDirectories(p.getParent());
        String text =
            file.endsWith(".json") || file.endsWith(".jsonl")
                ? "{\"energyJ\": 1, \"marker\": \"" + marker + "\"}\n"
                : marker + "\n";
        Files.writeString(p, text, StandardCharsets.UTF_8);
      }
    }
  }

  static List<Attack> attacks(Path host, String fake) {
    String h = host.toAbsolutePath().toString();
    List<Attack> out = new ArrayList<>();
    Attack squat =
        attack(
            "y",
            "a run whose container had the normal campaign's run's name (old naming)",
            "sleep 8; printf '{\"who\": \"hostile\"}' > /results/result.json");
    squat.experiment().put("gpus", List.of(2));
    out.add(squat); // first, so that it runs while the normal run of its old name does
    out.add(
        attack(
            "result-link",
            "result file as a symlink to a host file",
            "ln -s " + h + "/result-link/result.json /results/result.json"));
    Attack folder =
        attack(
            "linked-folder",
            "result read through a symlinked sub-folder",
            "ln -s " + h + "/linked-folder /results/sub");
    folder.experiment().put("resultFile", "sub/result.json");
    out.add(folder);
    out.add(
        attack(
            "probe-links",
            "self-probe answers replaced by a link to a host folder",
            // The answers folder of the run folder's layout (.llem-probe) and of the one before.
            "rm -rf /results/.llem-probe; ln -s "
                + h
                + "/probe /results/.llem-probe; mkdir -p /results/.llem;"
                + " rm -rf /results/.llem/probe; ln -s "
                + h
                + "/probe /results/.llem/probe; ln -sf "
                + h
                + "/llem/hold.sh /results/.llem/hold.sh; "
                + OK_RESULT));
    out.add(
        attack(
            "llem-swap",
            ".llem swapped for a link to a host folder",
            "rm -rf /results/.llem; ln -s " + h + "/llem /results/.llem; " + OK_RESULT));
    out.add(
        attack(
            "prefilled",
            "gpu-samples.jsonl, probe.txt, routing.json, log.txt pre-filled with fake content",
            "printf '{\"t\":0,\"uuid\":\""
                + fake
                + "\",\"powerW\":99999,\"energyJ\":1e15}\\n' > /results/gpu-samples.jsonl;"
                + " echo "
                + fake
                + " > /results/probe.txt; printf '{\"host\":\""
                + fake
                + "\"}' > /results/routing.json; echo "
                + fake
                + " > /results/log.txt; "
                + OK_RESULT));
    out.add(
        attack(
            "redirected",
            "gpu-samples.jsonl, probe.txt, routing.json, log.txt as links to host files",
            "for f in gpu-samples.jsonl probe.txt routing.json log.txt; do rm -f /results/$f;"
                + " ln -s "
                + h
                + "/redirect/$f /results/$f; done; "
                + OK_RESULT));
    Attack split =
        attack(
            "secret-split",
            "the secret printed across a 16 KiB boundary and written as an invalid result",
            "head -c 16370 /dev/zero | tr '\\0' x; printf '%s\\n' \"$"
                + SECRET_ENV
                + "\"; printf '{\"token\": \"%s\"' \"$"
                + SECRET_ENV
                + "\" > /results/result.json");
    split.experiment().put("secrets", List.of(SECRET_ENV));
    out.add(split);
    Attack flood =
        attack(
            "log-flood",
            "100 MB of short log lines",
            "yes 0123456789012345678901234567890123456789012345678901234567890"
                + " | head -c 100000000; "
                + OK_RESULT);
    flood.experiment().put("timeout", "6m");
    out.add(flood);
    return out;
  }

  private static final String OK_RESULT = "printf '{\"energyJ\": 2}' > /results/result.json";

  private static Attack attack(String name, String what, String script) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", name);
    e.put("gpus", "none");
    e.put("command", List.of("sh", "-c", script));
    return new Attack(name, what, e);
  }

  /** A campaign file (JSON, which the YAML loader reads) of the given experiments. */
  static String campaign(String name, List<Map<String, Object>> experiments, int concurrency)
      throws IOException {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("campaign", name);
    c.put("defaults", Map.of("image", "llem-probe:dev", "timeout", "3m"));
    c.put("experiments", experiments);
    c.put("execution", Map.of("concurrency", concurrency));
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(c);
  }

  /** Every file and link under a folder (links not followed), with a hash of what it holds. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "link to " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, sha256(Files.readAllBytes(p)));
        } else {
          out.put(rel, "folder");
        }
      }
    }
    return out;
  }

  /** Regular files (links not followed) under the roots whose bytes contain any of the values. */
  static List<String> filesContaining(List<Path> roots, List<String> values) throws IOException {
    List<String> hits = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path f :
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
          byte[] bytes;
          try (var in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readAllBytes();
          } catch (IOException gone) {
            continue;
          }
          for (String v : values) {
            if (DrillKit.indexOf(bytes, v.getBytes(StandardCharsets.UTF_8)) >= 0) {
              hits.add(f + " holds " + label(v, values));
            }
          }
        }
      }
    }
    return hits;
  }

  static String label(String value, List<String> values) {
    return values.indexOf(value) == 0 ? "the host marker" : "the worker's secret";
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The normal campaign: two runs that print for 8 s and write their own result. */
  static List<Map<String, Object>> normalExperiments() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String[] e : new String[][] {{"x-y", "0"}, {"plain", "1"}}) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", e[0]);
      m.put("gpus", List.of(Integer.parseInt(e[1])));
      m.put(
          "command",
          List.of(
              "sh",
              "-c",
              "for i in 1 2 3 4 5 6 7 8; do echo normal $i; sleep 1; done;"
                  + " printf '{\"who\": \"normal\"}' > /results/result.json"));
      out.add(m);
    }
    return out;
  }

  static String start(
      WorkflowClient client,
      String host,
      String name,
      List<Map<String, Object>> experiments,
      int concurrency)
      throws Exception {
    return new CampaignStarter(client)
        .startOrAttach(
            CampaignLoader.parse(
                HostileAttacks.campaign(name, experiments, concurrency), name + ".yaml"),
            List.of(host))
        .workflowId();
  }

  static CampaignProgress result(WorkflowClient client, String id) throws Exception {
    return WorkflowStub.fromTyped(client.newWorkflowStub(CampaignWorkflow.class, id))
        .getResult(10, TimeUnit.MINUTES, CampaignProgress.class);
  }
}
