package org.llenergymeasure.campaign.worker;

/** A problem with what the user gave us: a file, a flag, a refused request (exit code 2). */
public class BadInput extends RuntimeException {

  public BadInput(String message) {
    super(message);
  }
}
