package org.llenergymeasure.campaign.activities.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.activities.testing.ShellBatch.Outcome;

/** What llem-cuda-view printed: the cuInit result and the UUIDs in CUDA's order. */
record CudaView(int cuInit, List<String> uuids) {
  static CudaView parse(Outcome outcome) {
    assertEquals(0, outcome.exitCode(), () -> "llem-cuda-view failed: " + outcome);
    assertEquals("", outcome.stderr());
    List<String> lines = outcome.stdout().lines().filter(l -> !l.startsWith("#")).toList();
    assertTrue(lines.size() >= 2, outcome.stdout());
    int cuInit = Integer.parseInt(lines.get(0).substring("cuInit: ".length()));
    int count = Integer.parseInt(lines.get(1).substring("count: ".length()));
    List<String> uuids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String prefix = i + ": ";
      assertTrue(lines.get(2 + i).startsWith(prefix), outcome.stdout());
      uuids.add(lines.get(2 + i).substring(prefix.length()));
    }
    assertEquals(2 + count, lines.size(), outcome.stdout());
    return new CudaView(cuInit, uuids);
  }
}
