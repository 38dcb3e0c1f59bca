package org.llenergymeasure.campaign.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns YAML text into a {@link YamlNode} tree with positions, using Jackson's streaming YAML
 * parser. Duplicate keys and unknown aliases are ordinary (collected) errors; anything that stops
 * the parser, an empty document, a top level that is not a mapping and a second document are fatal
 * ({@link YamlSyntaxException}).
 *
 * <p>Anchors and aliases are supported: an alias shares the anchored node (and so its position).
 * Merge keys ({@code <<}) are not, and come out as an unknown key.
 */
final class YamlTreeReader {

  private static final YAMLFactory FACTORY = factory();

  private final YAMLParser parser;
  private final ErrorSink sink;
  private final Map<String, YamlNode> anchors = new HashMap<>();

  /**
   * SnakeYAML refuses a document of more than 3 MiB code points by default, with its own message;
   * the limit that applies is the file size of {@link YamlLimits}, checked (and explained) before.
   */
  private static YAMLFactory factory() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit((int) YamlLimits.MAX_FILE_BYTES + 1);
    YAMLFactoryBuilder builder = YAMLFactory.builder().loaderOptions(options);
    // The builder starts without the YAML parser features that new YAMLFactory() has (such as
    // an empty value read as null): give it the same defaults.
    for (YAMLParser.Feature feature : YAMLParser.Feature.values()) {
      if (feature.enabledByDefault()) {
        builder.enable(feature);
      }
    }
    return builder.build();
  }

  private YamlTreeReader(YAMLParser parser, ErrorSink sink) {
    this.parser = parser;
    this.sink = sink;
  }

  /** Reads the single top-level mapping of {@code text}. */
  static YamlMap read(String text, ErrorSink sink) throws YamlSyntaxException {
    try (YAMLParser p = (YAMLParser) FACTORY.createParser(text)) {
      YamlTreeReader reader = new YamlTreeReader(p, sink);
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new YamlSyntaxException(
            Mark.START,
            "the file has no YAML content; a campaign file is a mapping with at least"
                + " `campaign:` and `experiments:` or `grid:`");
      }
      YamlNode root = reader.readValue(first, YamlPath.ROOT);
      if (!(root instanceof YamlMap map)) {
        throw new YamlSyntaxException(
            root.mark(),
            "not a campaign file: the top level is "
                + root.describe()
                + ", expected a mapping with keys such as `campaign:` and `experiments:`");
      }
      JsonToken next = p.nextToken();
      if (next != null) {
        throw new YamlSyntaxException(
            mark(p.currentTokenLocation()),
            "a second YAML document starts here; a campaign file holds exactly one document"
                + " (remove the `---` separator and what follows, or merge it into the first)");
      }
      return map;
    } catch (JsonProcessingException e) {
      throw fromParserError(e);
    } catch (IOException e) {
      throw new YamlSyntaxException(Mark.START, "cannot read the YAML text: " + e.getMessage());
    }
  }

  private YamlNode readValue(JsonToken token, String path) throws IOException, YamlSyntaxException {
    Mark mark = mark(parser.currentTokenLocation());
    if (token.isScalarValue()) {
      checkLength(parser.getTextLength(), mark, path, "value");
    }
    String anchor = parser.getCurrentAnchor();
    boolean alias = token == JsonToken.VALUE_STRING && parser.isCurrentAlias();
    YamlNode node =
        switch (token) {
          case START_OBJECT -> readMap(mark, path);
          case START_ARRAY -> readList(mark, path);
          case VALUE_STRING -> {
            if (alias) {
              yield resolveAlias(mark, path, parser.getText());
            }
            yield new YamlScalar(mark, parser.getText(), YamlScalar.Kind.STRING);
          }
          case VALUE_NUMBER_INT -> new YamlScalar(mark, parser.getText(), YamlScalar.Kind.INT);
          case VALUE_NUMBER_FLOAT -> new YamlScalar(mark, parser.getText(), YamlScalar.Kind.FLOAT);
          case VALUE_TRUE, VALUE_FALSE ->
              new YamlScalar(mark, parser.getText(), YamlScalar.Kind.BOOL);
          case VALUE_NULL -> new YamlScalar(mark, parser.getText(), YamlScalar.Kind.NULL);
          default -> new YamlScalar(mark, parser.getText(), YamlScalar.Kind.STRING);
        };
    if (anchor != null && !alias) {
      anchors.put(anchor, node);
    }
    return node;
  }

  /** A value or key longer than {@link YamlLimits#MAX_VALUE_CHARS} stops the reading. */
  private static void checkLength(int length, Mark mark, String path, String what)
      throws YamlSyntaxException {
    if (length > YamlLimits.MAX_VALUE_CHARS) {
      throw new YamlSyntaxException(
          mark, path, "this " + what + " has " + length + " characters; " + YamlLimits.RULE);
    }
  }

  private YamlNode resolveAlias(Mark mark, String path, String name) {
    YamlNode target = anchors.get(name);
    if (target == null) {
      sink.error(
          mark, path, "alias *" + name + " refers to no anchor; define &" + name + " before it");
      return new YamlScalar(mark, "", YamlScalar.Kind.NULL);
    }
    return target;
  }

  private YamlMap readMap(Mark mark, String path) throws IOException, YamlSyntaxException {
    Map<String, YamlMap.Entry> entries = new LinkedHashMap<>();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
      String key = parser.currentName();
      Mark keyMark = mark(parser.currentTokenLocation());
      checkLength(key.length(), keyMark, path, "key");
      String keyPath = YamlPath.key(path, key);
      YamlNode value = readValue(parser.nextToken(), keyPath);
      YamlMap.Entry first = entries.get(key);
      if (first != null) {
        sink.error(
            keyMark,
            keyPath,
            "duplicate key `"
                + key
                + "` (first at line "
                + first.keyMark().line()
                + "); keep only one of them");
        continue;
      }
      entries.put(key, new YamlMap.Entry(key, keyMark, value));
    }
    return new YamlMap(mark, entries);
  }

  private YamlList readList(Mark mark, String path) throws IOException, YamlSyntaxException {
    List<YamlNode> items = new ArrayList<>();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      items.add(readValue(t, YamlPath.index(path, items.size())));
    }
    return new YamlList(mark, items);
  }

  private static Mark mark(JsonLocation loc) {
    return new Mark(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
  }

  /** SnakeYAML knows the exact position of a syntax problem; Jackson's wrapper often does not. */
  private static YamlSyntaxException fromParserError(JsonProcessingException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MarkedYAMLException m && m.getProblemMark() != null) {
        String message = "malformed YAML: " + oneLine(m.getProblem());
        if (m.getContext() != null && m.getContextMark() != null) {
          message +=
              " ("
                  + oneLine(m.getContext())
                  + " at line "
                  + (m.getContextMark().getLine() + 1)
                  + ", column "
                  + (m.getContextMark().getColumn() + 1)
                  + ")";
        }
        Mark at = new Mark(m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1);
        return new YamlSyntaxException(at, message);
      }
    }
    JsonLocation loc = e.getLocation();
    Mark at = loc == null ? Mark.START : mark(loc);
    return new YamlSyntaxException(at, "malformed YAML: " + oneLine(e.getOriginalMessage()));
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
