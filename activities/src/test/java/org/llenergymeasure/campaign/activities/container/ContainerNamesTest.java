package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.host.RunRef;

class ContainerNamesTest {

  private static final String DOCKER_NAME = "[a-zA-Z0-9][a-zA-Z0-9_.-]*";

  private static String name(String campaign, String runId, int attempt) {
    return ContainerNames.forRun(new RunRef(campaign, runId, "x", 1, attempt));
  }

  @Test
  void campaignAndRunStayReadable() {
    assertEquals("llem-sweep-R-llama-8b.c3-A2", name("sweep", "llama-8b.c3", 2));
  }

  @Test
  void campaignAndRunThatJoinToTheSameTextGetDifferentNames() {
    // The old rule named both llem-adv-p-q-r-a1: one campaign removed the other's container.
    assertEquals(
        ContainerNames.legacy(new RunRef("adv-p-q", "r", "x", 1, 1)),
        ContainerNames.legacy(new RunRef("adv-p", "q-r", "x", 1, 1)));
    assertNotEquals(name("adv-p-q", "r", 1), name("adv-p", "q-r", 1));
    assertNotEquals(name("a", "b-A1", 2), name("a", "b", 12));
  }

  @Test
  void everySplitOfOneTextIsADifferentName() {
    // All ways of cutting valid characters into campaign + run + attempt.
    String text = "a-b.c_d-R-e";
    Set<String> names = new HashSet<>();
    int made = 0;
    for (int cut = 1; cut < text.length(); cut++) {
      String campaign = text.substring(0, cut).toLowerCase(java.util.Locale.ROOT);
      String run = text.substring(cut).toLowerCase(java.util.Locale.ROOT);
      for (int attempt : List.of(1, 11, 111)) {
        String n = name(campaign, run, attempt);
        assertTrue(n.matches(DOCKER_NAME), n);
        names.add(n);
        made++;
      }
    }
    assertEquals(made, names.size(), "names: " + names);
  }

  @Test
  void aRetriedActivityComputesTheSameName() {
    assertEquals(name("c", "e.c1", 3), name("c", "e.c1", 3));
    assertEquals(name("my/camp", "e.c1", 3), name("my/camp", "e.c1", 3));
  }

  @Test
  void partsOutsideTheNameRuleAreReplacedAndHashed() {
    String slash = name("my/camp", "x.c1", 1);
    String colon = name("my:camp", "x.c1", 1);
    assertTrue(slash.matches(DOCKER_NAME), slash);
    assertTrue(slash.matches("llem-my-camp-R-x\\.c1-A1-H[0-9a-f]{16}"), slash);
    assertNotEquals(slash, colon);
    assertNotEquals(name("Camp", "x.c1", 1), name("camp", "x.c1", 1));
    assertNotEquals(name("a/b", "c", 1), name("a", "b/c", 1));
  }

  @Test
  void veryLongPartsAreCutWithAHash() {
    String n = name("c".repeat(300), "r.c1", 1);
    assertTrue(n.length() <= 130, "length " + n.length());
    assertTrue(n.matches("llem-c{80}-R-r\\.c1-A1-H[0-9a-f]{16}"), n);
  }
}
