package org.llenergymeasure.campaign.worker.report;

/**
 * One chart of a report: written as {@code fileName} next to the HTML and embedded in it.
 *
 * @param png the PNG bytes
 */
// A chart's bytes are only written out and embedded: charts are never compared or hashed, so the
// array's identity equals() is never used.
@SuppressWarnings("ArrayRecordComponent")
public record Chart(
    String fileName, String title, String caption, int width, int height, byte[] png) {

  public String dataUri() {
    return "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png);
  }
}
