package org.llenergymeasure.campaign.activities.gpu.telemetry;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host-side GPU readings through NVML (JNA). Opens the library once per worker; handles are looked
 * up by UUID and cached. A reading NVML refuses (an older GPU without the energy counter, a field
 * "not supported") is null in the sample and logged once, never replaced by a guess.
 */
public final class NvmlGpuTelemetry implements GpuTelemetry {

  private static final Logger log = LoggerFactory.getLogger(NvmlGpuTelemetry.class);

  /** Sonames tried in order: the dev symlink, then the runtime library every driver installs. */
  private static final List<String> LIBRARY_NAMES = List.of("nvidia-ml", "libnvidia-ml.so.1");

  private final NvmlLibrary nvml;
  private final LongSupplier clock;
  private final Map<String, Pointer> handles = new ConcurrentHashMap<>();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * NVML when the library loads and initialises; otherwise {@link NoGpuTelemetry} saying why (a CPU
   * host, a container without the driver's libraries, a driver/library mismatch).
   */
  public static GpuTelemetry tryOpen() {
    NvmlLibrary lib = null;
    StringBuilder why = new StringBuilder();
    for (String name : LIBRARY_NAMES) {
      try {
        lib = Native.load(name, NvmlLibrary.class);
        break;
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        why.append(why.length() == 0 ? "" : "; ")
            .append(name)
            .append(": ")
            .append(firstLine(e.getMessage()));
      }
    }
    if (lib == null) {
      return new NoGpuTelemetry("no NVML on this host (libnvidia-ml not loadable: " + why + ")");
    }
    return open(lib, System::currentTimeMillis);
  }

  /** Initialises NVML through {@code lib}; tests pass a stand-in library. */
  static GpuTelemetry open(NvmlLibrary lib, LongSupplier clock) {
    int rc = lib.nvmlInit_v2();
    if (rc != NvmlLibrary.SUCCESS) {
      return new NoGpuTelemetry(
          "NVML did not initialise: "
              + errorString(lib, rc)
              + " (nvmlInit_v2 returned "
              + rc
              + ")");
    }
    return new NvmlGpuTelemetry(lib, clock);
  }

  private NvmlGpuTelemetry(NvmlLibrary nvml, LongSupplier clock) {
    this.nvml = nvml;
    this.clock = clock;
  }

  @Override
  public Optional<String> unavailableReason() {
    return closed.get() ? Optional.of("NVML was shut down") : Optional.empty();
  }

  @Override
  public Map<String, GpuSample> sample(Collection<String> uuids) {
    Map<String, GpuSample> out = new LinkedHashMap<>();
    if (closed.get()) {
      return out;
    }
    for (String uuid : uuids) {
      Pointer device = handle(uuid);
      if (device != null) {
        out.put(uuid, read(uuid, device));
      }
    }
    return out;
  }

  @Override
  public Map<String, GpuSample> sampleAll() {
    Map<String, GpuSample> out = new LinkedHashMap<>();
    if (closed.get()) {
      return out;
    }
    IntByReference count = new IntByReference();
    int rc = nvml.nvmlDeviceGetCount_v2(count);
    if (rc != NvmlLibrary.SUCCESS) {
      reportOnce("count", "NVML could not count the GPUs: " + errorString(nvml, rc));
      return out;
    }
    for (int i = 0; i < count.getValue(); i++) {
      PointerByReference ref = new PointerByReference();
      rc = nvml.nvmlDeviceGetHandleByIndex_v2(i, ref);
      if (rc != NvmlLibrary.SUCCESS) {
        reportOnce("index " + i, "NVML has no handle for GPU " + i + ": " + errorString(nvml, rc));
        continue;
      }
      byte[] buf = new byte[96];
      rc = nvml.nvmlDeviceGetUUID(ref.getValue(), buf, buf.length);
      if (rc != NvmlLibrary.SUCCESS) {
        reportOnce("uuid " + i, "NVML has no UUID for GPU " + i + ": " + errorString(nvml, rc));
        continue;
      }
      String uuid = cString(buf);
      handles.putIfAbsent(uuid, ref.getValue());
      out.put(uuid, read(uuid, ref.getValue()));
    }
    return out;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      handles.clear();
      int rc = nvml.nvmlShutdown();
      if (rc != NvmlLibrary.SUCCESS) {
        log.warn("NVML shutdown returned {}", errorString(nvml, rc));
      }
    }
  }

  private Pointer handle(String uuid) {
    Pointer cached = handles.get(uuid);
    if (cached != null) {
      return cached;
    }
    PointerByReference ref = new PointerByReference();
    int rc = nvml.nvmlDeviceGetHandleByUUID(uuid, ref);
    if (rc != NvmlLibrary.SUCCESS) {
      reportOnce("handle " + uuid, "NVML does not know GPU " + uuid + ": " + errorString(nvml, rc));
      return null;
    }
    handles.put(uuid, ref.getValue());
    return ref.getValue();
  }

  private GpuSample read(String uuid, Pointer device) {
    long at = clock.getAsLong();
    LongByReference energy = new LongByReference();
    Long energyMj =
        ok(uuid, "energy counter", nvml.nvmlDeviceGetTotalEnergyConsumption(device, energy))
            ? energy.getValue()
            : null;
    IntByReference power = new IntByReference();
    Double powerW =
        ok(uuid, "power", nvml.nvmlDeviceGetPowerUsage(device, power))
            ? power.getValue() / 1000.0
            : null;
    IntByReference temp = new IntByReference();
    Integer tempC =
        ok(
                uuid,
                "temperature",
                nvml.nvmlDeviceGetTemperature(device, NvmlLibrary.TEMPERATURE_GPU, temp))
            ? temp.getValue()
            : null;
    IntByReference clockMhz = new IntByReference();
    Integer sm =
        ok(uuid, "SM clock", nvml.nvmlDeviceGetClockInfo(device, NvmlLibrary.CLOCK_SM, clockMhz))
            ? clockMhz.getValue()
            : null;
    LongByReference reasons = new LongByReference();
    Long throttle =
        ok(
                uuid,
                "throttle reasons",
                nvml.nvmlDeviceGetCurrentClocksThrottleReasons(device, reasons))
            ? reasons.getValue()
            : null;
    IntByReference limit = new IntByReference();
    Double limitW =
        ok(uuid, "power limit", nvml.nvmlDeviceGetEnforcedPowerLimit(device, limit))
            ? limit.getValue() / 1000.0
            : null;
    return new GpuSample(uuid, at, energyMj, powerW, tempC, sm, throttle, limitW);
  }

  private boolean ok(String uuid, String field, int rc) {
    if (rc == NvmlLibrary.SUCCESS) {
      return true;
    }
    reportOnce(
        uuid + " " + field,
        "NVML gives no "
            + field
            + " for "
            + uuid
            + ": "
            + errorString(nvml, rc)
            + " (left out, not estimated)");
    return false;
  }

  private void reportOnce(String key, String message) {
    if (reported.add(key)) {
      log.warn(message);
    }
  }

  private static String errorString(NvmlLibrary lib, int rc) {
    try {
      String s = lib.nvmlErrorString(rc);
      return s == null ? "error " + rc : s;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return "error " + rc;
    }
  }

  static String cString(byte[] buf) {
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, StandardCharsets.US_ASCII);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "not found";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
