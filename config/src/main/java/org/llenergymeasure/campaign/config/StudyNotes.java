package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code import} could not carry over from an upstream study file (or carried over only
 * approximately), each at its place in the study file.
 */
final class StudyNotes {

  private final String file;
  private final List<ImportNote> notes = new ArrayList<>();

  StudyNotes(String file) {
    this.file = file;
  }

  void add(YamlNode at, String path, String message) {
    add(at == null ? Mark.START : at.mark(), path, message);
  }

  void add(Mark at, String path, String message) {
    ImportNote n = new ImportNote(file, at.line(), path, message);
    if (!notes.contains(n)) {
      notes.add(n);
    }
  }

  /** By line (stable: notes of one line keep the order they were found in). */
  List<ImportNote> all() {
    List<ImportNote> sorted = new ArrayList<>(notes);
    sorted.sort(java.util.Comparator.comparingInt(ImportNote::line));
    return List.copyOf(sorted);
  }
}
