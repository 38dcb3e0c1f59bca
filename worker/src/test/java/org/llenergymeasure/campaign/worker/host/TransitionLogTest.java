package org.llenergymeasure.campaign.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;
import org.slf4j.LoggerFactory;

class TransitionLogTest {

  private static final RunRef RUN = new RunRef("camp", "e.c1", "e", 1, 2);

  /** Launches, verifies, then fails await with a typed failure. */
  private static final class Host implements RunActivities {
    @Override
    public GpuRouting route(RouteRequest r) {
      throw new UnsupportedOperationException();
    }

    @Override
    public LaunchResult launch(LaunchRequest r) {
      return new LaunchResult("llem-camp-e-c1-a2", "running", "/r");
    }

    @Override
    public VerifyResult verify(VerifyRequest r) {
      return new VerifyResult(List.of("GPU-1"), List.of("GPU-1"), null);
    }

    @Override
    public AwaitResult await(AwaitRequest r) {
      throw ApplicationFailure.newNonRetryableFailure("no output for 60 s", "SilenceTimeout");
    }

    @Override
    public CollectResult collect(CollectRequest r) {
      return new CollectResult("completed", null, "/r", null);
    }

    @Override
    public org.llenergymeasure.campaign.workflows.host.CleanupResult cleanup(CleanupRequest r) {
      return org.llenergymeasure.campaign.workflows.host.CleanupResult.clean();
    }

    @Override
    public org.llenergymeasure.campaign.workflows.host.IdleBaselineResult idleBaseline(
        org.llenergymeasure.campaign.workflows.host.IdleBaselineRequest r) {
      throw new UnsupportedOperationException();
    }

    @Override
    public org.llenergymeasure.campaign.workflows.host.CooldownResult cooldown(
        org.llenergymeasure.campaign.workflows.host.CooldownRequest r) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void eachTransitionIsOneLineAndAFailureCarriesItsType() {
    Logger logger = (Logger) LoggerFactory.getLogger(TransitionLog.LOGGER);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      TransitionLog log = new TransitionLog(new Host(), "gpu-a");
      log.launch(new LaunchRequest(RUN, null, null));
      log.verify(new VerifyRequest(RUN, null, null, "h"));
      assertThrows(ApplicationFailure.class, () -> log.await(new AwaitRequest(RUN, null, "h")));
      log.cleanup(new CleanupRequest(RUN, "h", null));
      List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertEquals(
          List.of(
              "run camp/e.c1 a2 launched: llem-camp-e-c1-a2 (running)",
              "run camp/e.c1 a2 verified: sees GPU-1",
              "run camp/e.c1 a2 await failed: SilenceTimeout: no output for 60 s",
              "run camp/e.c1 a2 cleaned up"),
          messages);
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  void theShippedConfigurationWritesTransitionsToARotatedFileUnderLlemHome(@TempDir Path home)
      throws Exception {
    LoggerContext context = new LoggerContext();
    // A fresh context, as the CLI's own at start-up; it needs an MDC adapter to append.
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.putProperty("LLEM_HOME", home.toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
    try {
      context.getLogger(TransitionLog.LOGGER).info("run camp/e.c1 a1 cleaned up");
      context.getLogger("io.temporal.something").info("chatter that stays out");
      context.getLogger("org.llenergymeasure.campaign.worker.host.HostRuntime").warn("a warning");
    } finally {
      context.stop();
    }
    String text = Files.readString(home.resolve("logs/llem-campaign.log"));
    assertTrue(
        text.contains("INFO  [") && text.contains("run camp/e.c1 a1 cleaned up"),
        "log file: [" + text + "] status: " + context.getStatusManager().getCopyOfStatusList());
    assertTrue(text.contains("a warning"), text);
    assertTrue(!text.contains("chatter"), text);
  }
}
