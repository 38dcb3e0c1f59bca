package org.llenergymeasure.campaign.worker.plugin;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every payload in a history event, with where it sits, except search attributes' (never coded).
 */
final class PayloadWalk {

  record Found(String path, Payload payload) {}

  private PayloadWalk() {}

  static List<Found> of(Message message) {
    List<Found> found = new ArrayList<>();
    walk(message, message.getDescriptorForType().getName(), found);
    return found;
  }

  private static void walk(Object value, String path, List<Found> found) {
    if (value instanceof Payload p) {
      found.add(new Found(path, p));
    } else if (value instanceof SearchAttributes) {
      return;
    } else if (value instanceof Message m && m.getDescriptorForType().getOptions().getMapEntry()) {
      // A map's entry: its key joins the path (a marker's details are a map of payloads).
      FieldDescriptor key = m.getDescriptorForType().findFieldByName("key");
      FieldDescriptor entryValue = m.getDescriptorForType().findFieldByName("value");
      walk(m.getField(entryValue), path + "[" + m.getField(key) + "]", found);
    } else if (value instanceof Message m) {
      for (Map.Entry<FieldDescriptor, Object> field : m.getAllFields().entrySet()) {
        walk(field.getValue(), path + "." + field.getKey().getName(), found);
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        walk(item, path, found);
      }
    }
  }
}
