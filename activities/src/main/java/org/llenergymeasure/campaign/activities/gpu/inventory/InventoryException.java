package org.llenergymeasure.campaign.activities.gpu.inventory;

/** The host inventory could not be read: missing files, unparsable or inconsistent output. */
public class InventoryException extends RuntimeException {

  public InventoryException(String message) {
    super(message);
  }

  public InventoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
