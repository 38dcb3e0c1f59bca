package org.llenergymeasure.campaign.activities.gpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;

/** The GPU fixtures under src/test/resources/fixtures/gpu (README.md there). */
public final class Fixtures {

  private Fixtures() {}

  public static Path dir(String host) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/gpu/" + host).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String read(String hostAndFile) {
    try {
      return Files.readString(dir(".").resolve(hostAndFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture host, read the way --inventory reads it; its host id is the folder name. */
  public static HostInventory host(String host) {
    return new FileInventorySource(dir(host), host).read();
  }
}
