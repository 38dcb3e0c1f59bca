package org.llenergymeasure.campaign.activities.gpu.quarantine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuProcess;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;

/**
 * The routed GPUs as they were when the run got them: processes already there (a {@code busy:
 * ignore} run shares its GPUs on purpose, and those processes are not the run's to leave behind)
 * and used memory. Kept in the attempt folder ({@link #FILE}) for the cleanup's check.
 *
 * @param pids by UUID, the processes on the GPU at routing
 * @param usedMemoryMiB by UUID; absent where it could not be read
 */
public record GpusAtRoute(Map<String, List<Long>> pids, Map<String, Long> usedMemoryMiB) {

  public static final String FILE = "gpus-at-route.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public GpusAtRoute {
    pids = pids == null ? Map.of() : Map.copyOf(pids);
    usedMemoryMiB = usedMemoryMiB == null ? Map.of() : Map.copyOf(usedMemoryMiB);
  }

  public static GpusAtRoute none() {
    return new GpusAtRoute(Map.of(), Map.of());
  }

  public static GpusAtRoute of(
      HostInventory host, List<String> uuids, Optional<Map<String, Long>> memory) {
    Map<String, List<Long>> pids = new LinkedHashMap<>();
    Map<String, Long> used = new LinkedHashMap<>();
    for (String uuid : uuids) {
      host.gpus().stream()
          .filter(g -> g.uuid().equalsIgnoreCase(uuid))
          .findFirst()
          .ifPresent(g -> pids.put(uuid, pidsOn(host, g)));
      memory.map(m -> m.get(uuid)).ifPresent(m -> used.put(uuid, m));
    }
    return new GpusAtRoute(pids, used);
  }

  private static List<Long> pidsOn(HostInventory host, GpuDevice g) {
    return host.processesOn(g).stream().map(GpuProcess::pid).toList();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What the route step saved; none when it saved nothing (saving failed: the cleanup then counts
   * every process as left over) or the file cannot be read.
   */
  public static GpusAtRoute read(Path file) {
    if (!Files.isRegularFile(file)) {
      return none();
    }
    try {
      return JSON.readValue(file.toFile(), GpusAtRoute.class);
    } catch (IOException e) {
      return none();
    }
  }
}
