package org.llenergymeasure.campaign.config;

/**
 * One located problem in a campaign file. Printed as {@code <file>:<line>:<column>: <path>:
 * <message>}; line and column count from 1.
 */
public record ConfigError(String file, int line, int column, String path, String message) {

  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + path + ": " + message;
  }
}
