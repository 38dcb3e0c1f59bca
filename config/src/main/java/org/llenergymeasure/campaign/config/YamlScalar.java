package org.llenergymeasure.campaign.config;

/**
 * A YAML scalar. {@code text} is what the file says (for a number, its digits as written: {@code
 * 010} stays {@code 010}, {@code 1e3} stays {@code 1e3}), {@code kind} is how YAML 1.1 resolved it.
 * Keeping the text lets string fields take exactly what the user wrote, while typed fields can
 * reject YAML 1.1 surprises such as {@code yes}/{@code no}/{@code on}/{@code off} being booleans.
 */
record YamlScalar(Mark mark, String text, Kind kind) implements YamlNode {

  enum Kind {
    STRING,
    INT,
    FLOAT,
    BOOL,
    NULL
  }

  boolean isNull() {
    return kind == Kind.NULL;
  }

  @Override
  public String describe() {
    return switch (kind) {
      case STRING -> "the text '" + text + "'";
      case INT -> "the number " + text;
      case FLOAT -> "the number " + text;
      case BOOL -> "the boolean " + text;
      case NULL -> "an empty value";
    };
  }
}
