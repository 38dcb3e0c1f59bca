package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The plan hashes of existing files, written down: a running campaign's worker checks the hash
 * against the client's, so a change to how the plan is hashed (or to a key's default) must leave
 * these as they are. Every value here was computed before the hash was last reworked.
 */
class PinnedHashTest {

  private static final Map<String, String> FILES =
      Map.of(
          "examples/quickstart.yaml",
          "ebc21e04f6eb4fad862d4063d892db9ada2cd860cb2d205940b800e692ee02af",
          "campaigns/valid/gpu-forms.yaml",
          "802753d05a35f87df1cb34288cfbba8e48a85139ea7f4f357864f74214884842",
          "campaigns/valid/minimal.yaml",
          "ea2f457c29fb6fbcfc174bc7852b60751e958c942a04cdaf0367600a3da19c3b",
          "campaigns/valid/spec-example.yaml",
          "11a77275d8c2d4ff1cb4fc104ad513b811792662b22c7d21eaac157cfeb3fc16",
          "campaigns/valid/spec-example-varied.yaml",
          "923b3c4226282f77f9a36d52398a3a60cd4fd448984f4861840c5b6bc138f23c");

  private static final Map<String, String> ORDERS =
      Map.of(
          "grouped", "abff254b81a7a047658fbf0450bc567f79c4dbd678fa77a5d47ba7ec3e0d3231",
          "interleave", "dc18bc4898d69ec29cee13ce504c1b12da4db5c661211f7199fe73aad335ed41",
          "shuffle", "fc29bde336f1588d151675f870635ede197b2f946111af08fdd254748aba7cad",
          "reverse", "be10cebb5ddac1dd23bbca6fd4ebb5849323964fd0a77b6843f27019f0d80ca4",
          "latin-square", "3404a61d21e6f460f3d06d64f447219873180f20838ea37dd00540741eee701d");

  @Test
  void filesKeepTheirHash() {
    Map<String, String> actual = new TreeMap<>();
    for (String f : FILES.keySet()) {
      Path p =
          f.startsWith("examples/")
              ? Path.of("..").resolve(f)
              : Yamls.CAMPAIGNS.resolve(f.substring("campaigns/".length()));
      try {
        actual.put(f, CampaignLoader.load(p).plan().hash());
      } catch (CampaignFileException e) {
        throw new AssertionError(f + " no longer loads:\n" + e.getMessage(), e);
      }
    }
    assertEquals(new TreeMap<>(FILES), actual);
  }

  @Test
  void everyOrderKeepsItsHash() {
    Map<String, String> actual = new TreeMap<>();
    for (String order : List.copyOf(ORDERS.keySet())) {
      String yaml =
          """
          campaign: pinned
          defaults: {image: "img:1", gpus: [0]}
          grid:
            name: "e-{a}-{b}"
            base: {command: [run, "{a}", "{b}"], env: {A: "{a}"}}
            axes:
              a: [0, 1, 2, 3, 4]
              b: [x, y, z]
          execution: {cycles: 7, order: %s, seed: 42}
          """
              .formatted(order);
      actual.put(order, Yamls.load(yaml).plan().hash());
    }
    assertEquals(new TreeMap<>(ORDERS), actual);
  }
}
