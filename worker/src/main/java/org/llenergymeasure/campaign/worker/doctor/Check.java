package org.llenergymeasure.campaign.worker.doctor;

/**
 * One finding of {@code doctor}.
 *
 * @param status ok, warn or fail
 * @param fix what to do about it; null when ok
 */
public record Check(String name, String status, String detail, String fix) {

  public static Check ok(String name, String detail) {
    return new Check(name, "ok", detail, null);
  }

  public static Check warn(String name, String detail, String fix) {
    return new Check(name, "warn", detail, fix);
  }

  public static Check fail(String name, String detail, String fix) {
    return new Check(name, "fail", detail, fix);
  }

  public boolean failed() {
    return status.equals("fail");
  }
}
