package org.llenergymeasure.campaign.config;

/**
 * Something of an upstream study file that {@code import} could not carry over, or carried over
 * only approximately, at its place in the study file. Printed as {@code <file>:<line>: <path>:
 * <message>}.
 */
public record ImportNote(String file, int line, String path, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + path + ": " + message;
  }
}
