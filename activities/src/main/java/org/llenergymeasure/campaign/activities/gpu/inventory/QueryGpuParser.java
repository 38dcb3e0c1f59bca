package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code nvidia-smi --query-gpu=index,uuid,pci.bus_id,name,memory.total,mig.mode.current
 * --format=csv,noheader} (a header line from {@code --format=csv} is accepted too). MIG instances
 * are not in this output; see {@link SmiListParser}.
 */
public final class QueryGpuParser {

  static final String WHAT = "nvidia-smi --query-gpu";
  private static final int FIELDS = 6;

  private QueryGpuParser() {}

  /**
   * Parses the output of {@code nvidia-smi --query-gpu}.
   *
   * @return the GPUs in the order listed, without MIG instances
   * @throws InventoryParseException quoting the first line it does not understand
   */
  public static List<GpuDevice> parse(String output) {
    List<GpuDevice> gpus = new ArrayList<>();
    List<NumberedLine> lines = NumberedLine.of(output);
    for (int i = 0; i < lines.size(); i++) {
      NumberedLine line = lines.get(i);
      List<String> f = CsvFields.split(line.text());
      if (i == 0 && isHeader(f)) {
        continue;
      }
      if (f.size() != FIELDS) {
        throw new InventoryParseException(
            WHAT,
            line.number(),
            line.text(),
            "expected 6 fields (index, uuid, pci.bus_id, name, memory.total, mig.mode.current),"
                + " found "
                + f.size());
      }
      try {
        gpus.add(device(f));
      } catch (IllegalArgumentException e) {
        throw new InventoryParseException(WHAT, line.number(), line.text(), e.getMessage());
      }
    }
    return gpus;
  }

  private static boolean isHeader(List<String> f) {
    return f.size() == FIELDS && f.get(0).equals("index") && f.get(1).equals("uuid");
  }

  private static GpuDevice device(List<String> f) {
    int index = index(f.get(0));
    String uuid = f.get(1);
    if (!uuid.startsWith("GPU-") || uuid.length() <= 4) {
      throw new IllegalArgumentException("uuid \"" + uuid + "\" does not start with GPU-");
    }
    String busId = f.get(2);
    if (!PciBusIds.isValid(busId)) {
      throw new IllegalArgumentException(
          "pci.bus_id \"" + busId + "\" is not a PCI bus id like 00000000:18:00.0");
    }
    String name = f.get(3);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("the name is empty");
    }
    return new GpuDevice(
        index, uuid, busId, name, CsvFields.mebibytes(f.get(4)), mig(f.get(5)), List.of());
  }

  private static int index(String field) {
    if (!field.matches("\\d{1,4}")) {
      throw new IllegalArgumentException("index \"" + field + "\" is not a GPU index");
    }
    return Integer.parseInt(field);
  }

  /** GPUs without MIG support print [N/A]; they are simply not in MIG mode. */
  private static boolean mig(String field) {
    if (field.equals("Enabled")) {
      return true;
    }
    if (field.equals("Disabled") || CsvFields.isNotAvailable(field)) {
      return false;
    }
    throw new IllegalArgumentException(
        "mig.mode.current \"" + field + "\" is not Enabled, Disabled or [N/A]");
  }
}
