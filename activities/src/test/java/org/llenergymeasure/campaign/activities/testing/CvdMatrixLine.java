package org.llenergymeasure.campaign.activities.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One measured line: the CUDA_VISIBLE_DEVICES value (null = unset), the UUIDs CUDA enumerated in
 * order, and the cuInit result when the capture recorded it.
 */
record CvdMatrixLine(String cvd, List<String> uuids, Integer cuInit) {
  private static final Pattern ONE_GPU =
      Pattern.compile("^CVD=\\[(.*)] torch\\.cuda\\.device_count -> (\\d+)$");
  private static final Pattern CUDA_VIEW =
      Pattern.compile("^CVD=\\[(.*)] cuda_view: (.*?)\\s+\\| torch: (\\d+) \\[(.*)]$");

  static List<CvdMatrixLine> parseAll(String text, List<String> hostUuids) {
    List<CvdMatrixLine> lines = text.lines().map(l -> parse(l, hostUuids)).toList();
    assertTrue(lines.size() >= 10, "matrix too short to be the real capture");
    return lines;
  }

  private static CvdMatrixLine parse(String line, List<String> hostUuids) {
    Matcher one = ONE_GPU.matcher(line);
    if (one.matches()) {
      // h200-1gpu records only torch's count; on a one-GPU host that fixes the UUID list.
      int count = Integer.parseInt(one.group(2));
      assertTrue(count <= 1 && hostUuids.size() == 1, line);
      return new CvdMatrixLine(cvd(one.group(1)), hostUuids.subList(0, count), null);
    }
    Matcher view = CUDA_VIEW.matcher(line);
    assertTrue(view.matches(), "unrecognised matrix line: " + line);
    String seen = view.group(2).strip();
    List<String> torch =
        view.group(4).isEmpty()
            ? List.of()
            : Arrays.stream(view.group(4).split(", ")).map(s -> s.replace("'", "")).toList();
    if (seen.startsWith("cuInit failed: CUresult ")) {
      assertEquals(List.of(), torch, line);
      return new CvdMatrixLine(cvd(view.group(1)), List.of(), Integer.parseInt(seen.substring(24)));
    }
    List<String> uuids = List.of(seen.split(" "));
    assertEquals(torch, uuids, "the capture's two probes disagree: " + line);
    return new CvdMatrixLine(cvd(view.group(1)), uuids, 0);
  }

  private static String cvd(String raw) {
    return raw.equals("__unset__") ? null : raw;
  }
}
