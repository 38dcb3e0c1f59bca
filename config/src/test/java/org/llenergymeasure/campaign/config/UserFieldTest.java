package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code user}: its values, merging, the refused values at their place and the plan hash. */
class UserFieldTest {

  private static final String PLAIN =
      """
      campaign: c1
      experiments:
        - name: e1
          image: img:1
      """;

  private static Experiment only(String yaml) {
    return Yamls.load(yaml).campaign().experiments().get(0);
  }

  private static String hash(String yaml) {
    return Yamls.load(yaml).plan().hash();
  }

  @Test
  void absentIsNullAndEveryFormIsKeptAsWritten() {
    assertNull(only(PLAIN).user());
    for (String v : List.of("nobody", "65534", "65534:65534", "llem-run:video", "a.b_c")) {
      assertEquals(v, only(PLAIN + "    user: \"" + v + "\"\n").user(), v);
    }
    // A plain YAML number is read as its digits.
    assertEquals("1000", only(PLAIN + "    user: 1000\n").user());
  }

  @Test
  void mergedFromDefaultsGridBaseAndVariants() {
    String yaml =
        """
        campaign: c1
        defaults:
          image: img:1
          user: nobody
        grid:
          name: g-{v}
          base:
            user: "1000:1000"
          axes:
            v:
              - value: a
              - value: b
                user: "2000"
        experiments:
          - name: e1
        """;
    var byName = new java.util.TreeMap<String, String>();
    for (Experiment e : Yamls.load(yaml).campaign().experiments()) {
      byName.put(e.name(), e.user());
    }
    assertEquals("nobody", byName.get("e1"));
    assertEquals("1000:1000", byName.get("g-a"));
    assertEquals("2000", byName.get("g-b"));
  }

  @Test
  void refusedValuesAreReportedAtTheirPlace() {
    assertEquals(
        List.of(
            "5:11: experiments[0].user: user: root is root, which is what runs without `user:`;"
                + " remove it or name another user"),
        Yamls.errors(PLAIN + "    user: root\n"));
    assertEquals(
        List.of(
            "5:11: experiments[0].user: user: 0 is root, which is what runs without `user:`;"
                + " remove it or name another user"),
        Yamls.errors(PLAIN + "    user: \"0:100\"\n"));
    assertEquals(
        List.of(
            "5:11: experiments[0].user: `a:b:c` has more than one `:`; write NAME, UID,"
                + " NAME:GROUP or UID:GID"),
        Yamls.errors(PLAIN + "    user: a:b:c\n"));
    assertEquals(
        List.of(
            "5:11: experiments[0].user: `1000:` has an empty group; write NAME, UID, NAME:GROUP"
                + " or UID:GID"),
        Yamls.errors(PLAIN + "    user: \"1000:\"\n"));
    assertEquals(
        List.of(
            "5:11: experiments[0].user: `-x`: `-x` is not a valid user name (letters, digits, `.`,"
                + " `_` and `-`, not starting with `-`, at most 32 characters) nor a number"),
        Yamls.errors(PLAIN + "    user: \"-x\"\n"));
    assertEquals(
        List.of(
            "5:11: experiments[0].user: `1:9999999999`: group id 9999999999 is too large (at"
                + " most 2147483646)"),
        Yamls.errors(PLAIN + "    user: \"1:9999999999\"\n"));
    assertEquals(
        List.of("5:11: experiments[0].user: expected a single value, found a list"),
        Yamls.errors(PLAIN + "    user: [nobody]\n"));
  }

  @Test
  void theHashOfAFileWithoutTheKeyIsUnchangedAndEverySettingChangesIt() {
    String base = hash(PLAIN);
    assertFalse(PlanBuilder.canonicalForm(Yamls.load(PLAIN).campaign()).contains("\"user\""));
    String nobody = hash(PLAIN + "    user: nobody\n");
    assertNotEquals(base, nobody);
    assertNotEquals(base, hash(PLAIN + "    user: \"65534:65534\"\n"));
    assertNotEquals(nobody, hash(PLAIN + "    user: \"65534\"\n"));
  }
}
