package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nvidia-smi -L}: {@code GPU 0: NVIDIA H200 (UUID: GPU-...)} lines, each followed by
 * its MIG instances, indented: {@code MIG 3g.40gb Device 0: (UUID: MIG-...)}.
 */
public final class SmiListParser {

  static final String WHAT = "nvidia-smi -L";

  /** Public so that the device-view parser recognises the same lines. */
  public static final Pattern GPU_LINE =
      Pattern.compile("GPU\\s+(\\d+):\\s*(.*?)\\s*\\(UUID:\\s*(GPU-[^)\\s]+)\\s*\\)\\s*");

  public static final Pattern MIG_LINE =
      Pattern.compile(
          "\\s+MIG\\s+(\\S+)\\s+Device\\s+(\\d+):\\s*\\(UUID:\\s*(MIG-[^)\\s]+)\\s*\\)\\s*");

  private SmiListParser() {}

  /**
   * Parses the output of {@code nvidia-smi -L}.
   *
   * @throws InventoryParseException quoting the first line that is neither form, or a MIG line
   *     before any GPU line
   */
  public static List<ListedGpu> parse(String output) {
    List<ListedGpu> gpus = new ArrayList<>();
    Builder current = null;
    for (NumberedLine line : NumberedLine.of(output)) {
      Matcher gpu = GPU_LINE.matcher(line.text());
      Matcher mig = MIG_LINE.matcher(line.text());
      if (gpu.matches()) {
        if (current != null) {
          gpus.add(current.build());
        }
        current = new Builder(Integer.parseInt(gpu.group(1)), gpu.group(2), gpu.group(3));
      } else if (mig.matches()) {
        if (current == null) {
          throw new InventoryParseException(
              WHAT, line.number(), line.text(), "a MIG line before any GPU line");
        }
        current.migs.add(new MigDevice(Integer.parseInt(mig.group(2)), mig.group(3), mig.group(1)));
      } else {
        throw new InventoryParseException(
            WHAT,
            line.number(),
            line.text(),
            "not a GPU line (GPU 0: <name> (UUID: GPU-...)) or an indented MIG line"
                + " (MIG <profile> Device 0: (UUID: MIG-...))");
      }
    }
    if (current != null) {
      gpus.add(current.build());
    }
    return gpus;
  }

  private static final class Builder {
    private final int index;
    private final String name;
    private final String uuid;
    private final List<MigDevice> migs = new ArrayList<>();

    Builder(int index, String name, String uuid) {
      this.index = index;
      this.name = name;
      this.uuid = uuid;
    }

    ListedGpu build() {
      return new ListedGpu(index, name, uuid, migs);
    }
  }
}
