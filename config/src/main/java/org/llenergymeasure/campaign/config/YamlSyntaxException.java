package org.llenergymeasure.campaign.config;

/** The file cannot be read as one YAML mapping; nothing else can be checked. */
final class YamlSyntaxException extends Exception {

  private final Mark mark;

  YamlSyntaxException(Mark mark, String message) {
    super(message);
    this.mark = mark;
  }

  Mark mark() {
    return mark;
  }
}
