package org.llenergymeasure.campaign.activities.gpu.telemetry;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few NVML (libnvidia-ml, nvml.h) functions the host reads, as a JNA interface mapping. Every
 * function returns an nvmlReturn_t (0 = success). A plain interface, so tests can stand in for the
 * library without a GPU.
 */
public interface NvmlLibrary extends Library {

  int SUCCESS = 0;
  int ERROR_NOT_SUPPORTED = 3;
  int ERROR_NOT_FOUND = 6;

  int TEMPERATURE_GPU = 0;
  int CLOCK_SM = 1;

  int nvmlInit_v2();

  int nvmlShutdown();

  String nvmlErrorString(int result);

  int nvmlDeviceGetCount_v2(IntByReference count);

  int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

  int nvmlDeviceGetHandleByUUID(String uuid, PointerByReference device);

  int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

  /** mJ since the driver was loaded; Volta and newer. */
  int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference energyMillijoules);

  /** mW. */
  int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);

  /** mW. */
  int nvmlDeviceGetEnforcedPowerLimit(Pointer device, IntByReference milliwatts);

  /** °C for sensor {@link #TEMPERATURE_GPU}. */
  int nvmlDeviceGetTemperature(Pointer device, int sensor, IntByReference celsius);

  /** MHz for clock {@link #CLOCK_SM}. */
  int nvmlDeviceGetClockInfo(Pointer device, int clockType, IntByReference mhz);

  /** Bit mask of {@link ThrottleReasons}; called "clocks event reasons" since driver 535. */
  int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, LongByReference reasons);
}
