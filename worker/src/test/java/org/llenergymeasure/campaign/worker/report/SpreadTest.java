package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

  @Test
  void sampleStandardDeviationOverCycles() {
    // 10, 12, 14: mean 12, squared deviations 4 + 0 + 4 = 8, over n-1 = 2 gives 4, sd 2.
    Spread s = Spread.of(List.of(10.0, 12.0, 14.0));
    assertEquals(3, s.n());
    assertEquals(12.0, s.mean(), 1e-12);
    assertEquals(2.0, s.sd(), 1e-12);
    assertEquals(10.0, s.min());
    assertEquals(14.0, s.max());
    assertEquals(100.0 * 2 / 12, s.cvPercent(), 1e-9);
  }

  @Test
  void oneCycleHasNoSpreadAndNoneIsNull() {
    Spread one = Spread.of(List.of(7.5));
    assertEquals(0.0, one.sd());
    assertEquals(7.5, one.mean());
    assertNull(Spread.of(List.of()));
    assertNull(Spread.of(List.of(0.0, 0.0)).cvPercent(), "simulated runs report 0: no CV");
  }
}
