package org.llenergymeasure.campaign.worker.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a captured query-gpu.csv the simple way, independently of the product's parser, so the
 * tests' expected UUIDs do not come from the code under test.
 */
public final class InventoryFile {

  private InventoryFile() {}

  /** Host index to UUID. */
  public static Map<Integer, String> uuidsByIndex(Path inventoryDir) throws IOException {
    Map<Integer, String> uuids = new LinkedHashMap<>();
    for (String line : Files.readAllLines(inventoryDir.resolve("query-gpu.csv"))) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split(",");
      uuids.put(Integer.parseInt(fields[0].trim()), fields[1].trim());
    }
    return uuids;
  }
}
