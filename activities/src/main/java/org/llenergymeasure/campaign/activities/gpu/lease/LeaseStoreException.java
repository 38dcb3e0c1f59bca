package org.llenergymeasure.campaign.activities.gpu.lease;

/** The lease file could not be read, written or locked. */
public class LeaseStoreException extends RuntimeException {

  public LeaseStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
