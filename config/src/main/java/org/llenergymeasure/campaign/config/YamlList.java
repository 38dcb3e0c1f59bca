package org.llenergymeasure.campaign.config;

import java.util.List;

/** A YAML sequence. */
record YamlList(Mark mark, List<YamlNode> items) implements YamlNode {

  YamlList {
    items = List.copyOf(items);
  }

  @Override
  public String describe() {
    return "a list";
  }
}
