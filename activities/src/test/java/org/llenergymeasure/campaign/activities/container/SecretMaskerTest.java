package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stream masker: a secret is masked wherever the output was cut, and nothing else changes. */
class SecretMaskerTest {

  static final String VALUE = "hf_s3cr3t-VALUE-7f3a";
  static final Secrets SECRETS =
      Secrets.resolve(List.of("TOKEN", "SHORT"), Map.of("TOKEN", VALUE, "SHORT", "abc"), "h");

  private static String stream(byte[] all, int... cuts) {
    SecretMasker masker = new SecretMasker(SECRETS);
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int cut : cuts) {
      out.append(masker.write(all, from, cut - from));
      from = cut;
    }
    out.append(masker.write(all, from, all.length - from));
    return out.append(masker.finish()).toString();
  }

  @Test
  void aSecretSplitAtEveryPositionOfTwoPiecesIsMasked() {
    String text = "before " + VALUE + " after é\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertEquals("before <secret TOKEN> after é\n", stream(bytes, cut), "cut at " + cut);
    }
  }

  @Test
  void aSecretInManyOneBytePiecesIsMasked() {
    byte[] bytes = ("x" + VALUE + VALUE + "y").getBytes(StandardCharsets.UTF_8);
    int[] cuts = new int[bytes.length - 1];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    assertEquals("x<secret TOKEN><secret TOKEN>y", stream(bytes, cuts));
  }

  @Test
  void whatCouldStartASecretIsHeldBackUntilTheNextPieceSaysItIsNot() {
    SecretMasker masker = new SecretMasker(SECRETS);
    assertEquals("log line ", masker.write("log line hf_s3".getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        "hf_s3 was not it\n", masker.write(" was not it\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        "tail hf", masker.write("tail hf".getBytes(StandardCharsets.UTF_8)) + masker.finish());
  }

  @Test
  void valuesTooShortToBeSecretsAreLeftAlone() {
    assertEquals("abc abc\n", stream("abc abc\n".getBytes(StandardCharsets.UTF_8), 2));
  }

  @Test
  void aWindowCutOutOfTheOutputDropsThePiecesOfASecretAtItsEdges() {
    String window = VALUE.substring(6) + " middle " + VALUE + " end " + VALUE.substring(0, 7);
    String shown = SECRETS.redactWindow(window, true, true);
    assertEquals(" middle <secret TOKEN> end ", shown);
    assertFalse(SECRETS.redactWindow(window, false, false).contains(VALUE));
  }

  @Test
  void aMessageQuotingAPieceOfASecretHasThePieceMasked() {
    assertEquals(
        "Unrecognized token '<secret TOKEN>': was expecting (JSON String, ...)",
        SECRETS.redactFragments(
            "Unrecognized token 'hf_s3cr3t': was expecting (JSON String, ...)"));
    assertEquals("token <secret TOKEN> here", SECRETS.redactFragments("token " + VALUE + " here"));
    assertEquals("ab hf_ 7f3", SECRETS.redactFragments("ab hf_ 7f3"));
  }
}
