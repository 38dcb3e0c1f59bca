package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * The probe against llem-probe:dev, whose simulated NVIDIA runtime reads the inventory that launch
 * mounts read-only at /llem-sim/inventory and applies the visibility rules on its own.
 */
@Tag("docker")
@ExtendWith(DockerExtension.class)
class SimulatedProbeDockerTest {

  @TempDir Path tmp;

  private ProbeOutputs probe(GpuRouting routing) throws Exception {
    try (DockerRunFixture fx =
        new DockerRunFixture(tmp, Map.of(), DockerExtension.gpuFixture("h100x4"))) {
      var exp = new DockerRunFixture.Exp();
      exp.image = DockerExtension.PROBE_IMAGE;
      LaunchRequest request = new LaunchRequest(fx.run("exp.c1", 1), exp.build(), routing);
      String handle =
          new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT)
              .launch(request, fx.settings)
              .handle();
      return new ContainerProbe(fx.engine)
          .run(
              new VerifyRequest(request.run(), request.experiment(), routing, handle), fx.settings);
    }
  }

  @Test
  void correctRoutingShowsTheRoutedGpuInBothViews() throws Exception {
    ProbeOutputs out = probe(DockerRunFixture.envRouting());
    assertEquals(0, out.deviceViewExit(), out.deviceView());
    assertTrue(out.deviceView().contains(DockerRunFixture.UUID), out.deviceView());
    assertFalse(out.deviceView().contains("GPU-0a1b2c3d"), out.deviceView());
    assertTrue(out.cudaView().contains(DockerRunFixture.UUID), out.cudaView());
  }

  @Test
  void hostIndexCopiedIntoCudaVisibleDevicesShowsInTheCudaView() throws Exception {
    GpuRouting good = DockerRunFixture.envRouting();
    Map<String, String> env = new HashMap<>(good.env());
    env.put("CUDA_VISIBLE_DEVICES", "1"); // the upstream bug: a host index inside the container
    GpuRouting buggy =
        new GpuRouting(
            good.hostId(),
            good.attach(),
            good.devices(),
            env,
            null,
            1,
            good.expectedUuids(),
            good.mapping(),
            true);
    ProbeOutputs out = probe(buggy);
    assertTrue(out.deviceView().contains(DockerRunFixture.UUID), out.deviceView());
    assertFalse(out.cudaView().contains(DockerRunFixture.UUID), out.cudaView());
  }
}
