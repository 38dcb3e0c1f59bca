package com.example.ownworker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

public final class NightlyActivitiesImpl implements NightlyActivities {

  private final Path notes;

  public NightlyActivitiesImpl(Path notes) {
    this.notes = notes;
  }

  @Override
  public String readCampaignFile(String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void recordOutcome(String line) {
    try {
      Files.writeString(
          notes,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
