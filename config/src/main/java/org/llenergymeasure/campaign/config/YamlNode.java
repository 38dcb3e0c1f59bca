package org.llenergymeasure.campaign.config;

/**
 * A YAML value with the position it was written at. Jackson's {@code JsonNode} forgets positions,
 * and every error of a campaign file must name its line and column, so the loader builds this small
 * tree from the parser's events instead.
 */
sealed interface YamlNode permits YamlMap, YamlList, YamlScalar {

  Mark mark();

  /** What a user would call this kind of value, for "expected X, found Y" messages. */
  String describe();
}
