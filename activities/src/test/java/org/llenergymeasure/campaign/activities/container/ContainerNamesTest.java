package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.host.RunRef;

class ContainerNamesTest {

  @Test
  void plainNamesAreKeptAsTheyAre() {
    assertEquals(
        "llem-sweep-llama-8b.c3-a2",
        ContainerNames.forRun(new RunRef("sweep", "llama-8b.c3", "llama-8b", 3, 2)));
  }

  @Test
  void otherCharactersAreReplacedAndAHashKeepsNamesApart() {
    String slash = ContainerNames.forRun(new RunRef("my/camp", "x.c1", "x", 1, 1));
    String colon = ContainerNames.forRun(new RunRef("my:camp", "x.c1", "x", 1, 1));
    assertTrue(slash.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*"), slash);
    assertTrue(slash.startsWith("llem-my-camp-x.c1-a1-"), slash);
    assertNotEquals(slash, colon);
    assertEquals(slash, ContainerNames.forRun(new RunRef("my/camp", "x.c1", "x", 1, 1)));
    assertEquals(slash.length(), "llem-my-camp-x.c1-a1-".length() + 8);
  }

  @Test
  void veryLongNamesAreCutWithAHash() {
    String name = ContainerNames.forRun(new RunRef("c".repeat(300), "r.c1", "r", 1, 1));
    assertTrue(name.length() <= 200, "length " + name.length());
    assertTrue(name.matches("llem-c+-[0-9a-f]{8}"), name);
  }
}
