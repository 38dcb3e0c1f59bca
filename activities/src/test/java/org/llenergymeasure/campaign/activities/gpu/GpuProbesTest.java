package org.llenergymeasure.campaign.activities.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.verify.CudaView;
import org.llenergymeasure.campaign.activities.gpu.verify.CudaViewParser;

class GpuProbesTest {

  @Test
  void cudaViewScriptIsOnTheClasspath() {
    String script = GpuProbes.cudaViewScript();
    assertTrue(script.startsWith("#!/usr/bin/env python3\n"));
    assertTrue(script.contains("\"# llem-cuda-view ctypes\""));
    assertTrue(script.contains("libcuda.so.1"));
    assertTrue(script.contains("return 3"), "exit 3 when libcuda is missing");
  }

  /** What the script printed on a real H200 reads back as that GPU, and cuInit 101 as none. */
  @Test
  void realOutputParses() throws IOException {
    assertEquals(
        new CudaView(0, List.of("GPU-df1d51f9-95e3-cf63-11df-60288a86827e")),
        CudaViewParser.parse(resource("/probe/h200-cuda-view-unset.txt")));
    assertEquals(
        new CudaView(101, List.of()),
        CudaViewParser.parse(resource("/probe/h200-cuda-view-cvd-0-0.txt")));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GpuProbesTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
