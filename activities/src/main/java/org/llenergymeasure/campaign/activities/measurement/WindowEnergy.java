package org.llenergymeasure.campaign.activities.measurement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;

/**
 * The host's energy over the run's own measurement window, from the readings of the await; no I/O.
 *
 * <p>With the NVML energy counter, the energy between two readings is their difference, exactly. At
 * each edge of the window the counter is interpolated linearly between the two readings that
 * bracket the edge (the reading at or before it and the next one); a reading on the edge is used as
 * it is. Everything between the first and the last reading inside the window is therefore the
 * counter's exact difference, and only the stretch from each edge to the reading next to it is an
 * estimate ({@link MeasuredWindow#interpolatedJ}). A GPU without a counter has its power readings,
 * interpolated linearly to the edges, integrated over the window (trapezoids). The GPUs are summed.
 *
 * <p>A window that the readings of the await do not enclose (it begins before the first reading or
 * ends after the last: clock skew, a wrong field) gives no energy, with a note; so do fewer than
 * two readings.
 */
public final class WindowEnergy {

  private WindowEnergy() {}

  /** One GPU's reading at its round's time: counter in J (null: none) and power in W. */
  private record Point(long at, Double joules, Double watts) {}

  /** One GPU's energy over the window, or why none ({@code problem}). */
  private record Share(
      String method,
      Double energyJ,
      boolean exact,
      long startGapMs,
      long endGapMs,
      double interpolatedJ,
      String problem) {

    static Share none(String problem) {
      return new Share(null, null, false, 0, 0, 0, problem);
    }
  }

  /**
   * The host's energy of {@code uuids} over the window the result reported, from the await's {@code
   * rounds} (any order; an idle round is not part of the await and is left out).
   */
  public static MeasuredWindow of(
      List<String> uuids, List<SampleRound> rounds, ReportedWindow reported) {
    if (reported.note() != null) {
      return MeasuredWindow.unmeasured(reported.source(), null, null, reported.note());
    }
    List<SampleRound> ordered = new ArrayList<>(rounds);
    ordered.removeIf(r -> SampleRound.IDLE.equals(r.phase()));
    ordered.sort(Comparator.comparingLong(SampleRound::atMillis));
    ReportedWindow.Reading first = reported.readings().get(0);
    if (ordered.size() < 2) {
      return MeasuredWindow.unmeasured(
          reported.source(),
          first.startMs(),
          first.endMs(),
          "the host has "
              + ordered.size()
              + " GPU reading(s) of the await, fewer than the 2 needed around the window: no window"
              + " energy");
    }
    long awaitStart = ordered.get(0).atMillis();
    long awaitEnd = ordered.get(ordered.size() - 1).atMillis();
    List<ReportedWindow.Reading> inside =
        reported.readings().stream()
            .filter(r -> r.startMs() >= awaitStart && r.endMs() <= awaitEnd)
            .toList();
    if (inside.isEmpty()) {
      return MeasuredWindow.unmeasured(
          reported.source(),
          first.startMs(),
          first.endMs(),
          outside(first, awaitStart, awaitEnd)
              + (reported.readings().size() > 1 ? " (read as UTC, too)" : "")
              + ": no window energy");
    }
    if (inside.size() > 1) {
      return MeasuredWindow.unmeasured(
          reported.source(),
          first.startMs(),
          first.endMs(),
          "the window's times have no offset, and both in the worker's time zone and in UTC they"
              + " lie inside the await: no window energy (write the times with an offset)");
    }
    return measure(uuids, ordered, reported.source(), inside.get(0));
  }

  private static MeasuredWindow measure(
      List<String> uuids, List<SampleRound> ordered, String source, ReportedWindow.Reading w) {
    long s = w.startMs();
    long e = w.endMs();
    List<MeasuredWindow.Gpu> gpus = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    double energy = 0;
    double interpolated = 0;
    long startGap = 0;
    long endGap = 0;
    boolean exact = true;
    boolean counted = true;
    for (String uuid : uuids) {
      Share share = share(uuid, points(uuid, ordered), s, e);
      gpus.add(new MeasuredWindow.Gpu(uuid, share.method(), share.energyJ()));
      if (share.problem() != null) {
        problems.add(share.problem());
        continue;
      }
      energy += share.energyJ();
      interpolated += share.interpolatedJ();
      startGap = Math.max(startGap, share.startGapMs());
      endGap = Math.max(endGap, share.endGapMs());
      exact &= share.exact();
      counted &= HostMeasurement.COUNTER.equals(share.method());
    }
    int inside = (int) ordered.stream().filter(r -> r.atMillis() >= s && r.atMillis() <= e).count();
    double duration = (e - s) / 1000.0;
    if (!problems.isEmpty()) {
      return new MeasuredWindow(
          source,
          s,
          e,
          null,
          null,
          duration,
          null,
          inside,
          null,
          null,
          null,
          String.join("; ", problems) + ": no window energy",
          gpus);
    }
    return new MeasuredWindow(
        source,
        s,
        e,
        counted ? HostMeasurement.COUNTER : HostMeasurement.INTEGRATED,
        energy,
        duration,
        energy / duration,
        inside,
        exact ? MeasuredWindow.EXACT : MeasuredWindow.INTERPOLATED,
        List.of(startGap / 1000.0, endGap / 1000.0),
        interpolated,
        w.how(),
        gpus);
  }

  private static List<Point> points(String uuid, List<SampleRound> ordered) {
    List<Point> out = new ArrayList<>();
    for (SampleRound r : ordered) {
      for (GpuSample x : r.gpus()) {
        if (uuid.equals(x.uuid())) {
          // The round's time, not the sample's: all GPUs of a round share one instant.
          Long mj = x.energyMillijoules();
          out.add(new Point(r.atMillis(), mj == null ? null : mj / 1000.0, x.powerWatts()));
        }
      }
    }
    return out;
  }

  private static Share share(String uuid, List<Point> p, long s, long e) {
    int i0 = -1;
    int i1 = -1;
    for (int i = 0; i < p.size(); i++) {
      if (p.get(i).at() <= s) {
        i0 = i;
      }
      if (i1 < 0 && p.get(i).at() >= e) {
        i1 = i;
      }
    }
    if (i0 < 0 || i1 < 0) {
      return Share.none(
          uuid
              + " has no reading "
              + (i0 < 0 ? "at or before the window's start" : "at or after the window's end"));
    }
    List<Point> span = p.subList(i0, i1 + 1);
    int n = span.size();
    boolean startExact = span.get(0).at() == s;
    boolean endExact = span.get(n - 1).at() == e;
    long startGap = startExact ? 0 : span.get(1).at() - span.get(0).at();
    long endGap = endExact ? 0 : span.get(n - 1).at() - span.get(n - 2).at();
    double energy;
    double edgeJ;
    String method;
    if (span.stream().allMatch(x -> x.joules() != null)) {
      for (int i = 1; i < n; i++) {
        if (span.get(i).joules() < span.get(i - 1).joules()) {
          return Share.none(
              uuid + "'s energy counter went backwards during the window (driver reloaded)");
        }
      }
      double atStart = at(span.get(0), span.get(1), s, Point::joules);
      double atEnd = at(span.get(n - 2), span.get(n - 1), e, Point::joules);
      energy = atEnd - atStart;
      edgeJ =
          (startExact ? 0 : span.get(1).joules() - atStart)
              + (endExact ? 0 : atEnd - span.get(n - 2).joules());
      method = HostMeasurement.COUNTER;
    } else if (span.stream().allMatch(x -> x.watts() != null)) {
      double pStart = at(span.get(0), span.get(1), s, Point::watts);
      double pEnd = at(span.get(n - 2), span.get(n - 1), e, Point::watts);
      energy = integrate(span, s, pStart, e, pEnd);
      edgeJ =
          (startExact ? 0 : trapezoid(s, pStart, span.get(1).at(), span.get(1).watts()))
              + (endExact ? 0 : trapezoid(span.get(n - 2).at(), span.get(n - 2).watts(), e, pEnd));
      method = HostMeasurement.INTEGRATED;
    } else {
      return Share.none(uuid + " has neither energy counter nor power readings around the window");
    }
    boolean exact = startExact && endExact;
    // With no reading inside the window, all of it comes from interpolation.
    double interpolated = n == 2 ? (exact ? 0 : energy) : edgeJ;
    return new Share(method, energy, exact, startGap, endGap, interpolated, null);
  }

  /** The value at {@code t}, linear between readings a and b (a.at <= t <= b.at, a.at < b.at). */
  private static double at(Point a, Point b, long t, Function<Point, Double> value) {
    double va = value.apply(a);
    double vb = value.apply(b);
    return va + (vb - va) * (t - a.at()) / (double) (b.at() - a.at());
  }

  /** Power over [s, e]: the edges' interpolated power, the readings inside, trapezoids between. */
  private static double integrate(List<Point> span, long s, double pStart, long e, double pEnd) {
    double joules = 0;
    long t = s;
    double p = pStart;
    for (int i = 1; i < span.size() - 1; i++) {
      joules += trapezoid(t, p, span.get(i).at(), span.get(i).watts());
      t = span.get(i).at();
      p = span.get(i).watts();
    }
    return joules + trapezoid(t, p, e, pEnd);
  }

  private static double trapezoid(long t0, double p0, long t1, double p1) {
    return (p0 + p1) / 2 * ((t1 - t0) / 1000.0);
  }

  private static String outside(ReportedWindow.Reading w, long awaitStart, long awaitEnd) {
    String where =
        w.startMs() < awaitStart
            ? "starts " + seconds(awaitStart - w.startMs()) + " s before the first"
            : "ends " + seconds(w.endMs() - awaitEnd) + " s after the last";
    return "the run's window ("
        + w.startMs()
        + " to "
        + w.endMs()
        + " ms"
        + (w.how() == null ? "" : ", " + w.how())
        + ") "
        + where
        + " GPU reading of the await ("
        + awaitStart
        + " to "
        + awaitEnd
        + " ms)";
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }
}
