package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** execution.cooldown: the temperature limit, the idle baseline, their defaults and hash. */
class CooldownFieldsTest {

  private static String withCooldown(String cooldown) {
    return "campaign: c1\nexperiments:\n  - name: e1\n    image: img:1\nexecution:\n  cooldown: "
        + cooldown
        + "\n";
  }

  private static Cooldown cooldown(String cooldown) {
    return Yamls.load(withCooldown(cooldown)).campaign().execution().cooldown();
  }

  private static String hash(String cooldown) {
    return Yamls.load(withCooldown(cooldown)).plan().hash();
  }

  @Test
  void temperatureOnlyKeepsItsOldMeaning() {
    assertEquals(
        new Cooldown(45, Duration.ofMinutes(15), false, null, null),
        cooldown("{maxGpuTemperatureC: 45}"));
  }

  @Test
  void idleBaselineAloneIsEnoughAndGetsTheDocumentedDefaults() {
    assertEquals(
        new Cooldown(null, Duration.ofMinutes(15), true, 2, 15), cooldown("{idleBaseline: true}"));
    assertEquals(
        new Cooldown(50, Duration.ofMinutes(5), true, 3, 20),
        cooldown(
            "{idleBaseline: true, idleDeltaC: 3, idlePowerMarginW: 20, maxGpuTemperatureC: 50,"
                + " timeout: 5m}"));
  }

  @Test
  void idleBaselineFalseStillNeedsATemperature() {
    assertEquals(
        "6:13: execution.cooldown.maxGpuTemperatureC: is missing; say how cool the GPUs must be,"
            + " e.g. {maxGpuTemperatureC: 45, timeout: 15m}, or wait until they are back at their"
            + " idle state with {idleBaseline: true}",
        Yamls.errors(withCooldown("{idleBaseline: false}")).get(0));
  }

  @Test
  void theIdleKeysJoinTheHashOnlyWhenUsed() {
    String plain = hash("{maxGpuTemperatureC: 45}");
    // idleBaseline: false is the same cooldown as before the key existed: same hash.
    assertEquals(plain, hash("{maxGpuTemperatureC: 45, idleBaseline: false}"));
    String idle = hash("{maxGpuTemperatureC: 45, idleBaseline: true}");
    assertNotEquals(plain, idle);
    assertEquals(
        idle,
        hash("{maxGpuTemperatureC: 45, idleBaseline: true, idleDeltaC: 2}"),
        "the default written out is the same setting");
    assertNotEquals(idle, hash("{maxGpuTemperatureC: 45, idleBaseline: true, idleDeltaC: 3}"));
    assertNotEquals(
        idle, hash("{maxGpuTemperatureC: 45, idleBaseline: true, idlePowerMarginW: 30}"));
    assertNotEquals(idle, hash("{idleBaseline: true}"), "dropping the limit changes what waits");
  }

  @Test
  void theCanonicalFormOfAnOldCooldownHasNoIdleKeys() {
    String form =
        PlanBuilder.canonicalForm(Yamls.load(withCooldown("{maxGpuTemperatureC: 45}")).campaign());
    assertEquals(-1, form.indexOf("idle"), form);
  }

  @Test
  void theBenchCampaignsAreValidOnceFilledIn() throws Exception {
    for (String name : java.util.List.of("fixed-gap", "adaptive")) {
      String text =
          java.nio.file.Files.readString(
                  java.nio.file.Path.of("../bench/cooldown-compare/" + name + ".yaml"))
              .replace("@LOAD@", "/tmp/matmul_load.py")
              .replace("@ENV@", "{LOAD_S: '60'}")
              .replace("@GPU@", "0")
              .replace("@STAMP@", "1");
      LoadedCampaign c = Yamls.load(text);
      assertEquals(12, c.plan().runs().size(), name);
      assertEquals(name.equals("adaptive"), c.campaign().execution().cooldown() != null, name);
    }
  }
}
