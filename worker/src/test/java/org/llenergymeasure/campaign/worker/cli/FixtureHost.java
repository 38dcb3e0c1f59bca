package org.llenergymeasure.campaign.worker.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A captured inventory folder read the simple way, independently of the product's parsers, so that
 * the tests' expected values come from the fixture files and not from the code under test.
 */
record FixtureHost(Path dir, List<Gpu> gpus, List<Mig> migs, List<Proc> processes) {

  record Gpu(int index, String uuid, String pciBusId, String name, Long memoryMiB, boolean mig) {}

  record Mig(int gpuIndex, int index, String uuid, String profile) {}

  record Proc(long pid, String gpuUuid, long usedMemoryMiB) {}

  private static final Pattern GPU_LINE = Pattern.compile("GPU (\\d+): .*");
  private static final Pattern MIG_LINE =
      Pattern.compile("\\s+MIG (\\S+)\\s+Device\\s+(\\d+): \\(UUID: (MIG-[^)]+)\\)");

  /** The repository's folder, found from the worker module or the repository root. */
  static Path repo() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("examples")) ? here : here.getParent();
  }

  static FixtureHost example(String name) {
    return read(repo().resolve("examples/inventories").resolve(name));
  }

  static FixtureHost live() {
    return read(repo().resolve("activities/src/test/resources/fixtures/gpu/h200-1gpu-live"));
  }

  static FixtureHost read(Path dir) {
    try {
      List<Gpu> gpus = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve("query-gpu.csv"))) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(", ");
        gpus.add(
            new Gpu(
                Integer.parseInt(f[0]),
                f[1],
                f[2],
                f[3],
                f[4].endsWith(" MiB") ? Long.parseLong(f[4].replace(" MiB", "")) : null,
                f[5].equals("Enabled")));
      }
      List<Mig> migs = new ArrayList<>();
      int gpu = -1;
      for (String line : Files.readAllLines(dir.resolve("nvidia-smi-L.txt"))) {
        Matcher g = GPU_LINE.matcher(line);
        Matcher m = MIG_LINE.matcher(line);
        if (g.matches()) {
          gpu = Integer.parseInt(g.group(1));
        } else if (m.matches()) {
          migs.add(new Mig(gpu, Integer.parseInt(m.group(2)), m.group(3), m.group(1)));
        }
      }
      List<Proc> processes = new ArrayList<>();
      Path apps = dir.resolve("compute-apps.csv");
      if (Files.exists(apps)) {
        for (String line : Files.readAllLines(apps)) {
          if (!line.isBlank()) {
            String[] f = line.split(", ");
            processes.add(
                new Proc(Long.parseLong(f[0]), f[1], Long.parseLong(f[2].replace(" MiB", ""))));
          }
        }
      }
      return new FixtureHost(dir, gpus, migs, processes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String arg() {
    return dir.toString();
  }

  Gpu gpu(int index) {
    return gpus.stream().filter(g -> g.index() == index).findFirst().orElseThrow();
  }

  String uuid(int index) {
    return gpu(index).uuid();
  }

  Mig mig(int gpuIndex, int index) {
    return migs.stream()
        .filter(m -> m.gpuIndex() == gpuIndex && m.index() == index)
        .findFirst()
        .orElseThrow();
  }

  /**
   * A stand-in nvidia-smi in {@code bin} that prints this folder's captured outputs, so the real
   * host path (no --inventory) can be run on a machine without GPUs.
   */
  Path fakeNvidiaSmi(Path bin) throws IOException {
    Path script = bin.resolve("nvidia-smi");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "case \"$*\" in\n"
            + "  *--query-gpu*) cat '"
            + dir.resolve("query-gpu.csv")
            + "' ;;\n"
            + "  *--query-compute-apps*) cat '"
            + dir.resolve("compute-apps.csv")
            + "' ;;\n"
            + "  -L) cat '"
            + dir.resolve("nvidia-smi-L.txt")
            + "' ;;\n"
            + "  *) echo \"unexpected arguments: $*\" >&2; exit 9 ;;\n"
            + "esac\n");
    script.toFile().setExecutable(true);
    return script;
  }
}
