package org.llenergymeasure.campaign.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What to do when a selected GPU is used by another process. */
public enum BusyPolicy {
  WAIT,
  FAIL,
  IGNORE;

  @JsonValue
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static BusyPolicy fromYaml(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
