package org.llenergymeasure.campaign.worker.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the transition lines go (their content: HostStepInterceptorTest). */
class TransitionLogTest {

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
