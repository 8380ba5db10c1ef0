package org.apache.dubbo.interop.service;

/** The custom checked exception {@link InteropService#throwCustom} throws; carries an int code besides the message. */
public class InteropException extends Exception {
  private static final long serialVersionUID = 1L;

  private int code;

  public InteropException() {}

  public InteropException(String message, int code) {
    super(message);
    this.code = code;
  }

  public int getCode() { return code; }
  public void setCode(int code) { this.code = code; }
}
