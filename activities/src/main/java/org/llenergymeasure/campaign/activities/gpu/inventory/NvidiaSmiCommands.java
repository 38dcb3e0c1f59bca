package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.List;

/** The three nvidia-smi invocations an inventory is made of (also named in error messages). */
public final class NvidiaSmiCommands {

  public static final List<String> QUERY_GPU =
      List.of(
          "nvidia-smi",
          "--query-gpu=index,uuid,pci.bus_id,name,memory.total,mig.mode.current",
          "--format=csv,noheader");
  public static final List<String> LIST = List.of("nvidia-smi", "-L");
  public static final List<String> COMPUTE_APPS =
      List.of(
          "nvidia-smi", "--query-compute-apps=pid,gpu_uuid,used_memory", "--format=csv,noheader");

  private NvidiaSmiCommands() {}

  /** The same command with another executable (a full path, or a test double). */
  static List<String> withExecutable(List<String> command, String executable) {
    List<String> copy = new java.util.ArrayList<>(command);
    copy.set(0, executable);
    return copy;
  }
}
