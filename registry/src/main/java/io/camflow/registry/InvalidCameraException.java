package io.camflow.registry;

import java.util.List;

/** An API request whose camera is not valid; every bad field is named (the API's 400 body). */
public final class InvalidCameraException extends Exception {

  private final List<FieldError> errors;

  public InvalidCameraException(List<FieldError> errors) {
    super(errors.size() + " invalid field(s): " + errors.stream().map(FieldError::field).toList());
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
