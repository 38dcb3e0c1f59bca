package org.llenergymeasure.campaign.worker.cli;

import java.time.Duration;
import org.llenergymeasure.campaign.worker.campaign.CampaignLookup;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import org.llenergymeasure.campaign.worker.temporal.TemporalConnection;

/**
 * What the commands that talk to a campaign on a server share: they connect only (never start a
 * server: a campaign lives on the server it ran on) with a short query timeout, so a campaign
 * without a worker answers from the search attributes quickly.
 */
final class CampaignCommands {

  /** How long a read command's query waits for a worker before falling back. */
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  private CampaignCommands() {}

  static ServerSession connect(CommonOptions common) {
    return ServerSession.connectOnly(
        common.temporalSettings(), new TemporalConnection.Tuning(QUERY_TIMEOUT, null));
  }

  static CampaignLookup lookup(ServerSession session) {
    return new CampaignLookup(session.connection().client(), session.connection().address());
  }
}
