package org.llenergymeasure.campaign.activities.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The probe scripts the worker runs inside a run to see which GPUs it really has. */
public final class GpuProbes {

  /** Classpath location of the CUDA-view probe (Python 3, stdlib, ctypes against libcuda). */
  public static final String CUDA_VIEW_RESOURCE = "/llem/cuda_view.py";

  /** The probe's exit code when libcuda.so.1 cannot be loaded (the image cannot run the view). */
  public static final int CUDA_VIEW_NO_LIBCUDA = 3;

  private GpuProbes() {}

  /** The CUDA-view script's text, e.g. to pass to {@code python3 -c} or copy into a container. */
  public static String cudaViewScript() {
    try (InputStream in = GpuProbes.class.getResourceAsStream(CUDA_VIEW_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CUDA_VIEW_RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
