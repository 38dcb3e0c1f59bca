package org.llenergymeasure.campaign.workflows.host;

/**
 * A compute process found on a GPU.
 *
 * @param name the process's command name where the host can tell (from /proc); null otherwise
 * @param usedMemoryMiB its GPU memory; null where nvidia-smi printed [N/A]
 */
public record GpuHolder(long pid, String name, Long usedMemoryMiB) {

  /** "pid 4242 (python3, 2566 MiB)". */
  public String describe() {
    String what = name == null ? "" : name + ", ";
    return "pid "
        + pid
        + " ("
        + what
        + (usedMemoryMiB == null ? "memory unknown" : usedMemoryMiB + " MiB")
        + ")";
  }
}
