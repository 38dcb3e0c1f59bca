package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader}.
 * Empty output means no compute process: the host is idle.
 */
public final class ComputeAppsParser {

  static final String WHAT = "nvidia-smi --query-compute-apps";

  private ComputeAppsParser() {}

  /**
   * Parses the output of {@code nvidia-smi --query-compute-apps}.
   *
   * @throws InventoryParseException quoting the first line it does not understand
   */
  public static List<GpuProcess> parse(String output) {
    List<GpuProcess> processes = new ArrayList<>();
    List<NumberedLine> lines = NumberedLine.of(output);
    for (int i = 0; i < lines.size(); i++) {
      NumberedLine line = lines.get(i);
      List<String> f = CsvFields.split(line.text());
      if (i == 0 && f.size() == 3 && f.get(0).equals("pid")) {
        continue; // header from --format=csv
      }
      if (f.size() != 3) {
        throw new InventoryParseException(
            WHAT,
            line.number(),
            line.text(),
            "expected 3 fields (pid, gpu_uuid, used_memory), found " + f.size());
      }
      try {
        processes.add(process(f));
      } catch (IllegalArgumentException e) {
        throw new InventoryParseException(WHAT, line.number(), line.text(), e.getMessage());
      }
    }
    return processes;
  }

  private static GpuProcess process(List<String> f) {
    if (!f.get(0).matches("\\d{1,10}")) {
      throw new IllegalArgumentException("pid \"" + f.get(0) + "\" is not a process id");
    }
    String uuid = f.get(1);
    if (!uuid.startsWith("GPU-") && !uuid.startsWith("MIG-")) {
      throw new IllegalArgumentException(
          "gpu_uuid \"" + uuid + "\" does not start with GPU- or MIG-");
    }
    return new GpuProcess(Long.parseLong(f.get(0)), uuid, CsvFields.mebibytes(f.get(2)));
  }
}
