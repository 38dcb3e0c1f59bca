package org.llenergymeasure.campaign.config;

/**
 * A checked value with the node and path it came from, so that a later check (after merging
 * defaults, grid base and variants) can still point at where the user wrote it.
 */
record Field(Object value, YamlNode node, String path) {

  Mark mark() {
    return node.mark();
  }

  String string() {
    return (String) value;
  }
}
