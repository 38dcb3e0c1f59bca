package org.llenergymeasure.campaign.workflows.plan;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;

/**
 * The compact form of a validated campaign that the campaign workflow receives (and carries across
 * continue-as-new) instead of the campaign with every experiment written out: a grid of 100,000
 * experiments is about 70 MB as JSON, far over what a Temporal server takes in one request.
 *
 * <p>The form, before it is deflated and base64-encoded: the campaign without its experiments; the
 * experiments by column, each field a table of its distinct values and, when it has more than one,
 * the index of each experiment's value; and one table of the long strings (1 KiB or more) that the
 * values share, so a 128 KiB value repeated in every experiment of a grid is stored once. A string
 * value that starts with {@code \u0001} is escaped by a second one; {@code \u0001<n>} is the {@code
 * n}th long string. Packing and unpacking give back an equal campaign (a test proves it).
 *
 * <p>Unpacking runs in the campaign workflow's first task: it converts each distinct value once and
 * builds the experiments from them, so it is linear in experiments with a small constant.
 */
public final class CampaignPack {

  /**
   * The most a packed campaign may take: the workflow input carries it, and continue-as-new carries
   * it again with the campaign's state (about 2 bytes a run), under the server's 2 MiB limit on one
   * payload.
   */
  public static final int MAX_PACKED_BYTES = 1_500_000;

  /** Strings at least this long are stored once in the string table. */
  static final int SHARED_STRING_CHARS = 1024;

  private static final int FORMAT = 1;
  private static final char REF = '\u0001';
  private static final ObjectMapper JSON = LlemDataConverter.objectMapper();
  private static final RecordComponent[] FIELDS = Experiment.class.getRecordComponents();

  /** Stands for null among a field's distinct values. */
  private static final Object NULL = new Object();

  private CampaignPack() {}

  /** The packed form of {@code campaign}: base64 of the deflated JSON described above. */
  public static String pack(Campaign campaign) {
    return packWithSizes(campaign).packed();
  }

  /**
   * The packed form and, found on the way, the largest experiment: its name and its size as JSON
   * (within a few hundred bytes: the sum of its values' sizes and its keys).
   */
  public static Packed packWithSizes(Campaign campaign) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    ObjectNode head = JSON.valueToTree(campaign);
    head.remove("experiments");
    root.set("campaign", head);
    Map<String, Integer> strings = new LinkedHashMap<>();
    boolean[] escapes = {false};
    List<Experiment> experiments = campaign.experiments();
    root.put("count", experiments.size());
    ArrayNode names = root.putArray("fields");
    ArrayNode values = root.putArray("values");
    ArrayNode columns = root.putArray("columns");
    long[] sizes = new long[experiments.size()];
    for (RecordComponent field : FIELDS) {
      names.add(field.getName());
      Map<Object, Integer> distinct = new LinkedHashMap<>();
      int[] column = new int[experiments.size()];
      for (int i = 0; i < column.length; i++) {
        Object v = read(field, experiments.get(i));
        column[i] = distinct.computeIfAbsent(v == null ? NULL : v, k -> distinct.size());
      }
      ArrayNode table = values.addArray();
      long[] valueBytes = new long[distinct.size()];
      int n = 0;
      for (Object v : distinct.keySet()) {
        JsonNode node = toNode(v == NULL ? null : v);
        valueBytes[n++] = node.toString().length() + field.getName().length() + 4L;
        table.add(share(node, strings, escapes));
      }
      for (int i = 0; i < column.length; i++) {
        sizes[i] += valueBytes[column[i]];
      }
      if (distinct.size() <= 1) {
        columns.addNull();
      } else {
        ArrayNode c = columns.addArray();
        for (int index : column) {
          c.add(index);
        }
      }
    }
    ArrayNode table = root.putArray("strings");
    strings.keySet().forEach(table::add);
    root.put("escaped", escapes[0]);
    int largest = 0;
    for (int i = 1; i < sizes.length; i++) {
      largest = sizes[i] > sizes[largest] ? i : largest;
    }
    try {
      String packed = Base64.getEncoder().encodeToString(deflate(JSON.writeValueAsBytes(root)));
      return sizes.length == 0
          ? new Packed(packed, null, 0)
          : new Packed(packed, experiments.get(largest).name(), sizes[largest]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the campaign " + campaign.name(), e);
    }
  }

  /**
   * The same packed campaign under another name, without unpacking its experiments (a scheduled
   * firing runs the frozen file under its own name). The name is not in the plan hash.
   */
  public static String withName(String packed, String name) {
    try {
      JsonNode root = JSON.readTree(inflate(Base64.getDecoder().decode(packed)));
      ((ObjectNode) root.get("campaign")).put("name", name);
      return Base64.getEncoder().encodeToString(deflate(JSON.writeValueAsBytes(root)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a packed campaign", e);
    }
  }

  /** The campaign {@link #pack} packed. */
  public static Campaign unpack(String packed) {
    try {
      return unpack(JSON.readTree(inflate(Base64.getDecoder().decode(packed))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a packed campaign", e);
    }
  }

  private static Campaign unpack(JsonNode root) throws IOException {
    if (root.path("format").asInt() != FORMAT) {
      throw new IllegalArgumentException(
          "a packed campaign of format " + root.path("format") + "; this worker reads " + FORMAT);
    }
    List<String> strings = new ArrayList<>();
    root.path("strings").forEach(s -> strings.add(s.textValue()));
    boolean escaped = !strings.isEmpty() || root.path("escaped").asBoolean();
    int count = root.path("count").asInt();
    List<String> packedFields = new ArrayList<>();
    root.path("fields").forEach(f -> packedFields.add(f.textValue()));
    Object[][] converted = new Object[FIELDS.length][];
    int[][] columns = new int[FIELDS.length][];
    for (int f = 0; f < FIELDS.length; f++) {
      JavaType type = JSON.constructType(FIELDS[f].getGenericType());
      ObjectReader reader = JSON.readerFor(type);
      // By name: a field this worker has and the packing one had not reads as null.
      int at = packedFields.indexOf(FIELDS[f].getName());
      JsonNode table = at < 0 ? JSON.createArrayNode().addNull() : root.path("values").path(at);
      converted[f] = new Object[table.size()];
      for (int v = 0; v < table.size(); v++) {
        JsonNode node = escaped ? resolve(table.get(v), strings) : table.get(v);
        converted[f][v] = convert(node, type, reader);
      }
      JsonNode column = at < 0 ? null : root.path("columns").path(at);
      if (column != null && column.isArray()) {
        columns[f] = new int[column.size()];
        for (int i = 0; i < columns[f].length; i++) {
          columns[f][i] = column.get(i).asInt();
        }
      }
    }
    List<Experiment> experiments = new ArrayList<>(count);
    Constructor<Experiment> make = canonicalConstructor();
    for (int i = 0; i < count; i++) {
      Object[] args = new Object[FIELDS.length];
      for (int f = 0; f < FIELDS.length; f++) {
        args[f] = converted[f][columns[f] != null ? columns[f][i] : 0];
      }
      experiments.add(newExperiment(make, args));
    }
    ObjectNode head = ((ObjectNode) root.get("campaign")).deepCopy();
    head.putArray("experiments");
    Campaign c = JSON.treeToValue(head, Campaign.class);
    return new Campaign(
        c.name(),
        c.description(),
        experiments,
        c.execution(),
        c.attach(),
        c.hosts(),
        c.hostsSpec());
  }

  /** A packed campaign and its largest experiment (null in a campaign without experiments). */
  public record Packed(String packed, String largestExperiment, long largestExperimentBytes) {}

  private static Object read(RecordComponent field, Experiment e) {
    try {
      return field.getAccessor().invoke(e);
    } catch (IllegalAccessException | InvocationTargetException ex) {
      throw new IllegalStateException("a record's accessor is public", ex);
    }
  }

  /** A value as JSON; the common shapes directly (a grid has 100,000 distinct names). */
  private static JsonNode toNode(Object v) {
    if (v instanceof String s) {
      return TextNode.valueOf(s);
    }
    if (v instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      ArrayNode out = JSON.createArrayNode();
      list.forEach(item -> out.add((String) item));
      return out;
    }
    return JSON.valueToTree(v);
  }

  /**
   * The value of one field: the common shapes (text, a list of text) directly, since a grid of
   * 100,000 experiments has as many distinct names and commands; the others through Jackson.
   */
  private static Object convert(JsonNode node, JavaType type, ObjectReader reader)
      throws IOException {
    if (node.isNull()) {
      return type.isPrimitive() ? reader.readValue(node) : null;
    }
    if (type.getRawClass() == String.class && node.isTextual()) {
      return node.textValue();
    }
    if (type.getRawClass() == List.class
        && type.containedType(0).getRawClass() == String.class
        && node.isArray()
        && allText(node)) {
      String[] items = new String[node.size()];
      for (int i = 0; i < items.length; i++) {
        items[i] = node.get(i).textValue();
      }
      return List.of(items);
    }
    return reader.readValue(node);
  }

  private static boolean allText(JsonNode array) {
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }

  /** The campaign's size as the workflow input carried it before it was packed (JSON bytes). */
  public static long inlineBytes(Campaign campaign) {
    try {
      return JSON.writeValueAsBytes(campaign).length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode share(JsonNode v, Map<String, Integer> strings, boolean[] escapes) {
    if (v.isTextual()) {
      String s = v.textValue();
      if (s.length() >= SHARED_STRING_CHARS) {
        int n = strings.computeIfAbsent(s, k -> strings.size());
        return TextNode.valueOf(REF + Integer.toString(n));
      }
      if (!s.isEmpty() && s.charAt(0) == REF) {
        escapes[0] = true;
        return TextNode.valueOf(REF + s);
      }
      return v;
    }
    if (v.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      v.forEach(e -> out.add(share(e, strings, escapes)));
      return out;
    }
    if (v.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      v.fields().forEachRemaining(e -> out.set(e.getKey(), share(e.getValue(), strings, escapes)));
      return out;
    }
    return v;
  }

  private static JsonNode resolve(JsonNode v, List<String> strings) {
    if (v.isTextual()) {
      String s = v.textValue();
      if (s.isEmpty() || s.charAt(0) != REF) {
        return v;
      }
      if (s.length() > 1 && s.charAt(1) == REF) {
        return TextNode.valueOf(s.substring(1));
      }
      return TextNode.valueOf(strings.get(Integer.parseInt(s.substring(1))));
    }
    if (v.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      v.forEach(e -> out.add(resolve(e, strings)));
      return out;
    }
    if (v.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      v.fields().forEachRemaining(e -> out.set(e.getKey(), resolve(e.getValue(), strings)));
      return out;
    }
    return v;
  }

  private static Constructor<Experiment> canonicalConstructor() {
    Class<?>[] types = new Class<?>[FIELDS.length];
    for (int f = 0; f < FIELDS.length; f++) {
      types[f] = FIELDS[f].getType();
    }
    try {
      return Experiment.class.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("a record has its canonical constructor", e);
    }
  }

  private static Experiment newExperiment(Constructor<Experiment> make, Object[] args) {
    try {
      return make.newInstance(args);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot build an experiment", e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("a packed experiment is invalid", e.getCause());
    }
  }

  private static byte[] deflate(byte[] bytes) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try {
      deflater.setInput(bytes);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 8 + 64);
      byte[] buffer = new byte[1 << 16];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static byte[] inflate(byte[] bytes) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(bytes);
      ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4 + 64);
      byte[] buffer = new byte[1 << 16];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException("a packed campaign is cut short");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("a packed campaign is not deflated data", e);
    } finally {
      inflater.end();
    }
  }
}
