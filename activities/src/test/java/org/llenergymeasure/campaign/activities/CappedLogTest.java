package org.llenergymeasure.campaign.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capped log keeps the head and the newest tail, and says what it dropped. */
class CappedLogTest {

  @TempDir Path tmp;

  private String write(long limit, String... pieces) throws Exception {
    Path file = tmp.resolve("log.txt");
    try (CappedLog log = new CappedLog(file, limit)) {
      for (String p : pieces) {
        log.write(p);
      }
    }
    assertFalse(Files.exists(tmp.resolve("log.txt.tail")), "the ring is removed");
    return Files.readString(file);
  }

  @Test
  void aLogWithinTheLimitIsKeptWhole() throws Exception {
    assertEquals("one\ntwo\n", write(8, "one\n", "two\n"));
    assertEquals("0123456789", write(10, "01234", "56789"));
  }

  @Test
  void aLongerLogKeepsItsHeadAndItsNewestTail() throws Exception {
    StringBuilder expectedTail = new StringBuilder();
    String[] pieces = new String[100];
    for (int i = 0; i < pieces.length; i++) {
      pieces[i] = String.format("%03d\n", i);
    }
    for (int i = 95; i < 100; i++) {
      expectedTail.append(pieces[i]);
    }
    String log = write(40, pieces);
    assertEquals(
        "000\n001\n002\n003\n004\n"
            + "\n[llem: 360 bytes of output dropped here; logLimit is 40b]\n"
            + expectedTail,
        log);
  }

  @Test
  void onePieceLargerThanTheLimitIsCutToo() throws Exception {
    String big = "a".repeat(3000) + "b".repeat(3000);
    assertEquals(
        "a".repeat(1024)
            + "\n[llem: 4.0 kB of output dropped here; logLimit is 2k]\n"
            + "b".repeat(1024),
        write(2048, big));
  }

  @Test
  void sizesAreWrittenAsPeopleReadThem() {
    assertEquals("1.2 GB", CappedLog.human(1_234_567_890L));
    assertEquals("999 bytes", CappedLog.human(999));
    assertEquals("1g", CappedLog.written(1L << 30));
    assertEquals("1536k", CappedLog.written(1536L << 10));
  }
}
