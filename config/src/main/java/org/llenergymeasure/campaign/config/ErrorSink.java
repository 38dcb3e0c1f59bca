package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects every problem of one file so that they are reported together. Identical errors (same
 * position, path and message) are kept once: a bad value in {@code defaults} is checked once per
 * experiment it merges into, but the user wrote it once. Errors found while resolving grid
 * experiments may name the experiments they affect; those are grouped into one message.
 */
final class ErrorSink {

  private static final int SUBJECTS_SHOWN = 3;

  private record Key(Mark mark, String path, String message) {}

  private final String file;
  private final Map<Key, LinkedHashSet<String>> errors = new LinkedHashMap<>();
  private final Map<Key, LinkedHashSet<String>> warnings = new LinkedHashMap<>();

  ErrorSink(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  void error(Mark mark, String path, String message) {
    errors.computeIfAbsent(new Key(mark, path, message), k -> new LinkedHashSet<>());
  }

  /** An error caused by {@code subject} (an expanded experiment's name) among possibly many. */
  void errorFor(Mark mark, String path, String message, String subject) {
    errors.computeIfAbsent(new Key(mark, path, message), k -> new LinkedHashSet<>()).add(subject);
  }

  void warning(Mark mark, String path, String message) {
    warnings.computeIfAbsent(new Key(mark, path, message), k -> new LinkedHashSet<>());
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  int errorCount() {
    return errors.size();
  }

  /** Errors sorted by position, then path and message, so output is stable. */
  List<ConfigError> errors() {
    return render(errors);
  }

  List<String> warnings() {
    return render(warnings).stream().map(ConfigError::toString).toList();
  }

  private List<ConfigError> render(Map<Key, ? extends Set<String>> source) {
    List<ConfigError> out = new ArrayList<>();
    for (Map.Entry<Key, ? extends Set<String>> e : source.entrySet()) {
      Key k = e.getKey();
      out.add(
          new ConfigError(
              file,
              k.mark().line(),
              k.mark().column(),
              k.path(),
              k.message() + subjects(e.getValue())));
    }
    out.sort(
        Comparator.comparingInt(ConfigError::line)
            .thenComparingInt(ConfigError::column)
            .thenComparing(ConfigError::path)
            .thenComparing(ConfigError::message));
    return out;
  }

  private static String subjects(Set<String> subjects) {
    if (subjects.isEmpty()) {
      return "";
    }
    List<String> names = new ArrayList<>(subjects);
    StringBuilder sb = new StringBuilder(names.size() == 1 ? " (experiment " : " (experiments ");
    for (int i = 0; i < Math.min(SUBJECTS_SHOWN, names.size()); i++) {
      sb.append(i == 0 ? "" : ", ").append(names.get(i));
    }
    if (names.size() > SUBJECTS_SHOWN) {
      sb.append(" and ").append(names.size() - SUBJECTS_SHOWN).append(" more");
    }
    return sb.append(')').toString();
  }
}
