package org.llenergymeasure.campaign.config;

import java.util.List;
import java.util.stream.Collectors;

/** A campaign file that cannot be used; carries every error found, not only the first. */
public class CampaignFileException extends Exception {

  private final List<ConfigError> errors;

  public CampaignFileException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
