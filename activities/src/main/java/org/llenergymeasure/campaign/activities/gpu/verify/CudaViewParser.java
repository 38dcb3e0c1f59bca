package org.llenergymeasure.campaign.activities.gpu.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llenergymeasure.campaign.activities.gpu.inventory.NumberedLine;

/**
 * Reads the CUDA view's output ({@code llem/cuda_view.py} or a compatible tool):
 *
 * <pre>
 * # llem-cuda-view ctypes
 * cuInit: 0
 * count: 2
 * 0: GPU-...
 * 1: GPU-...
 * </pre>
 *
 * A non-zero cuInit means CUDA sees no device (count 0). Lines starting with # are comments.
 */
public final class CudaViewParser {

  private static final String WHAT = "CUDA view";
  private static final Pattern CU_INIT = Pattern.compile("cuInit:\\s*(-?\\d{1,9})");
  private static final Pattern COUNT = Pattern.compile("count:\\s*(\\d{1,6})");
  private static final Pattern DEVICE = Pattern.compile("(\\d{1,6}):\\s*((?:GPU|MIG)-\\S+)");

  private CudaViewParser() {}

  /**
   * Parses the CUDA view's output.
   *
   * @throws ProbeOutputException for unknown lines or an inconsistent listing
   */
  public static CudaView parse(String output) {
    Integer cuInit = null;
    Integer count = null;
    List<String> uuids = new ArrayList<>();
    for (NumberedLine line : NumberedLine.of(output)) {
      String text = line.text().strip();
      if (text.startsWith("#")) {
        continue;
      }
      Matcher init = CU_INIT.matcher(text);
      Matcher cnt = COUNT.matcher(text);
      Matcher dev = DEVICE.matcher(text);
      if (init.matches() && cuInit == null) {
        cuInit = Integer.parseInt(init.group(1));
      } else if (cnt.matches() && cuInit != null && count == null) {
        count = Integer.parseInt(cnt.group(1));
      } else if (dev.matches() && count != null) {
        if (Integer.parseInt(dev.group(1)) != uuids.size()) {
          throw ProbeOutputException.atLine(
              WHAT, line.number(), line.text(), "expected device " + uuids.size() + " next");
        }
        uuids.add(dev.group(2));
      } else {
        throw ProbeOutputException.atLine(
            WHAT,
            line.number(),
            line.text(),
            "expected, in this order, \"cuInit: <n>\", \"count: <n>\" and \"<i>: GPU-...\" lines");
      }
    }
    if (cuInit == null) {
      throw new ProbeOutputException(WHAT + ": no \"cuInit: <n>\" line in " + quote(output));
    }
    if (cuInit != 0) {
      if ((count != null && count != 0) || !uuids.isEmpty()) {
        throw new ProbeOutputException(
            WHAT + ": cuInit failed (" + cuInit + ") but devices are listed");
      }
      return new CudaView(cuInit, List.of());
    }
    if (count == null) {
      throw new ProbeOutputException(WHAT + ": no \"count: <n>\" line after cuInit: 0");
    }
    if (count != uuids.size()) {
      throw new ProbeOutputException(
          WHAT
              + ": count: "
              + count
              + " but "
              + uuids.size()
              + " device lines (truncated output?)");
    }
    return new CudaView(0, uuids);
  }

  private static String quote(String output) {
    String s = output == null ? "" : output.strip();
    return "\"" + (s.length() > 200 ? s.substring(0, 200) + "..." : s) + "\"";
  }
}
