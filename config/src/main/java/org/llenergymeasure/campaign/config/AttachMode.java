package org.llenergymeasure.campaign.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a run gets its GPUs (campaign-format.md, gpu-routing.md). */
public enum AttachMode {
  /** Docker DeviceRequest with the routed UUIDs plus NVIDIA_VISIBLE_DEVICES (default). */
  DEVICE_REQUEST("device-request"),
  /**
   * NVIDIA_VISIBLE_DEVICES only, for hosts whose default runtime is nvidia, and simulated hosts.
   */
  ENV("env"),
  /** CDI device names (Docker 25+). */
  CDI("cdi"),
  /** A local process, no container: CUDA_VISIBLE_DEVICES holds the routed UUIDs. */
  PROCESS("process");

  private final String yamlName;

  AttachMode(String yamlName) {
    this.yamlName = yamlName;
  }

  @JsonValue
  public String yamlName() {
    return yamlName;
  }

  @JsonCreator
  public static AttachMode fromYaml(String value) {
    for (AttachMode m : values()) {
      if (m.yamlName.equals(value)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown attach mode '" + value + "'; expected device-request, env, cdi or process");
  }

  public boolean isContainer() {
    return this != PROCESS;
  }
}
