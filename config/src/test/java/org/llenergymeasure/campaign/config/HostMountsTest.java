package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.config.Yamls.oneExperiment;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * campaign-format.md "Mounts of the host": the Docker socket never, the system folders only with
 * {@code allowDangerousMounts: true} (and a warning), paths compared after normalisation.
 */
class HostMountsTest {

  private static String mount(String source) {
    return "mounts: [{source: \"" + source + "\", target: /x}]";
  }

  private static String only(List<String> errors) {
    assertEquals(1, errors.size(), String.join("\n", errors));
    return errors.get(0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/var/run/docker.sock",
        "/run/docker.sock",
        "//run//docker.sock",
        "/var/run",
        "/var/run/",
        "/run",
        "/var",
        "/",
        "//",
        "/./var/./run",
        "/home/me/.docker/run/docker.sock",
        "/run/user/1000/docker.sock"
      })
  void theDockerSocketAndTheFoldersThatHoldItAreNeverMounted(String source) {
    for (String allow : List.of("", "allowDangerousMounts: true")) {
      List<String> errors =
          Yamls.errors(
              allow.isEmpty() ? oneExperiment(mount(source)) : oneExperiment(mount(source), allow));
      String e = only(errors);
      assertTrue(e.startsWith("5:23: experiments[0].mounts[0].source: `" + source + "` "), e);
      assertTrue(e.contains("not even with allowDangerousMounts"), e);
    }
  }

  @Test
  void theSocketMessageSaysWhy() {
    assertEquals(
        "5:23: experiments[0].mounts[0].source: `/var/run` holds the Docker socket"
            + " (/var/run/docker.sock): a run that reaches the Docker engine controls the host (it"
            + " could start a privileged container or write the results ledger), so it is never"
            + " mounted, not even with allowDangerousMounts; mount a folder of your own",
        only(Yamls.errors(oneExperiment(mount("/var/run")))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/etc",
        "/etc/",
        "//etc",
        "/./etc",
        "/etc/ssl/certs",
        "/proc",
        "/proc/1/root",
        "/sys",
        "/sys/fs/cgroup",
        "/dev",
        "/dev/nvidia0"
      })
  void systemFoldersNeedAllowDangerousMountsAndThenWarn(String source) {
    String e = only(Yamls.errors(oneExperiment(mount(source))));
    assertTrue(
        e.startsWith(
            "5:23: experiments[0].mounts[0].source: `"
                + source
                + "` is a system folder of the host: a run could read or change the host's"),
        e);
    assertTrue(
        e.endsWith(
            "or set `allowDangerousMounts: true` (in the experiment or in defaults) if the run really needs it"),
        e);
    LoadedCampaign lc = Yamls.load(oneExperiment(mount(source), "allowDangerousMounts: true"));
    assertEquals(1, lc.warnings().size(), String.join("\n", lc.warnings()));
    assertTrue(
        lc.warnings()
            .get(0)
            .startsWith(
                "test.yaml:5:23: experiments[0].mounts[0].source: `"
                    + source
                    + "` is a system folder of the host, mounted because allowDangerousMounts is"
                    + " true: the run can read and change the host's"),
        lc.warnings().get(0));
    assertTrue(lc.campaign().experiments().get(0).allowDangerousMounts());
  }

  @Test
  void theMessagesSayWhatTheFolderGives() {
    assertEquals(
        "5:23: experiments[0].mounts[0].source: `/etc` is a system folder of the host: a run could"
            + " read or change the host's configuration (users, passwords, services); mount a folder"
            + " of your own, or set `allowDangerousMounts: true` (in the experiment or in defaults)"
            + " if the run really needs it",
        only(Yamls.errors(oneExperiment(mount("/etc")))));
    LoadedCampaign lc =
        Yamls.load(
            oneExperiment(
                "mounts: [{source: /dev/nvidia0, target: /x, readOnly: true}]",
                "allowDangerousMounts: true"));
    assertEquals(
        List.of(
            "test.yaml:5:23: experiments[0].mounts[0].source: `/dev/nvidia0` is a system folder of"
                + " the host, mounted because allowDangerousMounts is true: the run can read the"
                + " host's devices (disks, every GPU), bypassing the GPU routing"),
        lc.warnings());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/data/hf-cache",
        "/etcetera",
        "/devices",
        "/system",
        "/var/lib/models",
        "/run2",
        "/home/me/docker.sock.d",
        "/home/me/etc"
      })
  void ordinaryFoldersAreFine(String source) {
    LoadedCampaign lc = Yamls.load(oneExperiment(mount(source)));
    assertEquals(List.of(), lc.warnings());
    assertFalse(lc.campaign().experiments().get(0).allowDangerousMounts());
  }

  @Test
  void theKeyMergesLikeAnyOtherAndAnErrorFromDefaultsNamesTheExperiments() {
    String yaml =
        """
        campaign: c1
        defaults:
          image: i
          mounts: [{source: /etc/hosts, target: /etc/hosts, readOnly: true}]
        experiments:
          - {name: a, allowDangerousMounts: true}
          - {name: b}
        grid:
          name: "g-{v}"
          axes:
            v: [x, {value: y, allowDangerousMounts: true}]
        """;
    assertEquals(
        List.of(
            "4:21: defaults.mounts[0].source: `/etc/hosts` is a system folder of the host: a run"
                + " could read or change the host's configuration (users, passwords, services);"
                + " mount a folder of your own, or set `allowDangerousMounts: true` (in the"
                + " experiment or in defaults) if the run really needs it (experiments b, g-x)"),
        Yamls.errors(yaml));
    LoadedCampaign lc =
        Yamls.load(yaml.replace("image: i\n", "image: i\n  allowDangerousMounts: true\n"));
    // One warning for the mount, however many experiments it is in (and one that they are equal).
    List<String> mountWarnings =
        lc.warnings().stream().filter(w -> w.contains("system folder")).toList();
    assertEquals(1, mountWarnings.size(), String.join("\n", lc.warnings()));
    assertTrue(lc.campaign().experiments().stream().allMatch(Experiment::allowDangerousMounts));
  }

  @Test
  void aValueThatIsNotABooleanIsRefusedOnce() {
    List<String> errors = Yamls.errors(oneExperiment(mount("/etc"), "allowDangerousMounts: yes"));
    String e = only(errors);
    assertTrue(e.startsWith("6:27: experiments[0].allowDangerousMounts: `yes` is ambiguous"), e);
  }

  @Test
  void theHashChangesOnlyWhenTheKeyIsTrue() {
    String without = oneExperiment(mount("/data"));
    String hash = Yamls.load(without).plan().hash();
    assertEquals(
        hash,
        Yamls.load(oneExperiment(mount("/data"), "allowDangerousMounts: false")).plan().hash());
    assertNotEquals(
        hash,
        Yamls.load(oneExperiment(mount("/data"), "allowDangerousMounts: true")).plan().hash());
    assertFalse(
        PlanBuilder.canonicalForm(Yamls.load(without).campaign()).contains("allowDangerousMounts"));
  }

  @Test
  void normalisation() {
    assertEquals("/etc", HostMounts.normalise("//etc/"));
    assertEquals("/etc", HostMounts.normalise("/a/../etc/."));
    assertEquals("/", HostMounts.normalise("/.."));
    assertEquals("/", HostMounts.normalise("///"));
  }
}
