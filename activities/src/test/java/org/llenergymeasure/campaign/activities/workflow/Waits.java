package org.llenergymeasure.campaign.activities.workflow;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a query until a condition holds (real time; the test server skips virtual time meanwhile).
 */
final class Waits {

  private Waits() {}

  static <T> T until(Supplier<T> read, Predicate<T> done, String what) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    T last = null;
    while (System.nanoTime() < deadline) {
      last = read.get();
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out waiting for " + what + "; last: " + last);
  }
}
