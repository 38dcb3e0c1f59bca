package org.llenergymeasure.campaign.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The order of runs across cycles (campaign-format.md "Order"). */
public enum RunOrder {
  GROUPED("grouped"),
  INTERLEAVE("interleave"),
  SHUFFLE("shuffle"),
  REVERSE("reverse"),
  LATIN_SQUARE("latin-square");

  private final String yamlName;

  RunOrder(String yamlName) {
    this.yamlName = yamlName;
  }

  @JsonValue
  public String yamlName() {
    return yamlName;
  }

  @JsonCreator
  public static RunOrder fromYaml(String value) {
    for (RunOrder o : values()) {
      if (o.yamlName.equals(value)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown order '" + value + "'");
  }
}
