package org.llenergymeasure.campaign.activities.gpu.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaleLeasesTest {

  static final LeaseOwner A = new LeaseOwner("camp", "llama.c1", 1);
  static final LeaseOwner A2 = new LeaseOwner("camp", "llama.c1", 2);
  static final LeaseOwner B = new LeaseOwner("camp", "mistral.c1", 1);
  static final LeaseOwner OTHER_CAMPAIGN = new LeaseOwner("camp2", "llama.c1", 1);
  static final Duration GRACE = Duration.ofMinutes(2);
  static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  static GpuLease lease(String uuid, LeaseOwner owner, String at) {
    return new GpuLease(uuid, owner, at);
  }

  static String ago(Duration d) {
    return NOW.minus(d).toString();
  }

  @Test
  void anOldLeaseWithoutAContainerIsDropped() {
    var d =
        StaleLeases.decide(
            List.of(lease("GPU-1", A, ago(Duration.ofMinutes(3)))), Set.of(), NOW, GRACE);
    assertEquals(Set.of(A), d.drop());
    assertEquals(Set.of(), d.keptForNow());
    assertEquals(Optional.empty(), d.recheckAt());
  }

  @Test
  void exactlyAtTheEndOfTheGracePeriodItIsStale() {
    var d = StaleLeases.decide(List.of(lease("GPU-1", A, ago(GRACE))), Set.of(), NOW, GRACE);
    assertEquals(Set.of(A), d.drop());
  }

  @Test
  void anOldLeaseWithALiveContainerIsKept() {
    var d =
        StaleLeases.decide(
            List.of(lease("GPU-1", A, ago(Duration.ofDays(2)))), Set.of(A), NOW, GRACE);
    assertEquals(Set.of(), d.drop());
    assertEquals(Set.of(), d.keptForNow());
  }

  @Test
  void aYoungLeaseWithoutAContainerIsKeptUntilItsGraceIsOver() {
    var d =
        StaleLeases.decide(
            List.of(
                lease("GPU-1", A, ago(Duration.ofSeconds(30))),
                lease("GPU-2", B, ago(Duration.ofSeconds(90)))),
            Set.of(),
            NOW,
            GRACE);
    assertEquals(Set.of(), d.drop());
    assertEquals(Set.of(A, B), d.keptForNow());
    // The earliest expiry: B's, 30 s from now.
    assertEquals(Optional.of(NOW.plusSeconds(30)), d.recheckAt());
  }

  @Test
  void aContainerOfAnotherAttemptOrCampaignDoesNotKeepTheLease() {
    var d =
        StaleLeases.decide(
            List.of(lease("GPU-1", A, ago(Duration.ofHours(1)))),
            Set.of(A2, OTHER_CAMPAIGN),
            NOW,
            GRACE);
    assertEquals(Set.of(A), d.drop());
  }

  @Test
  void anAttemptIsJudgedByItsNewestLease() {
    // A was re-routed a minute ago and got a second GPU: its old lease stays with the new one.
    var d =
        StaleLeases.decide(
            List.of(
                lease("GPU-1", A, ago(Duration.ofHours(1))),
                lease("GPU-2", A, ago(Duration.ofMinutes(1)))),
            Set.of(),
            NOW,
            GRACE);
    assertEquals(Set.of(), d.drop());
    assertEquals(Set.of(A), d.keptForNow());
    assertEquals(Optional.of(NOW.plusSeconds(60)), d.recheckAt());
  }

  @Test
  void anUnreadableTimeCountsAsOldAndAFutureTimeAsNow() {
    var unreadable =
        StaleLeases.decide(List.of(lease("GPU-1", A, "yesterday")), Set.of(), NOW, GRACE);
    assertEquals(Set.of(A), unreadable.drop());
    var kept = StaleLeases.decide(List.of(lease("GPU-1", A, "yesterday")), Set.of(A), NOW, GRACE);
    assertEquals(Set.of(), kept.drop());

    var future =
        StaleLeases.decide(
            List.of(lease("GPU-1", A, NOW.plus(Duration.ofDays(1)).toString())),
            Set.of(),
            NOW,
            GRACE);
    assertEquals(Set.of(A), future.keptForNow());
    assertEquals(Optional.of(NOW.plus(GRACE)), future.recheckAt());
  }

  @Test
  void noLeasesNothingToDo() {
    var d = StaleLeases.decide(List.of(), Set.of(A), NOW, GRACE);
    assertEquals(Set.of(), d.drop());
    assertEquals(Set.of(), d.keptForNow());
  }
}
