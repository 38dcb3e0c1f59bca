package org.llenergymeasure.campaign.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RunRef;

class RunBackendByAttachTest {

  private static final RunRef RUN = new RunRef("camp", "e.c1", "e", 1, 1);

  private final List<String> calls = new ArrayList<>();
  private final RunBackend containers = named("containers");
  private final RunBackend processes = named("processes");
  private final RunBackendByAttach byAttach = new RunBackendByAttach(containers, processes);

  /** A backend that notes each call with its name and answers nothing. */
  private RunBackend named(String name) {
    return (RunBackend)
        Proxy.newProxyInstance(
            RunBackend.class.getClassLoader(),
            new Class<?>[] {RunBackend.class},
            (proxy, method, args) -> {
              if (method.getName().equals("toString")) {
                return name;
              }
              calls.add(name + "." + method.getName());
              return method.getReturnType() == boolean.class ? true : null;
            });
  }

  private static GpuRouting routing(AttachMode attach) {
    return new GpuRouting("h", attach, List.of(), Map.of(), null, 0, List.of(), List.of(), false);
  }

  @Test
  void launchGoesByTheAttachModeOfTheRouting() {
    assertSame(processes, byAttach.forRouting(routing(AttachMode.PROCESS)));
    for (AttachMode container : List.of(AttachMode.DEVICE_REQUEST, AttachMode.ENV)) {
      assertSame(containers, byAttach.forRouting(routing(container)), container.toString());
    }
    assertSame(containers, byAttach.forRouting(null));
  }

  @Test
  void laterStepsGoByTheHandleAndACleanupWithoutOneByTheRouting() {
    assertSame(processes, byAttach.forHandle("process:/results/camp/e.c1/a1"));
    assertSame(containers, byAttach.forHandle("llem-camp-e-c1-a1"));
    assertSame(
        processes, byAttach.forCleanup(new CleanupRequest(RUN, null, routing(AttachMode.PROCESS))));
    assertSame(
        containers,
        byAttach.forCleanup(
            new CleanupRequest(RUN, "llem-camp-e-c1-a1", routing(AttachMode.PROCESS))));
    byAttach.saveLog("process:/results/camp/e.c1/a1", Path.of("/results/camp/e.c1/a1"));
    byAttach.saveLog("llem-camp-e-c1-a1", Path.of("/results/camp/e.c1/a1"));
    assertEquals(List.of("processes.saveLog", "containers.saveLog"), calls);
  }

  @Test
  void oneBackendServesEveryAttachMode() {
    RunBackendByAttach only = RunBackendByAttach.only(containers);
    assertSame(containers, only.forRouting(routing(AttachMode.PROCESS)));
    assertSame(containers, only.forHandle("process:/x"));
  }
}
