package org.llenergymeasure.campaign.config;

/** Tensor x pipeline parallelism; their product must equal the number of selected GPUs. */
public record Parallelism(int tensor, int pipeline) {

  public int gpus() {
    return tensor * pipeline;
  }
}
