package org.llenergymeasure.campaign.activities.gpu.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The NVML mapping against a stand-in library: units, refusals, enumeration, shutdown. */
class NvmlGpuTelemetryTest {

  static final String A = "GPU-aaaaaaaa-0000-0000-0000-000000000001";
  static final String B = "GPU-bbbbbbbb-0000-0000-0000-000000000002";

  /** Two GPUs: A supports everything; B (an older board) has no energy counter. */
  static final class FakeNvml implements NvmlLibrary {
    int initResult = SUCCESS;
    int shutdowns;
    int handleLookups;

    @Override
    public int nvmlInit_v2() {
      return initResult;
    }

    @Override
    public int nvmlShutdown() {
      shutdowns++;
      return SUCCESS;
    }

    @Override
    public String nvmlErrorString(int result) {
      return result == ERROR_NOT_SUPPORTED
          ? "Not Supported"
          : result == 9 ? "Driver Not Loaded" : "Not Found";
    }

    @Override
    public int nvmlDeviceGetCount_v2(IntByReference count) {
      count.setValue(2);
      return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device) {
      device.setValue(new Pointer(index + 1));
      return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetHandleByUUID(String uuid, PointerByReference device) {
      handleLookups++;
      if (uuid.equals(A)) {
        device.setValue(new Pointer(1));
        return SUCCESS;
      }
      if (uuid.equals(B)) {
        device.setValue(new Pointer(2));
        return SUCCESS;
      }
      return ERROR_NOT_FOUND;
    }

    @Override
    public int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length) {
      byte[] s = (Pointer.nativeValue(device) == 1 ? A : B).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(s, 0, uuid, 0, s.length);
      uuid[s.length] = 0;
      uuid[s.length + 1] = 'x'; // garbage after the terminator must not leak into the UUID
      return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference e) {
      if (Pointer.nativeValue(device) == 2) {
        return ERROR_NOT_SUPPORTED;
      }
      e.setValue(123_456_789_012L);
      return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetPowerUsage(Pointer device, IntByReference mw) {
      mw.setValue(Pointer.nativeValue(device) == 1 ? 689_512 : 75_250);
      return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetEnforcedPowerLimit(Pointer device, IntByReference mw) {
      mw.setValue(700_000);
      return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetTemperature(Pointer device, int sensor, IntByReference c) {
      c.setValue(sensor == TEMPERATURE_GPU ? 61 : -1);
      return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetClockInfo(Pointer device, int clockType, IntByReference mhz) {
      mhz.setValue(clockType == CLOCK_SM ? 1980 : -1);
      return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, LongByReference r) {
      r.setValue(Pointer.nativeValue(device) == 1 ? 0x4L | 0x20L : 0x1L);
      return SUCCESS;
    }
  }

  @Test
  void readsEveryFieldInTheUnitsOfTheSample() {
    FakeNvml lib = new FakeNvml();
    GpuTelemetry t = NvmlGpuTelemetry.open(lib, () -> 42L);
    assertTrue(t.available());
    GpuSample a = t.sample(List.of(A)).get(A);
    assertEquals(42L, a.atMillis());
    assertEquals(123_456_789_012L, a.energyMillijoules());
    assertEquals(689.512, a.powerWatts(), 1e-9);
    assertEquals(700.0, a.powerLimitWatts(), 1e-9);
    assertEquals(61, a.temperatureC());
    assertEquals(1980, a.smClockMhz());
    assertTrue(a.thermallyThrottled(), "SwThermalSlowdown is set");
    assertEquals(
        List.of("SwPowerCap", "SwThermalSlowdown"), ThrottleReasons.names(a.throttleReasons()));
  }

  @Test
  void aFieldTheGpuRefusesIsNullNotAGuess() {
    GpuSample b = NvmlGpuTelemetry.open(new FakeNvml(), () -> 0L).sample(List.of(B)).get(B);
    assertNull(b.energyMillijoules());
    assertEquals(75.25, b.powerWatts(), 1e-9);
    assertFalse(b.thermallyThrottled(), "GpuIdle alone is not thermal");
  }

  @Test
  void anUnknownGpuIsLeftOutAndHandlesAreCached() {
    FakeNvml lib = new FakeNvml();
    GpuTelemetry t = NvmlGpuTelemetry.open(lib, () -> 0L);
    Map<String, GpuSample> s = t.sample(List.of(A, "GPU-not-on-this-host", B));
    assertEquals(List.of(A, B), List.copyOf(s.keySet()));
    t.sample(List.of(A, B));
    assertEquals(3, lib.handleLookups, "A and B looked up once, the unknown one once");
  }

  @Test
  void sampleAllEnumeratesByIndexAndReadsTerminatedUuids() {
    Map<String, GpuSample> all = NvmlGpuTelemetry.open(new FakeNvml(), () -> 0L).sampleAll();
    assertEquals(List.of(A, B), List.copyOf(all.keySet()));
  }

  @Test
  void aFailedInitIsNoTelemetryWithTheDriversReason() {
    FakeNvml lib = new FakeNvml();
    lib.initResult = 9;
    GpuTelemetry t = NvmlGpuTelemetry.open(lib, () -> 0L);
    assertInstanceOf(NoGpuTelemetry.class, t);
    assertTrue(
        t.unavailableReason().orElseThrow().contains("Driver Not Loaded"),
        t.unavailableReason().get());
    assertTrue(t.sample(List.of(A)).isEmpty());
  }

  @Test
  void closeShutsNvmlDownOnceAndStopsReadings() {
    FakeNvml lib = new FakeNvml();
    GpuTelemetry t = NvmlGpuTelemetry.open(lib, () -> 0L);
    t.close();
    t.close();
    assertEquals(1, lib.shutdowns);
    assertFalse(t.available());
    assertTrue(t.sample(List.of(A)).isEmpty());
    assertTrue(t.sampleAll().isEmpty());
  }

  @Test
  void openingOnThisHostEitherReadsItsGpusOrSaysWhyNot() {
    try (GpuTelemetry t = GpuTelemetry.open()) {
      if (t.available()) {
        assertFalse(
            t.sampleAll().isEmpty(), "NVML loaded, so the host has at least one GPU to read");
      } else {
        String why = t.unavailableReason().orElseThrow();
        assertTrue(why.contains("libnvidia-ml") || why.contains("NVML"), why);
      }
    }
  }
}
