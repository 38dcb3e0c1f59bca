package org.llenergymeasure.campaign.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The checked experiment fields of one source (defaults, grid base, a grid variant, or an explicit
 * experiment). Keys whose value was invalid are remembered so that the merged experiment does not
 * also report them as missing.
 *
 * <p>Map-valued fields ({@code env}, {@code labels}, {@code parallelism}, {@code measurement},
 * {@code llenergymeasure}) hold a {@code Map<String, Field>} and merge key by key; every other
 * field (lists included) replaces.
 */
final class Fragment {

  static final Set<String> MAP_FIELDS =
      Set.of("env", "labels", "parallelism", "measurement", LlenergymeasureFields.KEY);

  final Map<String, Field> fields = new LinkedHashMap<>();
  final Set<String> invalid = new LinkedHashSet<>();

  static Fragment merge(Iterable<Fragment> lowToHigh) {
    Fragment out = new Fragment();
    for (Fragment f : lowToHigh) {
      out.invalid.addAll(f.invalid);
      for (Map.Entry<String, Field> e : f.fields.entrySet()) {
        String key = e.getKey();
        Field incoming = e.getValue();
        Field existing = out.fields.get(key);
        if (MAP_FIELDS.contains(key) && existing != null) {
          @SuppressWarnings("unchecked")
          Map<String, Field> merged = new LinkedHashMap<>((Map<String, Field>) existing.value());
          @SuppressWarnings("unchecked")
          Map<String, Field> add = (Map<String, Field>) incoming.value();
          if (key.equals(LlenergymeasureFields.KEY)) {
            merged = LlenergymeasureFields.merge(merged, add); // its config merges deeply
          } else {
            merged.putAll(add);
          }
          out.fields.put(key, new Field(merged, incoming.node(), incoming.path()));
        } else {
          out.fields.put(key, incoming);
        }
        out.invalid.remove(key);
      }
    }
    return out;
  }

  Field get(String key) {
    return fields.get(key);
  }
}
