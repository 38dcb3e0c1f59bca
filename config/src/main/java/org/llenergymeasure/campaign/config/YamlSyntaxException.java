package org.llenergymeasure.campaign.config;

/** The file cannot be read as one YAML mapping; nothing else can be checked. */
final class YamlSyntaxException extends Exception {

  private final Mark mark;
  private final String path;

  YamlSyntaxException(Mark mark, String message) {
    this(mark, YamlPath.ROOT, message);
  }

  /** A problem of one node that stops the reading, such as a value too long to check. */
  YamlSyntaxException(Mark mark, String path, String message) {
    super(message);
    this.mark = mark;
    this.path = path;
  }

  Mark mark() {
    return mark;
  }

  String path() {
    return path;
  }
}
