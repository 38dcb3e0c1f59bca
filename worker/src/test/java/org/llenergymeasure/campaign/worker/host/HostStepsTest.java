package org.llenergymeasure.campaign.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityMethod;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.host.GpuCareActivities;
import org.llenergymeasure.campaign.workflows.host.RunActivities;

class HostStepsTest {

  private static Set<String> typesOf(Class<?> activityInterface) {
    return Arrays.stream(activityInterface.getDeclaredMethods())
        .map(m -> m.getAnnotation(ActivityMethod.class).name())
        .collect(Collectors.toSet());
  }

  @Test
  void everyHostActivityTypeIsInExactlyOneGroup() {
    Set<String> declared = new HashSet<>(typesOf(RunActivities.class));
    declared.addAll(typesOf(GpuCareActivities.class));
    Set<String> grouped = new HashSet<>(HostSteps.RUN);
    grouped.addAll(HostSteps.CARE);
    assertEquals(declared, grouped);
    assertEquals(HostSteps.RUN.size() + HostSteps.CARE.size(), grouped.size());
    assertTrue(HostSteps.RUN.containsAll(HostSteps.SHORT));
    Set<String> notShort = new HashSet<>(HostSteps.RUN);
    notShort.removeAll(HostSteps.SHORT);
    assertEquals(Set.of("Await"), notShort, "await heartbeats its own progress");
    assertFalse(HostSteps.isHostStep("Greet"));
  }

  @Test
  void onlyAHostsQueueNamesAHost() {
    assertEquals("gpu-a", TaskQueues.hostIdOf(TaskQueues.host("gpu-a")));
    assertNull(TaskQueues.hostIdOf(TaskQueues.CAMPAIGNS));
    assertNull(TaskQueues.hostIdOf("llem-host-"));
    assertNull(TaskQueues.hostIdOf("my-llem-host-a"));
    assertNull(TaskQueues.hostIdOf(null));
  }
}
