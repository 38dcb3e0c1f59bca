package org.llenergymeasure.campaign.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The custom search attributes of cli-contract.md. The embedded server, the {@code server} command
 * and the test servers register them; another Temporal service needs them created once ({@link
 * #registrationCommands()} says how).
 */
public final class LlemSearchAttributes {

  public static final SearchAttributeKey<String> CAMPAIGN =
      SearchAttributeKey.forKeyword("LlemCampaign");
  public static final SearchAttributeKey<String> EXPERIMENT =
      SearchAttributeKey.forKeyword("LlemExperiment");
  public static final SearchAttributeKey<String> RUN = SearchAttributeKey.forKeyword("LlemRun");
  public static final SearchAttributeKey<String> HOST = SearchAttributeKey.forKeyword("LlemHost");
  public static final SearchAttributeKey<String> STATUS =
      SearchAttributeKey.forKeyword("LlemStatus");
  public static final SearchAttributeKey<List<String>> GPUS =
      SearchAttributeKey.forKeywordList("LlemGpus");
  public static final SearchAttributeKey<Long> PLANNED = SearchAttributeKey.forLong("LlemPlanned");
  public static final SearchAttributeKey<Long> COMPLETED =
      SearchAttributeKey.forLong("LlemCompleted");
  public static final SearchAttributeKey<Long> FAILED = SearchAttributeKey.forLong("LlemFailed");

  private LlemSearchAttributes() {}

  /** Name to Temporal type name (Keyword, KeywordList, Int), in a stable order. */
  public static Map<String, String> definitions() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("LlemCampaign", "Keyword");
    d.put("LlemExperiment", "Keyword");
    d.put("LlemRun", "Keyword");
    d.put("LlemHost", "Keyword");
    d.put("LlemStatus", "Keyword");
    d.put("LlemGpus", "KeywordList");
    d.put("LlemPlanned", "Int");
    d.put("LlemCompleted", "Int");
    d.put("LlemFailed", "Int");
    return d;
  }

  /** The {@code temporal operator search-attribute create} lines for a self-hosted service. */
  public static List<String> registrationCommands() {
    return definitions().entrySet().stream()
        .map(
            e ->
                "temporal operator search-attribute create --name "
                    + e.getKey()
                    + " --type "
                    + e.getValue())
        .toList();
  }
}
