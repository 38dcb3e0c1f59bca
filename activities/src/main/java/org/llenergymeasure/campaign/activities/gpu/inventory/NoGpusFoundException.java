package org.llenergymeasure.campaign.activities.gpu.inventory;

/**
 * nvidia-smi is missing, fails or lists no GPU. Never answered with an empty inventory: a host that
 * silently has "no GPUs" would turn every GPU request into a confusing selection error.
 */
public class NoGpusFoundException extends InventoryException {

  private final String hostId;

  public NoGpusFoundException(String hostId, String why) {
    super("no NVIDIA GPUs found on host " + hostId + ": " + why);
    this.hostId = hostId;
  }

  public String hostId() {
    return hostId;
  }
}
