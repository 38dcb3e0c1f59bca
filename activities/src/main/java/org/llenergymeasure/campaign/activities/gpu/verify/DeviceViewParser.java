package org.llenergymeasure.campaign.activities.gpu.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llenergymeasure.campaign.activities.gpu.inventory.NumberedLine;
import org.llenergymeasure.campaign.activities.gpu.inventory.SmiListParser;

/**
 * Reads the device view: {@code nvidia-smi -L} inside the run, or an experiment's own probe that
 * prints one UUID per line ({@code GPU-...}, {@code MIG-...}) or the nvidia-smi -L form.
 *
 * <p>A GPU listed with MIG instances under it stands for those instances: a process can only use a
 * MIG-mode GPU through one of them, and a MIG routing expects the MIG UUID.
 */
public final class DeviceViewParser {

  private static final String WHAT = "device view";
  private static final Pattern BARE = Pattern.compile("(GPU-|MIG-)[^\\s()]+");

  /**
   * What {@code nvidia-smi -L} prints when it sees no GPU: older drivers say the first (exit 6);
   * driver 580 says the second (exit 0), as seen in a container given no GPU on an H100 host.
   */
  private static final Set<String> NO_DEVICES =
      Set.of("No devices were found", "No devices found.");

  private DeviceViewParser() {}

  /**
   * Parses the device view into the UUIDs it lists.
   *
   * @throws ProbeOutputException for a line that is not a UUID, GPU line or MIG line
   */
  public static List<String> parse(String output) {
    List<Entry> entries = new ArrayList<>();
    Entry lastGpuLine = null;
    for (NumberedLine line : NumberedLine.of(output)) {
      String text = line.text().strip();
      if (text.startsWith("#") || NO_DEVICES.contains(text)) {
        continue;
      }
      Matcher gpu = SmiListParser.GPU_LINE.matcher(text);
      Matcher mig = SmiListParser.MIG_LINE.matcher(" " + text);
      if (BARE.matcher(text).matches()) {
        entries.add(new Entry(text));
        lastGpuLine = null;
      } else if (gpu.matches()) {
        lastGpuLine = new Entry(gpu.group(3));
        entries.add(lastGpuLine);
      } else if (mig.matches()) {
        if (lastGpuLine != null) {
          lastGpuLine.migs.add(mig.group(3));
        } else {
          entries.add(new Entry(mig.group(3)));
        }
      } else {
        throw ProbeOutputException.atLine(
            WHAT,
            line.number(),
            line.text(),
            "expected a GPU-/MIG- UUID per line or nvidia-smi -L lines");
      }
    }
    List<String> uuids = new ArrayList<>();
    for (Entry e : entries) {
      if (e.migs.isEmpty()) {
        uuids.add(e.uuid);
      } else {
        uuids.addAll(e.migs);
      }
    }
    return uuids;
  }

  private static final class Entry {
    final String uuid;
    final List<String> migs = new ArrayList<>();

    Entry(String uuid) {
      this.uuid = uuid;
    }
  }
}
